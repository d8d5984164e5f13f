import os from 'node:os';

/** Where output goes; a terminal's `isTTY` turns on interactive output. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * What a run of the CLI reads from and writes to. The bin passes the
 * process's; tests pass their own, so that commands run in process.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where prompts read from; absent when there is nothing to read. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** What relative paths are relative to. */
  cwd: string;
  /** The user's home folder (for the config file's default place). */
  homedir: string;
  /** Waits; tests make it instant. */
  sleep(ms: number): Promise<void>;
  /** Milliseconds since the epoch; tests move it forward. */
  now(): number;
}

/** The process's own streams, environment and clock. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    homedir: os.homedir(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
}
