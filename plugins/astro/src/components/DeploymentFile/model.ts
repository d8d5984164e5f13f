import { LIMITS } from '@airflow-portal/plugin-astro-common';
import { formatBytes } from '../Deploys/model';

/** The largest deployment file the backend takes, in bytes. */
export const MAX_FILE_BYTES = LIMITS.requestBodyBytes;

/** The name a Deployment's exported file is saved under. */
export function exportFileName(deployment: string): string {
  return `${deployment}.yaml`;
}

/**
 * Why a file of this size cannot be imported, or `undefined` when it may
 * be: checked before the file is read.
 */
export function sizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_FILE_BYTES) {
    return undefined;
  }
  const size = (n: number) =>
    `${formatBytes(n)} (${n.toLocaleString('en-US')} bytes)`;
  return `The file is ${size(bytes)}; a deployment file may have at most ${size(
    MAX_FILE_BYTES,
  )}.`;
}

/** The size of a text in bytes, as it is sent (UTF-8). */
export function byteLength(text: string): number {
  return new Blob([text]).size;
}

/** One problem the backend found in a deployment file. */
export interface FileIssue {
  /** The field in the file, e.g. `spec.settings.executor`. */
  field?: string;
  message: string;
  /** The file's line the field is on. */
  line?: number;
}

const ISSUE = /^file(?:\.([\w.[\]-]+))?: (.+?)(?: \(line (\d+)\))?$/;

/**
 * The problems of a rejected import, one per field, from the backend's
 * message (`file.spec.settings.executor: must be … (line 8); …`). Parts
 * that name no field of the file (e.g. an unknown workspace) are kept as
 * they are.
 */
export function fileIssuesOf(message: string): FileIssue[] {
  return message
    .split('; ')
    .filter(part => part.trim() !== '')
    .map(part => {
      const match = ISSUE.exec(part);
      if (!match) {
        return { message: part };
      }
      return {
        field: match[1],
        message: match[2],
        line: match[3] === undefined ? undefined : Number(match[3]),
      };
    });
}

/** The text of a file the user picked (UTF-8). */
export function readFileText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

/**
 * Where a 1-based line of a text starts and ends (without its line break);
 * the end of the text for a line past it.
 */
export function lineRange(
  text: string,
  line: number,
): { start: number; end: number } {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next === -1) {
      return { start: text.length, end: text.length };
    }
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return { start, end: end === -1 ? text.length : end };
}
