import { promises as fs } from 'node:fs';
import path from 'node:path';
import { API_TOKEN, USER_TOKEN } from '../__testUtils__/fakePortal';
import { CliHarness, PORTAL_URL } from '../__testUtils__/harness';

describe('login and logout', () => {
  const cli = new CliHarness();
  const configFile = () =>
    path.join(cli.home, 'config', 'airflow-portal', 'config.json');

  beforeEach(() => cli.start());
  afterEach(() => cli.stop());

  it('checks a Backstage token against the API and stores it readable by the owner only', async () => {
    const result = await cli.run([
      'login',
      '--url',
      `${PORTAL_URL}/`,
      '--token',
      USER_TOKEN,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Logged in to ${PORTAL_URL} with a Backstage token: it sees 1 organization (acme).\nStored in ${configFile()}.\n`,
    );
    expect(cli.portal.requests.map(r => [r.method, r.path])).toEqual([
      ['GET', '/organizations'],
    ]);
    expect(JSON.parse(await fs.readFile(configFile(), 'utf8'))).toEqual({
      url: PORTAL_URL,
      token: USER_TOKEN,
    });
    expect((await fs.stat(configFile())).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(configFile()))).mode & 0o777).toBe(
      0o700,
    );

    // Later commands use the stored URL and token.
    const list = await cli.run(['deployment', 'list']);
    expect(list.code).toBe(0);
    expect(cli.portal.requests.at(-1)?.headers.authorization).toBe(
      `Bearer ${USER_TOKEN}`,
    );
  });

  it('stores nothing when the portal refuses the token, and says why', async () => {
    const result = await cli.run([
      'login',
      '--url',
      PORTAL_URL,
      '--token',
      'expired-token',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Error: Illegal token (HTTP 401 AuthenticationError)\n' +
        '  Hint: the portal did not accept the token: run `airflow-portal login` again, or check AIRFLOW_PORTAL_TOKEN\n',
    );
    expect(result.stderr).not.toContain('expired-token');
    await expect(fs.stat(configFile())).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('checks an API token against the Deployment it is for', async () => {
    const result = await cli.run([
      'login',
      '--url',
      PORTAL_URL,
      '--token',
      API_TOKEN,
      '--deployment',
      'acme/etl',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'with an API token astro_2f9c1a7e…: it may read acme/etl.',
    );
    expect(result.stdout).not.toContain(API_TOKEN);
    expect(cli.portal.requests.map(r => r.path)).toEqual([
      '/organizations/acme/deployments/etl',
    ]);
  });

  it('says how to check an API token when no Deployment is given', async () => {
    const result = await cli.run([
      'login',
      '--url',
      PORTAL_URL,
      '--token',
      API_TOKEN,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('add --deployment ORG/NAME');
    expect(cli.portal.requests.map(r => r.path)).toEqual(['/health']);
  });

  it('reads the token from piped input', async () => {
    const result = await cli.run(['login', '--url', PORTAL_URL], {
      stdin: `${USER_TOKEN}\n`,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(await fs.readFile(configFile(), 'utf8')).token).toBe(
      USER_TOKEN,
    );
  });

  it('asks for the token on a terminal without echoing it', async () => {
    const result = await cli.run(['login', '--url', PORTAL_URL], {
      stdin: `${USER_TOKEN}\n`,
      tty: true,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'Token (an API token astro_… or a Backstage token): \n',
    );
    expect(result.stdout).not.toContain(USER_TOKEN);
  });

  it('is a usage error without a URL or a token', async () => {
    const noUrl = await cli.run(['login', '--token', USER_TOKEN]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toBe(
      'Error: No portal URL: pass --url URL or set AIRFLOW_PORTAL_URL\n',
    );
    const noToken = await cli.run(['login', '--url', PORTAL_URL], {
      stdin: '',
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('Error: No token');
    const badUrl = await cli.run(['login', '--url', 'portal', '--token', 'x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url: "portal" is not a URL');
  });

  it('lets the environment override the stored login', async () => {
    await cli.run(['login', '--url', PORTAL_URL, '--token', USER_TOKEN]);
    const result = await cli.run(['deployment', 'inspect', 'acme/etl'], {
      env: { AIRFLOW_PORTAL_TOKEN: API_TOKEN },
    });
    expect(result.code).toBe(0);
    expect(cli.portal.requests.at(-1)?.headers.authorization).toBe(
      `Bearer ${API_TOKEN}`,
    );
    // And --token overrides both.
    await cli.run(['deployment', 'inspect', 'acme/etl', '--token', 'other'], {
      env: { AIRFLOW_PORTAL_TOKEN: API_TOKEN },
    });
    expect(cli.portal.requests.at(-1)?.headers.authorization).toBe(
      'Bearer other',
    );
  });

  it('logs out by removing the token but keeping the URL', async () => {
    await cli.run(['login', '--url', PORTAL_URL, '--token', USER_TOKEN]);
    const result = await cli.run(['logout']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Logged out: removed the token from ${configFile()}.\n`,
    );
    expect(JSON.parse(await fs.readFile(configFile(), 'utf8'))).toEqual({
      url: PORTAL_URL,
    });
    const after = await cli.run(['deployment', 'list']);
    expect(after.code).toBe(2);
    expect(after.stderr).toBe(
      'Error: Not logged in: no token (--token or AIRFLOW_PORTAL_TOKEN). Run `airflow-portal login --url URL` or set the environment variables\n',
    );
  });

  it('warns when the config file can be read by others', async () => {
    await cli.run(['login', '--url', PORTAL_URL, '--token', USER_TOKEN]);
    await fs.chmod(configFile(), 0o644);
    const result = await cli.run(['deployment', 'list']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `Warning: ${configFile()} holds a token and can be read by other users`,
    );
  });
});
