import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { startMockAstroApi } from '@airflow-portal/plugin-astro-node/testUtils';
import { CliIo } from '../lib/io';
import { run } from '../run';
import { FakePortal, USER_TOKEN } from './fakePortal';
import { makeTempDir } from './files';

/** The portal URL the in-process mock answers at. */
export const PORTAL_URL = 'http://portal.test';

/** What one in-process run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The clock's advance while it ran (its sleeps), in ms. */
  slept: number;
}

/**
 * Runs the CLI in process against a {@link FakePortal} served by
 * startMockAstroApi, with a temporary config folder and an instant clock.
 */
export class CliHarness {
  portal = new FakePortal();
  home = '';
  private closeMock?: () => Promise<void>;

  async start() {
    this.portal = new FakePortal();
    this.home = await makeTempDir();
    const mock = await startMockAstroApi({
      baseUrl: `${PORTAL_URL}/api/astro`,
      handlers: kit => this.portal.handlers(kit),
      onRequest: request => this.portal.record(request),
    });
    this.closeMock = mock.close;
  }

  async stop() {
    await this.closeMock?.();
    await fs.rm(this.home, { recursive: true, force: true });
  }

  /** The environment of a logged-in user, for `run`'s env. */
  loggedIn(token = USER_TOKEN): Record<string, string> {
    return { AIRFLOW_PORTAL_URL: PORTAL_URL, AIRFLOW_PORTAL_TOKEN: token };
  }

  async run(
    args: string[],
    options: {
      env?: Record<string, string | undefined>;
      cwd?: string;
      stdin?: string;
      tty?: boolean;
    } = {},
  ): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    let clock = Date.parse('2026-11-30T10:00:00.000Z');
    const start = clock;
    let stdin: CliIo['stdin'];
    if (options.stdin !== undefined) {
      stdin = Object.assign(Readable.from([options.stdin]), {
        isTTY: options.tty ?? false,
      });
    }
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: {
        write: (text: string) => (stderr += text),
        isTTY: options.tty ?? false,
      },
      stdin,
      env: {
        XDG_CONFIG_HOME: path.join(this.home, 'config'),
        ...options.env,
      },
      cwd: options.cwd ?? this.home,
      homedir: this.home,
      sleep: async ms => {
        clock += ms;
      },
      now: () => clock,
    };
    const code = await run(args, io);
    return { code, stdout, stderr, slept: clock - start };
  }
}
