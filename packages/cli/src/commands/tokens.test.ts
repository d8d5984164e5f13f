import { CliHarness } from '../__testUtils__/harness';

describe('token commands', () => {
  const cli = new CliHarness();

  beforeEach(() => cli.start());
  afterEach(() => cli.stop());

  const run = (args: string[]) => cli.run(args, { env: cli.loggedIn() });

  it('creates a Deployment token and prints its value alone on stdout, once, with a warning', async () => {
    const result = await run([
      'deployment',
      'token',
      'create',
      'acme/etl',
      '--name',
      'github-actions',
      '--description',
      'Deploys from main',
      '--expires-in-days',
      '90',
    ]);
    expect(result.code).toBe(0);
    const [token] = cli.portal.tokens;
    expect(cli.portal.writes[0]).toMatchObject({
      method: 'POST',
      path: '/organizations/acme/deployments/etl/tokens',
      body: {
        name: 'github-actions',
        description: 'Deploys from main',
        expiresInDays: 90,
      },
    });
    expect(result.stdout).toBe(`${token.value}\n`);
    expect(result.stderr).toBe(
      `Created token github-actions (${token.id}) of acme/etl, role DEPLOYMENT_ADMIN, expires 2027-02-28 10:00:00Z.\n` +
        'Warning: copy the token now, it is not shown again. Store it as a CI secret; anyone with it can deploy.\n',
    );

    // Listing never shows values.
    const list = await run(['deployment', 'token', 'list', 'acme/etl']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(token.value);
    expect(list.stdout.split('\n')[1].replace(/\s+/g, ' ')).toBe(
      `${token.id} github-actions ${token.prefix} DEPLOYMENT_ADMIN active 2026-11-30 10:00:00Z 2027-02-28 10:00:00Z never`,
    );
  });

  it('prints the ApiTokenWithValue object with --json', async () => {
    const result = await run([
      'deployment',
      'token',
      'create',
      'acme/etl',
      '--name',
      'ci',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(cli.portal.tokens[0]);
  });

  it('revokes and rotates, and shows why a revoked token cannot be rotated', async () => {
    await run(['deployment', 'token', 'create', 'acme/etl', '--name', 'ci']);
    const [token] = cli.portal.tokens;

    const rotated = await run([
      'deployment',
      'token',
      'rotate',
      'acme/etl',
      token.id,
    ]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toBe(
      `astro_${token.id.replace(/-/g, '')}_rotated\n`,
    );
    expect(rotated.stderr).toContain('Rotated token ci');
    expect(rotated.stderr).toContain('it is not shown again');

    const revoked = await run([
      'deployment',
      'token',
      'revoke',
      'acme/etl',
      token.id,
    ]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked token ci (${token.id}).\n`);
    expect(cli.portal.writes.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/organizations/acme/deployments/etl/tokens/${token.id}`,
    });

    const again = await run([
      'deployment',
      'token',
      'rotate',
      'acme/etl',
      token.id,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'Error: token: is revoked (HTTP 409 ConflictError)\n',
    );

    const list = await run(['deployment', 'token', 'list', 'acme/etl']);
    expect(list.stdout).toMatch(/ revoked /);
  });

  it('creates workspace tokens with a role, short or full', async () => {
    const author = await run([
      'workspace',
      'token',
      'create',
      'acme/data-eng',
      '--name',
      'gitlab',
      '--role',
      'AUTHOR',
    ]);
    expect(author.code).toBe(0);
    expect(cli.portal.writes[0]).toMatchObject({
      path: '/organizations/acme/workspaces/data-eng/tokens',
      body: { name: 'gitlab', role: 'WORKSPACE_AUTHOR' },
    });
    expect(author.stderr).toContain(
      'of acme/data-eng, role WORKSPACE_AUTHOR, never expires',
    );

    const member = await run([
      'workspace',
      'token',
      'create',
      'acme/data-eng',
      '--name',
      'reader',
      '--role',
      'WORKSPACE_MEMBER',
    ]);
    expect(member.code).toBe(0);
    const list = await run([
      'workspace',
      'token',
      'list',
      'acme/data-eng',
      '--json',
    ]);
    expect(
      JSON.parse(list.stdout).map((t: { role: string }) => t.role),
    ).toEqual(['WORKSPACE_AUTHOR', 'WORKSPACE_MEMBER']);
  });

  it('is a usage error without --name or --role, or with an unknown role', async () => {
    const noName = await run(['deployment', 'token', 'create', 'acme/etl']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain(
      "required option '--name <name>' not specified",
    );
    const noRole = await run([
      'workspace',
      'token',
      'create',
      'acme/data-eng',
      '--name',
      'x',
    ]);
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain(
      "required option '--role <role>' not specified",
    );
    const badRole = await run([
      'workspace',
      'token',
      'create',
      'acme/data-eng',
      '--name',
      'x',
      '--role',
      'ADMIN',
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain(
      "option '--role <role>' argument 'ADMIN' is invalid",
    );
    const badDays = await run([
      'deployment',
      'token',
      'create',
      'acme/etl',
      '--name',
      'x',
      '--expires-in-days',
      '0',
    ]);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toBe(
      'Error: --expires-in-days: must be between 1 and 3650, not 0\n',
    );
    expect(cli.portal.writes).toHaveLength(0);
  });

  it('lists the workspaces of an organization', async () => {
    const result = await run(['workspace', 'list', 'acme']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[1].replace(/\s+/g, ' ')).toBe(
      'acme/data-eng Data Engineering group:default/data-eng',
    );
  });
});
