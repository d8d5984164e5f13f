import { ChildProcess, spawn } from 'node:child_process';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** Path of the `astro-simulator` command of this package. */
export const SIMULATOR_BIN = resolvePackagePath(
  '@airflow-portal/plugin-astro-backend-module-simulator',
  'bin/astro-simulator',
);

/**
 * A simulator running as its own process (see `astro-simulator --help`),
 * for tests and benchmarks that kill or restart a backend while the
 * cluster keeps running.
 *
 * @public
 */
export interface SimulatorProcess {
  /** The OS process id. */
  readonly pid: number;
  /** The HTTPS URL it listens on. */
  readonly httpsUrl: string;
  /** The plain HTTP URL of the same port. */
  readonly url: string;
  /** Everything it printed so far (standard output and error). */
  output(): string;
  /** Resolves with the exit code (`null` when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Sends a signal: `SIGTERM` stops it cleanly, `SIGKILL` at once. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `astro-simulator` with `args` and resolves once it listens.
 *
 * @public
 */
export function startSimulatorProcess(
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<SimulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [SIMULATOR_BIN, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    },
  );
  let output = '';
  const exited = new Promise<number | null>(done =>
    child.on('exit', code => done(code)),
  );
  return new Promise((started, failed) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      failed(new Error(`astro-simulator did not start: ${output}`));
    }, options.timeoutMs ?? 60_000);
    let listening = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on https:\/\/(\S+)/.exec(output);
      if (match && !listening) {
        listening = true;
        clearTimeout(timer);
        started({
          pid: child.pid!,
          httpsUrl: `https://${match[1]}`,
          url: `http://${match[1]}`,
          output: () => output,
          exited,
          kill: signal => {
            child.kill(signal ?? 'SIGTERM');
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then(code => {
      if (!listening) {
        clearTimeout(timer);
        failed(new Error(`astro-simulator exited with ${code}: ${output}`));
      }
    });
  });
}
