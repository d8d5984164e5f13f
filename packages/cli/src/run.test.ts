import { CliHarness } from './__testUtils__/harness';
import { describeError, ExitCode } from './lib/errors';
import { CLI_VERSION } from './lib/version';

describe('command line parsing', () => {
  const cli = new CliHarness();

  beforeEach(() => cli.start());
  afterEach(() => cli.stop());

  const run = (...args: string[]) => cli.run(args, { env: cli.loggedIn() });

  it('shows help with every command and the exit codes, exiting 0', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const command of [
      'login',
      'logout',
      'deployment',
      'workspace',
      'deploy',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command} `));
    }
    expect(result.stdout).toContain('3  a deploy FAILED');
    const deployHelp = await run('deploy', '--help');
    expect(deployHelp.code).toBe(0);
    expect(deployHelp.stdout).toMatch(
      /^Usage: airflow-portal deploy \[options\] <org\/name>\n/,
    );
    expect(deployHelp.stdout).toContain('--project-dir <dir>');
    expect(deployHelp.stdout).toContain(
      'airflow-portal deploy rollback <org/name> <deploy-id>',
    );
    const tokenHelp = await run('deployment', 'token', 'create', '--help');
    expect(tokenHelp.stdout).toContain('--expires-in-days <days>');
    expect(tokenHelp.stdout).toContain('Global Options:\n  --json');
  });

  it('prints its version', async () => {
    const result = await run('--version');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${CLI_VERSION}\n`);
  });

  it.each([
    [
      ['deploymnet', 'list'],
      "error: unknown command 'deploymnet'\n(Did you mean deployment?)",
    ],
    [['deployment', 'list', '--colour'], "error: unknown option '--colour'"],
    [['deployment', 'inspect'], "error: missing required argument 'org/name'"],
    [
      ['deployment', 'inspect', 'etl'],
      'Error: DEPLOYMENT: expected ORGANIZATION/NAME (e.g. acme/prod-etl), not "etl"',
    ],
    [['deployment', 'inspect', 'acme/etl/x'], 'expected ORGANIZATION/NAME'],
    [
      ['deployment', 'update', 'acme/etl', '--executor', 'LOCAL'],
      "error: option '--executor <executor>' argument 'LOCAL' is invalid. Allowed choices are CELERY, KUBERNETES.",
    ],
    [
      ['deploy', 'acme/etl'],
      "Error: Say what to deploy: --dags (the project's dags/ folder), --image REF, or both",
    ],
    [
      ['deploy'],
      'Error: deploy: missing the Deployment (ORG/NAME), or a subcommand: list, rollback',
    ],
    [
      ['deploy', 'acme/etl', '--dags', '--airflow-version', '3.1.3'],
      'Error: --airflow-version: only with --image',
    ],
    [
      ['deploy', 'acme/etl', '--dags', '--timeout', 'soon'],
      'Error: --timeout: must be a whole number, not soon',
    ],
    [
      ['deploy', 'rollback', 'acme/etl'],
      "error: missing required argument 'deploy-id'",
    ],
    [
      ['deploy', 'rollback', 'acme/etl', 'x', '--dags'],
      "error: unknown option '--dags'",
    ],
    [
      ['deploy', 'list', 'acme/etl', '--limit', '-1'],
      'Error: --limit: must be a whole number, not -1',
    ],
    [['deployment'], 'Usage: airflow-portal deployment [options] [command]'],
  ])('exits 2 for %j without calling the portal', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toContain(message);
    expect(cli.portal.requests).toHaveLength(0);
  });

  it('takes global options before or after the command', async () => {
    const before = await cli.run([
      '--json',
      '--url',
      'http://portal.test',
      '--token',
      'backstage-user-token',
      'deploy',
      'list',
      'acme/etl',
    ]);
    const after = await cli.run([
      'deploy',
      'list',
      'acme/etl',
      '--token',
      'backstage-user-token',
      '--url',
      'http://portal.test/api/astro/',
      '--json',
    ]);
    expect(before.code).toBe(0);
    expect(after.code).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual([]);
    expect(JSON.parse(after.stdout)).toEqual([]);
    expect(cli.portal.requests.map(r => r.path)).toEqual([
      '/organizations/acme/deployments/etl/deploys',
      '/organizations/acme/deployments/etl/deploys',
    ]);
  });

  it('takes the options of deploy subcommands after their arguments', async () => {
    const result = await run(
      'deploy',
      'rollback',
      'acme/etl',
      'd-1',
      '--description',
      'why',
      '--no-wait',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error: No such deploy (HTTP 404 NotFoundError)\n',
    );
    expect(cli.portal.writes[0].body).toEqual({
      description: 'why',
      origin: 'CLI',
    });
  });
});

describe('describeError', () => {
  it('explains a portal that cannot be reached', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7007'), {
        code: 'ECONNREFUSED',
      }),
    });
    expect(describeError(error, 'http://localhost:7007')).toEqual({
      message: 'Cannot reach the portal at http://localhost:7007: ECONNREFUSED',
      exitCode: 1,
      body: {
        error: {
          name: 'NetworkError',
          message:
            'Cannot reach the portal at http://localhost:7007: ECONNREFUSED',
        },
      },
    });
  });
});
