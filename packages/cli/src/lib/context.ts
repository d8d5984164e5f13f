import { createPortalClient, normalizePortalUrl, PortalClient } from './client';
import { resolveTarget } from './config';
import { CliIo } from './io';
import { writeJson } from './output';
import { Writable } from 'node:stream';
import readline from 'node:readline';
import { CliError, UsageError } from './errors';

/** The options every command takes. */
export interface GlobalOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

/**
 * What commands share in one run: the streams, the global options and
 * the portal client, made on first use from the options, the environment
 * or the config file.
 */
export class CliContext {
  private portalClient?: PortalClient;
  /** The portal URL of this run, once known (for error messages). */
  portalUrl?: string;

  private program?: { opts(): object };

  constructor(readonly io: CliIo) {}

  /** Reads the global options from this program's parsed options. */
  bind(program: { opts(): object }) {
    this.program = program;
  }

  get globals(): GlobalOptions {
    return (this.program?.opts() ?? {}) as GlobalOptions;
  }

  /** Whether `--json` was given: stdout then holds the API's objects only. */
  get json(): boolean {
    return Boolean(this.globals.json);
  }

  /** A result line (stdout); left out with `--json`. */
  print(text: string) {
    if (!this.json) {
      this.io.stdout.write(`${text}\n`);
    }
  }

  /** Progress and warnings (stderr), with or without `--json`. */
  note(text: string) {
    this.io.stderr.write(`${text}\n`);
  }

  /** Writes the `--json` result; a no-op without `--json`. */
  result(value: unknown) {
    if (this.json) {
      writeJson(this.io.stdout, value);
    }
  }

  /** The portal client of this run. */
  async portal(): Promise<PortalClient> {
    if (!this.portalClient) {
      const target = await resolveTarget(this.io, this.globals);
      this.portalUrl = normalizePortalUrl(target.url);
      this.portalClient = createPortalClient(target);
    }
    return this.portalClient;
  }

  /** Where deploys made by this run come from: CI when `CI=true`. */
  get origin(): 'CI' | 'CLI' {
    return this.io.env.CI === 'true' ? 'CI' : 'CLI';
  }

  /** Whether questions can be asked (a terminal on stdin). */
  get interactive(): boolean {
    return Boolean(this.io.stdin?.isTTY);
  }

  /**
   * Reads one line from stdin: a prompt on a terminal (without echo when
   * hidden), the first line of piped input otherwise.
   */
  async readLine(question: string, options: { hidden?: boolean } = {}) {
    const input = this.io.stdin;
    if (!input) {
      throw new UsageError(`Nothing to read ${question.trim()} from`);
    }
    const terminal = Boolean(input.isTTY);
    if (terminal) {
      this.io.stderr.write(question);
    }
    // Typed characters are echoed by the terminal unless readline owns it;
    // it does (and echoes into nothing) for hidden input only.
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = readline.createInterface({
      input,
      output: muted,
      terminal: terminal && Boolean(options.hidden),
    });
    return new Promise<string>((resolve, reject) => {
      let answered = false;
      rl.once('line', line => {
        answered = true;
        rl.close();
        if (terminal && options.hidden) {
          this.io.stderr.write('\n');
        }
        resolve(line.trim());
      });
      rl.once('SIGINT', () => {
        rl.close();
        reject(new CliError('Cancelled', 130));
      });
      rl.once('close', () => {
        if (!answered) {
          resolve('');
        }
      });
    });
  }
}
