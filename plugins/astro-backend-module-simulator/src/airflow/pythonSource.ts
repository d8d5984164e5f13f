/**
 * Just enough of Python's tokenizer for the simulated DAG processor: it
 * finds names, operators, brackets and string literals (with their values
 * where they are plain literals), skips comments, and reports the syntax
 * errors a tokenizer finds (unbalanced brackets, unterminated strings) with
 * CPython's messages. It does not parse Python.
 */

/** One token of Python source. */
export type PyToken =
  | { type: 'name'; value: string; line: number }
  | { type: 'number'; value: string; line: number }
  | { type: 'op'; value: string; line: number }
  | {
      type: 'string';
      /** The literal's value; `undefined` for an f-string with fields. */
      value: string | undefined;
      bytes: boolean;
      line: number;
    }
  /** The end of a logical line (outside brackets). */
  | { type: 'newline'; value: ''; line: number };

/** A syntax error as CPython reports it. */
export interface PySyntaxError {
  message: string;
  /** 1-based line CPython reports the error at. */
  line: number;
}

/** The tokens of a source, or its first syntax error. */
export type TokenizeResult =
  | { tokens: PyToken[]; error?: undefined }
  | { tokens: PyToken[]; error: PySyntaxError };

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const STRING_PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;
const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_PART = /[A-Za-z0-9_\u0080-\uffff]/;
const TWO_CHAR_OPS = new Set([
  '==',
  '!=',
  '<=',
  '>=',
  ':=',
  '->',
  '**',
  '//',
  '<<',
  '>>',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
]);

function unescape(raw: string): string {
  return raw.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\n|.)/g,
    (_match, escape: string) => {
      switch (escape[0]) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
          return String.fromCharCode(parseInt(escape, 8));
        case 'x':
        case 'u':
        case 'U':
          return String.fromCodePoint(parseInt(escape.slice(1), 16));
        case '\n':
          return '';
        case '\\':
        case "'":
        case '"':
          return escape;
        case 'a':
          return '\x07';
        case 'b':
          return '\b';
        case 'f':
          return '\f';
        case 'v':
          return '\v';
        default:
          return `\\${escape}`;
      }
    },
  );
}

/** Tokenizes Python source text. */
export function tokenizePython(source: string): TokenizeResult {
  const tokens: PyToken[] = [];
  const stack: Array<{ char: string; line: number }> = [];
  const lineCount = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  let line = 1;
  let i = 0;
  const fail = (message: string, at: number): TokenizeResult => ({
    tokens,
    error: { message, line: at },
  });

  while (i < source.length) {
    const char = source[i];
    if (char === '\n') {
      if (stack.length === 0) {
        tokens.push({ type: 'newline', value: '', line });
      }
      line++;
      i++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      i++;
      continue;
    }
    if (char === '#') {
      while (i < source.length && source[i] !== '\n') {
        i++;
      }
      continue;
    }
    if (char === '\\' && source[i + 1] === '\n') {
      line++;
      i += 2;
      continue;
    }

    // Names, and the prefixes of string literals.
    if (NAME_START.test(char)) {
      let end = i + 1;
      while (end < source.length && NAME_PART.test(source[end])) {
        end++;
      }
      const name = source.slice(i, end);
      const quote = source[end];
      if ((quote === '"' || quote === "'") && STRING_PREFIX.test(name)) {
        const result = readString(source, end, name.toLowerCase(), line);
        if ('error' in result) {
          return fail(result.error, result.errorLine ?? lineCount);
        }
        tokens.push(result.token);
        line = result.line;
        i = result.end;
        continue;
      }
      tokens.push({ type: 'name', value: name, line });
      i = end;
      continue;
    }
    if (char === '"' || char === "'") {
      const result = readString(source, i, '', line);
      if ('error' in result) {
        return fail(result.error, result.errorLine ?? lineCount);
      }
      tokens.push(result.token);
      line = result.line;
      i = result.end;
      continue;
    }
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(source[i + 1]))) {
      let end = i + 1;
      while (end < source.length && /[0-9A-Za-z_.]/.test(source[end])) {
        end++;
      }
      tokens.push({ type: 'number', value: source.slice(i, end), line });
      i = end;
      continue;
    }
    if (OPENERS[char]) {
      stack.push({ char, line });
      tokens.push({ type: 'op', value: char, line });
      i++;
      continue;
    }
    if (CLOSERS[char]) {
      const open = stack.pop();
      if (!open) {
        return fail(`unmatched '${char}'`, line);
      }
      if (open.char !== CLOSERS[char]) {
        return fail(
          `closing parenthesis '${char}' does not match opening parenthesis '${
            open.char
          }'${open.line !== line ? ` on line ${open.line}` : ''}`,
          line,
        );
      }
      tokens.push({ type: 'op', value: char, line });
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ type: 'op', value: two, line });
      i += 2;
      continue;
    }
    tokens.push({ type: 'op', value: char, line });
    i++;
  }
  const open = stack.pop();
  if (open) {
    return fail(`'${open.char}' was never closed`, open.line);
  }
  tokens.push({ type: 'newline', value: '', line });
  return { tokens };
}

type StringResult =
  | { token: PyToken; end: number; line: number }
  | { error: string; errorLine?: number };

function readString(
  source: string,
  start: number,
  prefix: string,
  startLine: number,
): StringResult {
  const quote = source[start];
  const triple = source.slice(start, start + 3) === quote.repeat(3);
  const delimiter = triple ? quote.repeat(3) : quote;
  let i = start + delimiter.length;
  let line = startLine;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\') {
      if (source[i + 1] === '\n') {
        line++;
      }
      i += 2;
      continue;
    }
    if (char === '\n') {
      if (!triple) {
        return {
          error: `unterminated string literal (detected at line ${startLine})`,
          errorLine: startLine,
        };
      }
      line++;
      i++;
      continue;
    }
    if (source.startsWith(delimiter, i)) {
      const raw = source.slice(start + delimiter.length, i);
      const isRaw = prefix.includes('r');
      const isFormat = prefix.includes('f');
      let value: string | undefined = isRaw ? raw : unescape(raw);
      if (isFormat) {
        value = raw.replace(/\{\{/g, '').includes('{')
          ? undefined
          : value.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      }
      return {
        token: {
          type: 'string',
          value,
          bytes: prefix.includes('b'),
          line: startLine,
        },
        end: i + delimiter.length,
        line,
      };
    }
    i++;
  }
  if (triple) {
    const lines = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
    return {
      error: `unterminated triple-quoted string literal (detected at line ${lines})`,
      errorLine: startLine,
    };
  }
  return {
    error: `unterminated string literal (detected at line ${startLine})`,
    errorLine: startLine,
  };
}
