import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { packDags } from './bundle/packDags';
import { API_TOKEN, FakePortal } from './__testUtils__/fakePortal';
import { makeTempDir, writeTree } from './__testUtils__/files';
import { startHttpPortal } from './__testUtils__/httpPortal';

jest.setTimeout(60_000);

const BIN = path.resolve(__dirname, '../bin/airflow-portal');

/** Runs the real bin in a child process, as a user or CI would. */
function runBin(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('AIRFLOW_PORTAL_') || key === 'CI') delete env[key];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

describe('the airflow-portal bin', () => {
  let portal: FakePortal;
  let server: { url: string; close(): Promise<void> };
  let home: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    portal = new FakePortal();
    portal.script = [{ status: 'DEPLOYED', statusReason: 'All pods serve it' }];
    server = await startHttpPortal(portal);
    home = await makeTempDir();
    env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config') };
    await writeTree(home, {
      'project/dags/etl.py': 'from airflow import DAG\n',
      'project/dags/include/sql/load.sql': 'select 1;\n',
    });
  });

  afterEach(async () => {
    await server.close();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('logs in, then deploys DAGs from CI over HTTP to DEPLOYED', async () => {
    const login = await runBin(
      [
        'login',
        '--url',
        server.url,
        '--token',
        API_TOKEN,
        '--deployment',
        'acme/etl',
      ],
      { cwd: home, env },
    );
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toContain(`Logged in to ${server.url}`);

    const deploy = await runBin(
      [
        'deploy',
        'acme/etl',
        '--dags',
        '--project-dir',
        'project',
        '--description',
        'From CI',
      ],
      { cwd: home, env: { ...env, CI: 'true' } },
    );
    expect(deploy.stderr).not.toContain('Error');
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(
      /^Deployed to acme\/etl in \d+ s: DAG bundle sha256:[0-9a-f]{64} \(deploy [0-9a-f-]{36}\)\.\n$/,
    );
    expect(deploy.stderr).toMatch(
      /Packing .*project\/dags\.\.\.\nPacked 2 files/,
    );
    expect(deploy.stderr).toMatch(/Uploading \d+ B of \d+ B \(100%\)/);
    expect(deploy.stderr).toContain('DEPLOYED: All pods serve it');

    const bundle = await packDags(path.join(home, 'project/dags'));
    const sent = portal.requests.find(r => r.method === 'POST')!;
    expect(sent.query).toEqual({
      type: 'DAG',
      description: 'From CI',
      origin: 'CI',
      checksum: bundle.checksum,
    });
    // Sent with its length, not chunked, and with the stored token.
    expect(sent.headers['content-length']).toBe(String(bundle.bytes.length));
    expect(sent.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(Buffer.from(sent.body as Uint8Array)).toEqual(
      Buffer.from(bundle.bytes),
    );
  });

  it('exits 3 with the reason when the deploy FAILED', async () => {
    portal.script = [
      {
        status: 'FAILED',
        statusReason: 'Pod worker-0 could not unpack the bundle',
      },
    ];
    const result = await runBin(
      [
        'deploy',
        'acme/etl',
        '--dags',
        '--project-dir',
        path.join(home, 'project'),
      ],
      {
        cwd: home,
        env: {
          ...env,
          AIRFLOW_PORTAL_URL: server.url,
          AIRFLOW_PORTAL_TOKEN: API_TOKEN,
        },
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /Error: Deploy [0-9a-f-]{36} to acme\/etl FAILED: Pod worker-0 could not unpack the bundle\n$/,
    );
  });

  it('exits 1 when the portal cannot be reached, and 2 for a wrong command line', async () => {
    const closed = server.url;
    await server.close();
    server = { url: '', close: async () => undefined };
    const unreachable = await runBin(['deployment', 'list'], {
      cwd: home,
      env: {
        ...env,
        AIRFLOW_PORTAL_URL: closed,
        AIRFLOW_PORTAL_TOKEN: API_TOKEN,
      },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(
      `Error: Cannot reach the portal at ${closed}: ECONNREFUSED\n`,
    );

    const usage = await runBin(['deploy', 'acme/etl', '--dag'], {
      cwd: home,
      env,
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("error: unknown option '--dag'");
  });
});
