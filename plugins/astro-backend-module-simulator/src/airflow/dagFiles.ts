/**
 * The simulated DAG processor: finds the DAGs and import errors of a DAG
 * bundle without running Python. The rules (documented in the README):
 *
 * - only `.py` files are read; like Airflow's safe mode, a file whose bytes
 *   do not contain both `airflow` and `dag` (case-insensitive) is skipped;
 * - a file is an import error when it is not valid UTF-8, when the
 *   tokenizer finds a syntax error (unbalanced brackets, unterminated
 *   strings; CPython's messages), when it carries a line
 *   `# simulated-import-error: <message>`, or (Airflow 3) when a DAG is
 *   given `schedule_interval`, which Airflow 3 removed;
 * - each `DAG(...)` call and each `@dag`-decorated function is one DAG; its
 *   id is the first argument or `dag_id=` when that is a string literal,
 *   else the function's name for `@dag` (a `DAG(...)` whose id is not a
 *   literal is not seen);
 * - a DAG id already found in an earlier file (in path order) makes the
 *   later file an import error, as Airflow's duplicate check does.
 */
import { PyToken, tokenizePython } from './pythonSource';

/** How a DAG's schedule is written. */
export type DagSchedule =
  | { kind: 'absent' }
  | { kind: 'none' }
  | { kind: 'string'; value: string }
  | { kind: 'other' };

/** One DAG the simulated processor found. */
export interface DagDefinition {
  dagId: string;
  /** Path of its file inside the bundle. */
  relativeFileloc: string;
  line: number;
  displayName?: string;
  description?: string;
  tags: string[];
  schedule: DagSchedule;
  /** `schedule_interval` (Airflow 2's name of the schedule). */
  scheduleInterval: DagSchedule;
  /** `owner` of `default_args`, when a literal. */
  owner?: string;
  isPausedUponCreation?: boolean;
  maxActiveTasks?: number;
  maxActiveRuns?: number;
  maxConsecutiveFailedDagRuns?: number;
}

/** A file Airflow could not import. */
export interface DagImportError {
  relativeFileloc: string;
  /** Airflow's `stack_trace`: a traceback-like text. */
  stackTrace: string;
}

/** What the simulated processor found in a bundle. */
export interface ParsedDagFolder {
  dags: DagDefinition[];
  importErrors: DagImportError[];
}

/** The note appended to every simulated import error. */
export const SIMULATED_NOTE =
  '[simulated: no Python runs in the Kubernetes simulator; this error comes from its heuristics]';

const MARKER = /^[ \t]*#[ \t]*simulated-import-error:[ \t]*(.*)$/m;

/** The first invalid UTF-8 sequence: its offset and CPython's reason. */
function invalidUtf8(
  bytes: Buffer,
): { offset: number; reason: string } | undefined {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    let length: number;
    if (byte < 0x80) {
      i++;
      continue;
    } else if (byte >= 0xc2 && byte <= 0xdf) {
      length = 2;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
    } else {
      return { offset: i, reason: 'invalid start byte' };
    }
    if (i + length > bytes.length) {
      return { offset: i, reason: 'unexpected end of data' };
    }
    for (let k = 1; k < length; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) {
        return { offset: i, reason: 'invalid continuation byte' };
      }
    }
    const text = bytes.subarray(i, i + length).toString('utf8');
    if (text.includes('\ufffd')) {
      // Overlong forms and surrogates.
      return { offset: i, reason: 'invalid continuation byte' };
    }
    i += length;
  }
  return undefined;
}

function traceback(
  fileloc: string,
  line: number,
  sourceLine: string | undefined,
  error: string,
  inModule: boolean,
): string {
  const code = sourceLine?.trim();
  return [
    'Traceback (most recent call last):',
    `  File "${fileloc}", line ${line}${inModule ? ', in <module>' : ''}`,
    ...(code ? [`    ${code}`] : []),
    error,
    SIMULATED_NOTE,
  ].join('\n');
}

/** Splits the tokens between a call's parentheses into its arguments. */
function callArguments(
  tokens: PyToken[],
  open: number,
): { args: PyToken[][]; end: number } {
  const args: PyToken[][] = [];
  let current: PyToken[] = [];
  let depth = 0;
  let i = open + 1;
  for (; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'op' && '([{'.includes(token.value)) {
      depth++;
    } else if (token.type === 'op' && ')]}'.includes(token.value)) {
      if (depth === 0) {
        break;
      }
      depth--;
    } else if (token.type === 'op' && token.value === ',' && depth === 0) {
      args.push(current);
      current = [];
      continue;
    }
    current.push(token);
  }
  if (current.length > 0) {
    args.push(current);
  }
  return { args, end: i };
}

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: string[] }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'int'; value: number }
  | { kind: 'other' };

function literal(tokens: PyToken[]): Literal {
  if (
    tokens.length > 0 &&
    tokens.every(t => t.type === 'string' && t.value !== undefined && !t.bytes)
  ) {
    return {
      kind: 'string',
      value: tokens.map(t => (t.type === 'string' ? t.value : '')).join(''),
    };
  }
  if (tokens.length === 1 && tokens[0].type === 'name') {
    switch (tokens[0].value) {
      case 'True':
        return { kind: 'bool', value: true };
      case 'False':
        return { kind: 'bool', value: false };
      case 'None':
        return { kind: 'none' };
      default:
        return { kind: 'other' };
    }
  }
  if (
    tokens.length === 1 &&
    tokens[0].type === 'number' &&
    /^[0-9][0-9_]*$/.test(tokens[0].value)
  ) {
    return { kind: 'int', value: Number(tokens[0].value.replace(/_/g, '')) };
  }
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (
    first?.type === 'op' &&
    last?.type === 'op' &&
    ((first.value === '[' && last.value === ']') ||
      (first.value === '(' && last.value === ')') ||
      (first.value === '{' && last.value === '}'))
  ) {
    const inner = tokens.slice(1, -1);
    const values: string[] = [];
    for (const token of inner) {
      if (
        token.type === 'string' &&
        token.value !== undefined &&
        !token.bytes
      ) {
        values.push(token.value);
      } else if (!(token.type === 'op' && token.value === ',')) {
        return { kind: 'other' };
      }
    }
    return { kind: 'strings', value: values };
  }
  return { kind: 'other' };
}

function tagsOf(value: Literal | undefined): string[] {
  if (value?.kind === 'strings') {
    return [...new Set(value.value)];
  }
  return value?.kind === 'string' ? [value.value] : [];
}

function scheduleOf(tokens: PyToken[] | undefined): DagSchedule {
  if (!tokens) {
    return { kind: 'absent' };
  }
  const value = literal(tokens);
  if (value.kind === 'none') {
    return { kind: 'none' };
  }
  if (value.kind === 'string') {
    return { kind: 'string', value: value.value };
  }
  return { kind: 'other' };
}

/** `owner` of a `default_args` written as a dict or `dict(...)` literal. */
function ownerOf(tokens: PyToken[] | undefined): string | undefined {
  if (!tokens) {
    return undefined;
  }
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [a, b, c] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    const isKey =
      (a.type === 'string' &&
        a.value === 'owner' &&
        b.type === 'op' &&
        b.value === ':') ||
      (a.type === 'name' &&
        a.value === 'owner' &&
        b.type === 'op' &&
        b.value === '=');
    if (isKey && c.type === 'string' && c.value !== undefined) {
      return c.value;
    }
  }
  return undefined;
}

interface FoundDag {
  definition: DagDefinition;
  /** Keyword arguments Airflow 3 no longer accepts, with the callable's name. */
  removedKeyword?: { keyword: string; callable: string };
}

function dagFromCall(
  args: PyToken[][],
  relativeFileloc: string,
  line: number,
  fallbackId: string | undefined,
  callable: string,
): FoundDag | undefined {
  const keywords = new Map<string, PyToken[]>();
  const positional: PyToken[][] = [];
  for (const arg of args) {
    if (
      arg.length >= 2 &&
      arg[0].type === 'name' &&
      arg[1].type === 'op' &&
      arg[1].value === '='
    ) {
      keywords.set(arg[0].value, arg.slice(2));
    } else if (
      arg.length > 0 &&
      !(arg[0].type === 'op' && arg[0].value.startsWith('*'))
    ) {
      positional.push(arg);
    }
  }
  const idTokens = keywords.get('dag_id') ?? positional[0];
  const id = idTokens ? literal(idTokens) : undefined;
  const dagId =
    id?.kind === 'string' && id.value !== '' ? id.value : fallbackId;
  if (!dagId) {
    return undefined;
  }
  const str = (name: string) => {
    const value = keywords.has(name) ? literal(keywords.get(name)!) : undefined;
    return value?.kind === 'string' ? value.value : undefined;
  };
  const int = (name: string) => {
    const value = keywords.has(name) ? literal(keywords.get(name)!) : undefined;
    return value?.kind === 'int' ? value.value : undefined;
  };
  const tagsValue = keywords.has('tags')
    ? literal(keywords.get('tags')!)
    : undefined;
  const paused = keywords.has('is_paused_upon_creation')
    ? literal(keywords.get('is_paused_upon_creation')!)
    : undefined;
  return {
    definition: {
      dagId,
      relativeFileloc,
      line,
      displayName: str('dag_display_name'),
      description: str('description'),
      tags: tagsOf(tagsValue),
      schedule: scheduleOf(keywords.get('schedule')),
      scheduleInterval: scheduleOf(keywords.get('schedule_interval')),
      owner: ownerOf(keywords.get('default_args')),
      isPausedUponCreation: paused?.kind === 'bool' ? paused.value : undefined,
      maxActiveTasks: int('max_active_tasks'),
      maxActiveRuns: int('max_active_runs'),
      maxConsecutiveFailedDagRuns: int('max_consecutive_failed_dag_runs'),
    },
    removedKeyword: keywords.has('schedule_interval')
      ? { keyword: 'schedule_interval', callable }
      : undefined,
  };
}

/** The `DAG(...)` calls and `@dag` functions of a tokenized file. */
function findDags(tokens: PyToken[], relativeFileloc: string): FoundDag[] {
  const found: FoundDag[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (
      token.type === 'name' &&
      token.value === 'DAG' &&
      next?.type === 'op' &&
      next.value === '(' &&
      !(
        previous?.type === 'name' &&
        (previous.value === 'def' || previous.value === 'class')
      )
    ) {
      const { args } = callArguments(tokens, i + 1);
      const dag = dagFromCall(
        args,
        relativeFileloc,
        token.line,
        undefined,
        'DAG.__init__',
      );
      if (dag) {
        found.push(dag);
      }
      continue;
    }
    const atLineStart = i === 0 || previous?.type === 'newline';
    if (!(token.type === 'op' && token.value === '@' && atLineStart)) {
      continue;
    }
    // A decorator: a dotted name, optionally called.
    let j = i + 1;
    const names: string[] = [];
    for (let name = tokens[j]; name?.type === 'name'; name = tokens[j]) {
      names.push(name.value);
      if (tokens[j + 1]?.type === 'op' && tokens[j + 1].value === '.') {
        j += 2;
      } else {
        j++;
        break;
      }
    }
    if (names[names.length - 1] !== 'dag') {
      continue;
    }
    let args: PyToken[][] = [];
    if (tokens[j]?.type === 'op' && tokens[j].value === '(') {
      const call = callArguments(tokens, j);
      args = call.args;
      j = call.end + 1;
    }
    // Further decorators, then `def name` (or `async def name`).
    let functionName: string | undefined;
    for (let k = j; k < tokens.length; k++) {
      const candidate = tokens[k];
      if (candidate.type === 'name' && candidate.value === 'def') {
        const name = tokens[k + 1];
        functionName = name?.type === 'name' ? name.value : undefined;
        break;
      }
      if (candidate.type === 'name' && candidate.value === 'class') {
        break;
      }
    }
    if (!functionName) {
      continue;
    }
    const dag = dagFromCall(
      args,
      relativeFileloc,
      token.line,
      functionName,
      'dag',
    );
    if (dag) {
      found.push(dag);
    }
  }
  return found;
}

/**
 * Finds the DAGs and import errors of a bundle's files, as the DAG
 * processor of the given Airflow major version would (within the rules
 * above).
 */
export function parseDagFolder(
  files: Map<string, Buffer>,
  options: { airflowMajor: number; dagsFolder: string },
): ParsedDagFolder {
  const dags: DagDefinition[] = [];
  const importErrors: DagImportError[] = [];
  const owners = new Map<string, string>();
  const paths = [...files.keys()].filter(path => path.endsWith('.py')).sort();
  for (const path of paths) {
    const bytes = files.get(path)!;
    const fileloc = `${options.dagsFolder}/${path}`;
    const lower = bytes.toString('latin1').toLowerCase();
    if (!lower.includes('airflow') || !lower.includes('dag')) {
      continue; // safe mode
    }
    const invalid = invalidUtf8(bytes);
    if (invalid) {
      const before = bytes.subarray(0, invalid.offset);
      const line = before.toString('latin1').split('\n').length;
      const column = invalid.offset - (before.lastIndexOf(0x0a) + 1);
      importErrors.push({
        relativeFileloc: path,
        stackTrace: traceback(
          fileloc,
          line,
          undefined,
          `SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0x${bytes[
            invalid.offset
          ]
            .toString(16)
            .padStart(2, '0')} in position ${column}: ${invalid.reason}`,
          false,
        ),
      });
      continue;
    }
    const source = bytes.toString('utf8');
    const lines = source.split('\n');
    const tokenized = tokenizePython(source);
    if (tokenized.error) {
      importErrors.push({
        relativeFileloc: path,
        stackTrace: traceback(
          fileloc,
          tokenized.error.line,
          lines[tokenized.error.line - 1],
          `SyntaxError: ${tokenized.error.message}`,
          false,
        ),
      });
      continue;
    }
    const marker = MARKER.exec(source);
    if (marker) {
      const line = source.slice(0, marker.index).split('\n').length;
      importErrors.push({
        relativeFileloc: path,
        stackTrace: traceback(
          fileloc,
          line,
          undefined,
          marker[1].trim() || 'Exception: simulated import error',
          true,
        ),
      });
      continue;
    }
    const found = findDags(tokenized.tokens, path);
    const removed =
      options.airflowMajor >= 3 && found.find(dag => dag.removedKeyword);
    if (removed && removed.removedKeyword) {
      importErrors.push({
        relativeFileloc: path,
        stackTrace: traceback(
          fileloc,
          removed.definition.line,
          lines[removed.definition.line - 1],
          `TypeError: ${removed.removedKeyword.callable}() got an unexpected keyword argument '${removed.removedKeyword.keyword}'`,
          true,
        ),
      });
      continue;
    }
    const duplicate = found.find(
      dag =>
        owners.has(dag.definition.dagId) &&
        owners.get(dag.definition.dagId) !== path,
    );
    if (duplicate) {
      const other = `${options.dagsFolder}/${owners.get(
        duplicate.definition.dagId,
      )}`;
      importErrors.push({
        relativeFileloc: path,
        stackTrace: [
          `AirflowDagDuplicatedIdException: Ignoring DAG ${duplicate.definition.dagId} from ${fileloc} - also found in ${other}`,
          SIMULATED_NOTE,
        ].join('\n'),
      });
      continue;
    }
    const seen = new Set<string>();
    for (const { definition } of found) {
      if (seen.has(definition.dagId)) {
        continue; // one DAG per id and file
      }
      seen.add(definition.dagId);
      owners.set(definition.dagId, path);
      dags.push(definition);
    }
  }
  return { dags, importErrors };
}
