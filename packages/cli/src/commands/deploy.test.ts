import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { packDags } from '../bundle/packDags';
import { API_TOKEN } from '../__testUtils__/fakePortal';
import { writeTree } from '../__testUtils__/files';
import { CliHarness } from '../__testUtils__/harness';

describe('deploy', () => {
  const cli = new CliHarness();
  let project: string;

  beforeEach(async () => {
    await cli.start();
    project = path.join(cli.home, 'project');
    await writeTree(project, {
      'dags/etl.py': 'from airflow import DAG\n',
      'dags/include/helpers.py': 'def help(): pass\n',
      'dags/__pycache__/etl.cpython-312.pyc': 'bytecode',
      Dockerfile: 'FROM apache/airflow:3.1.3\n',
    });
  });

  afterEach(() => cli.stop());

  const deployRequests = () =>
    cli.portal.requests.filter(
      r =>
        r.method === 'POST' &&
        r.path === '/organizations/acme/deployments/etl/deploys',
    );

  it('packs dags/, uploads it with its checksum and follows the deploy to DEPLOYED', async () => {
    const result = await cli.run(
      [
        'deploy',
        'acme/etl',
        '--dags',
        '--project-dir',
        'project',
        '--description',
        'Billing DAGs',
      ],
      { env: cli.loggedIn(API_TOKEN) },
    );

    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    const [sent] = deployRequests();
    const expected = await packDags(path.join(project, 'dags'));
    expect(sent.headers['content-type']).toBe('application/gzip');
    expect(sent.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(sent.query).toEqual({
      type: 'DAG',
      description: 'Billing DAGs',
      origin: 'CLI',
      checksum: expected.checksum,
    });
    expect(Buffer.from(sent.body as Uint8Array)).toEqual(
      Buffer.from(expected.bytes),
    );

    // Progress on stderr: packing, bytes uploaded, each status change.
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`Packing ${path.join(project, 'dags')}...`);
    expect(result.stderr).toContain(
      `Packed 2 files (41 B) into ${expected.bytes.length} B, ${expected.checksum}`,
    );
    expect(result.stderr).toContain(
      `Uploading ${expected.bytes.length} B of ${expected.bytes.length} B (100%)`,
    );
    expect(result.stderr).toMatch(
      /Deploy [0-9a-f-]{36} created: DAG, INITIALIZED/,
    );
    expect(result.stderr).toMatch(
      /INITIALIZED: 0 of 2 pods serve the bundle\n.*INITIALIZED: 1 of 2 pods serve the bundle\n.*DEPLOYED: All 2 pods serve the bundle/,
    );
    // The result on stdout.
    expect(result.stdout).toMatch(
      new RegExp(
        `^Deployed to acme/etl in \\d+ s: DAG bundle ${expected.checksum} \\(deploy [0-9a-f-]{36}\\)\\.\n$`,
      ),
    );
    // Polled with getDeploy until DEPLOYED.
    const polls = cli.portal.requests.filter(r =>
      /\/deploys\/[0-9a-f-]{36}$/.test(r.path),
    );
    expect(polls).toHaveLength(3);
  });

  it('reports upload progress in quarters in logs, and on one line on a terminal', async () => {
    // Random bytes do not compress: a bundle of several upload chunks.
    await fs.writeFile(
      path.join(project, 'dags/model.bin'),
      randomBytes(300_000),
    );
    const logged = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project],
      {
        env: cli.loggedIn(),
      },
    );
    expect(logged.code).toBe(0);
    const size = deployRequests()[0].headers['content-length'];
    const progress = logged.stderr
      .split('\n')
      .filter(line => line.startsWith('Uploading '))
      .map(line => line.replace(/^Uploading .* of .* \((\d+)%\)$/, '$1'));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toBe('100');
    expect(logged.stderr).toMatch(/\nUploaded 30\d kB in \d+ s\n/);
    expect(Number(size)).toBeGreaterThan(300_000);

    const terminal = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project],
      {
        env: cli.loggedIn(),
        tty: true,
      },
    );
    expect(terminal.code).toBe(0);
    const esc = '\u001b';
    expect(terminal.stderr).toContain(
      `\rUploading 66 kB of 300 kB (21%)${esc}[K`,
    );
    expect(terminal.stderr).toContain(`(100%)${esc}[K\r${esc}[KUploaded`);
  });

  it('says CI is the origin when CI=true', async () => {
    const result = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project],
      { env: { ...cli.loggedIn(API_TOKEN), CI: 'true' } },
    );
    expect(result.code).toBe(0);
    expect(deployRequests()[0].query.origin).toBe('CI');
  });

  it('shows the reason and exits 3 when the deploy FAILED', async () => {
    cli.portal.script = [
      { status: 'INITIALIZED', statusReason: '0 of 2 pods serve the bundle' },
      {
        status: 'FAILED',
        statusReason:
          'Pods scheduler-7d9f8c6b5-x2kqp did not pick up the bundle within 600 s',
      },
    ];
    const result = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /Error: Deploy [0-9a-f-]{36} to acme\/etl FAILED: Pods scheduler-7d9f8c6b5-x2kqp did not pick up the bundle within 600 s\n$/,
    );
  });

  it('exits 3 when the deploy is not DEPLOYED within --timeout, and stops polling', async () => {
    cli.portal.script = [{ status: 'INITIALIZED', statusReason: 'Waiting' }];
    const result = await cli.run(
      [
        'deploy',
        'acme/etl',
        '--dags',
        '--project-dir',
        project,
        '--timeout',
        '30',
      ],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(3);
    expect(result.slept).toBe(30_000);
    expect(result.stderr).toMatch(
      /Error: Deploy [0-9a-f-]{36} is still INITIALIZED after 30 s \(Waiting\); it goes on in the portal/,
    );
  });

  it('retries polls the portal answers with 503, telling it once', async () => {
    cli.portal.failPolls = 2;
    cli.portal.script = [
      { status: 'DEPLOYED', statusReason: 'All pods serve it' },
    ];
    const result = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(0);
    expect(result.stderr.match(/did not answer/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/DEPLOYED: All pods serve it/);
  });

  it('sends an image deploy as JSON', async () => {
    const result = await cli.run(
      [
        'deploy',
        'acme/etl',
        '--image',
        'registry.example.com/data/etl:2026.11.30',
        '--airflow-version',
        '3.1.3',
        '--no-wait',
      ],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(0);
    const [sent] = deployRequests();
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      type: 'IMAGE',
      image: 'registry.example.com/data/etl:2026.11.30',
      airflowVersion: '3.1.3',
      origin: 'CLI',
    });
    expect(result.stdout).toMatch(
      /^Deploy [0-9a-f-]{36} to acme\/etl is INITIALIZED; follow it with `airflow-portal deploy list acme\/etl`\.\n$/,
    );
    // --no-wait: no polls.
    expect(cli.portal.requests.filter(r => r.method === 'GET')).toHaveLength(0);
  });

  it('sends IMAGE_AND_DAG with --dags and --image', async () => {
    const result = await cli.run(
      [
        'deploy',
        'acme/etl',
        '--dags',
        '--image',
        'registry.example.com/etl:2',
        '--project-dir',
        project,
      ],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(0);
    expect(deployRequests()[0].query).toMatchObject({
      type: 'IMAGE_AND_DAG',
      image: 'registry.example.com/etl:2',
    });
    expect(result.stdout).toContain(
      'IMAGE_AND_DAG registry.example.com/etl:2 bundle sha256:',
    );
  });

  it('prints exactly the final Deploy object with --json', async () => {
    const result = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project, '--json'],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(cli.portal.deploys[0]);
    expect(cli.portal.deploys[0].status).toBe('DEPLOYED');
  });

  it('prints the FAILED Deploy with --json and the error as JSON on stderr', async () => {
    cli.portal.script = [{ status: 'FAILED', statusReason: 'Bundle rejected' }];
    const result = await cli.run(
      ['--json', 'deploy', 'acme/etl', '--dags', '--project-dir', project],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'FAILED',
      statusReason: 'Bundle rejected',
    });
    const lastJson = result.stderr.slice(
      result.stderr.lastIndexOf('{\n  "error"'),
    );
    expect(JSON.parse(lastJson)).toEqual({
      error: {
        name: 'CliError',
        message: expect.stringContaining('FAILED: Bundle rejected'),
      },
    });
  });

  it("shows the portal's message and exits 1 when it refuses the deploy", async () => {
    const result = await cli.run(
      ['deploy', 'acme/nope', '--dags', '--project-dir', project],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Error: No such organization or Deployment (HTTP 404 NotFoundError)',
    );
  });

  it('refuses a project whose dags/ links outside it, before sending anything', async () => {
    const outside = path.join(cli.home, 'credentials.json');
    await fs.writeFile(outside, '{"password": "hunter2"}');
    await fs.symlink(outside, path.join(project, 'dags/host.txt'));
    const result = await cli.run(
      ['deploy', 'acme/etl', '--dags', '--project-dir', project],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Error: dags/host.txt is a symbolic link to ${await fs.realpath(
        outside,
      )}, outside the DAGs folder`,
    );
    expect(cli.portal.writes).toHaveLength(0);
  });
});

describe('deploy rollback and list', () => {
  const cli = new CliHarness();

  beforeEach(() => cli.start());
  afterEach(() => cli.stop());

  async function firstDeploy() {
    const result = await cli.run(
      [
        'deploy',
        'acme/etl',
        '--image',
        'registry.example.com/etl:1',
        '--description',
        'First',
      ],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(0);
    return cli.portal.deploys[0];
  }

  it('rolls back to an earlier deploy and waits for it', async () => {
    const earlier = await firstDeploy();
    const result = await cli.run(
      [
        'deploy',
        'rollback',
        'acme/etl',
        earlier.id,
        '--description',
        'Broken billing DAG',
      ],
      { env: { ...cli.loggedIn(), CI: 'true' } },
    );
    expect(result.code).toBe(0);
    const sent = cli.portal.writes.at(-1)!;
    expect(sent.path).toBe(
      `/organizations/acme/deployments/etl/deploys/${earlier.id}/rollback`,
    );
    expect(sent.body).toEqual({
      description: 'Broken billing DAG',
      origin: 'CI',
    });
    expect(result.stderr).toMatch(
      new RegExp(
        `Rollback [0-9a-f-]{36} to deploy ${earlier.id} created: IMAGE, INITIALIZED`,
      ),
    );
    expect(result.stdout).toMatch(
      /^Deployed to acme\/etl in \d+ s: IMAGE registry.example.com\/etl:1/,
    );
    expect(cli.portal.deploys[0].rollbackOf).toBe(earlier.id);
  });

  it('shows why the portal refuses a rollback', async () => {
    const earlier = await firstDeploy();
    earlier.createdAt = '2025-01-01T00:00:00.000Z';
    const result = await cli.run(
      ['deploy', 'rollback', 'acme/etl', earlier.id, '--no-wait'],
      { env: cli.loggedIn() },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error: deploy: is older than the retention period of 90 days (HTTP 409 ConflictError)\n',
    );
  });

  it('lists deploys newest first, as a table or as the API objects', async () => {
    await firstDeploy();
    await cli.run(
      ['deploy', 'acme/etl', '--image', 'registry.example.com/etl:2'],
      {
        env: cli.loggedIn(),
      },
    );
    const table = await cli.run(['deploy', 'list', 'acme/etl'], {
      env: cli.loggedIn(),
    });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^ID\s+TYPE\s+STATUS\s+CREATED\s+ORIGIN\s+BY\s+IMAGE\s+DAG BUNDLE\s+DESCRIPTION$/,
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('registry.example.com/etl:2');
    expect(lines[2]).toContain('registry.example.com/etl:1');
    expect(lines[2]).toMatch(/First$/);

    const json = await cli.run(
      ['deploy', 'list', 'acme/etl', '--json', '--limit', '1'],
      {
        env: cli.loggedIn(),
      },
    );
    expect(JSON.parse(json.stdout)).toEqual([cli.portal.deploys[0]]);
  });
});
