import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DEP,
  DEPLOYS,
  ORG,
  postBundle,
  startDeployTestBackend,
} from '../__testUtils__/deployTestApi';
import {
  CollectingLogger,
  snapshotTables,
} from '../__testUtils__/startAstroTestBackend';
import { dagsBundle } from '../deploys/__testUtils__/bundles';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const USER = 'Bearer mock-user-token';
const bearer = (value: string) => `Bearer ${value}`;

describe.each(databases.eachSupportedId())('API tokens on %s', databaseId => {
  async function setup(logger = new CollectingLogger()) {
    const backend = await startDeployTestBackend(databases, databaseId, {
      unauthenticatedByDefault: true,
      logger,
    });
    const { api } = backend;
    const create = async (path: string, body: object) =>
      (await api.post(path).set('Authorization', USER).send(body).expect(201))
        .body;
    return { ...backend, create, logger };
  }

  it('creates a Deployment token whose value is shown once and stored only as a hash', async () => {
    const { api, knex, create, stop, logger } = await setup();
    const token = await create(`${DEP}/tokens`, {
      name: 'github-actions',
      description: 'Deploys from main',
      expiresInDays: 30,
    });
    expect(token).toMatchObject({
      name: 'github-actions',
      description: 'Deploys from main',
      scope: 'DEPLOYMENT',
      role: 'DEPLOYMENT_ADMIN',
      organization: 'acme',
      workspace: 'data-eng',
      deployment: 'etl',
      createdBy: 'user:default/mock',
      prefix: `astro_${token.id.replace(/-/g, '').slice(0, 8)}`,
    });
    expect(token.value).toMatch(/^astro_[0-9a-f]{32}_[A-Za-z0-9_-]+$/);
    expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(
      30 * 86_400_000,
    );
    const secret = token.value.split('_').slice(2).join('_');

    const list = await api
      .get(`${DEP}/tokens`)
      .set('Authorization', USER)
      .expect(200);
    expect(list.body.items).toEqual([
      expect.not.objectContaining({ value: expect.anything() }),
    ]);
    expect(list.body.items[0].id).toBe(token.id);

    // The value is nowhere: not in any table, event or log line.
    const everything = await snapshotTables(knex);
    expect(everything).not.toContain(secret);
    const [row] = await knex('api_tokens').select();
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    const events = await api
      .get(`${DEP}/events`)
      .set('Authorization', USER)
      .expect(200);
    expect(events.body.items[0].action).toBe('token-created');
    expect(JSON.stringify(events.body)).not.toContain(secret);
    expect(logger.lines.join('\n')).not.toContain(secret);
    await stop();
  });

  it('lets a Deployment token read and deploy to its Deployment only, audited with the token as actor', async () => {
    const { api, create, stop, logger } = await setup();
    const token = await create(`${DEP}/tokens`, { name: 'ci' });
    const auth = bearer(token.value);

    const got = await api.get(DEP).set('Authorization', auth).expect(200);
    expect(got.body.name).toBe('etl');
    const list = await api
      .get(`${ORG}/deployments`)
      .set('Authorization', auth)
      .expect(200);
    expect(list.body.items.map((d: { name: string }) => d.name)).toEqual([
      'etl',
    ]);
    const deploy = await api
      .post(DEPLOYS)
      .set('Authorization', auth)
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(201);
    expect(deploy.body.createdBy).toBe(`token:${token.id}`);
    await postBundle(
      api.post(DEPLOYS).set('Authorization', auth),
      await dagsBundle(),
    ).expect(201);
    await api.get(DEPLOYS).set('Authorization', auth).expect(200);
    await api
      .get(`${DEPLOYS}/${deploy.body.id}`)
      .set('Authorization', auth)
      .expect(200);

    // Another Deployment (existing or not): 403 alike.
    for (const path of [
      `${ORG}/deployments/reports`,
      `${ORG}/deployments/nope`,
      `${ORG}/deployments/reports/deploys`,
      '/api/astro/organizations/other/deployments',
    ]) {
      const refused = await api.get(path).set('Authorization', auth);
      expect([path, refused.status]).toEqual([path, 403]);
    }
    await api
      .post(`${ORG}/deployments/reports/deploys`)
      .set('Authorization', auth)
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(403);
    // Anything but reading Deployments and deploying: 403 or 401.
    await api.get(`${DEP}/variables`).set('Authorization', auth).expect(403);
    await api
      .patch(DEP)
      .set('Authorization', auth)
      .send({ title: 'x' })
      .expect(403);
    await api.get(`${DEP}/tokens`).set('Authorization', auth).expect(403);
    await api
      .post(`${DEP}/tokens`)
      .set('Authorization', auth)
      .send({ name: 'escalate' })
      .expect(403);

    const audit = logger.lines.filter(line => line.includes('api-token-use'));
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.join('\n')).toContain(`token:${token.id}`);
    const deployAudit = logger.lines.filter(line =>
      line.includes('deploy-create'),
    );
    expect(deployAudit.join('\n')).toContain(`token:${token.id}`);
    expect(logger.lines.join('\n')).not.toContain(token.value);
    await stop();
  });

  it('gives workspace tokens their role on the workspace’s Deployments', async () => {
    const { api, create, stop } = await setup();
    await api
      .post(`${ORG}/workspaces/data-eng/tokens`)
      .set('Authorization', USER)
      .send({ name: 'no-role' })
      .expect(400)
      .expect(res => expect(res.body.error.message).toMatch(/^role: /));
    const member = await create(`${ORG}/workspaces/data-eng/tokens`, {
      name: 'reader',
      role: 'WORKSPACE_MEMBER',
    });
    const author = await create(`${ORG}/workspaces/data-eng/tokens`, {
      name: 'deployer',
      role: 'WORKSPACE_AUTHOR',
    });
    expect(member).toMatchObject({ scope: 'WORKSPACE', workspace: 'data-eng' });
    expect(member.deployment).toBeUndefined();

    const listed = await api
      .get(`${ORG}/deployments`)
      .set('Authorization', bearer(member.value))
      .expect(200);
    expect(listed.body.items.map((d: { name: string }) => d.name)).toEqual([
      'etl',
      'reports',
    ]);
    const otherWorkspace = await api
      .get(`${ORG}/deployments`)
      .query({ workspace: 'analytics' })
      .set('Authorization', bearer(member.value))
      .expect(200);
    expect(otherWorkspace.body.items).toEqual([]);
    // Across organizations, too, the token lists its workspace only.
    const across = await api
      .get('/api/astro/deployments')
      .set('Authorization', bearer(member.value))
      .expect(200);
    expect(across.body.items.map((d: { name: string }) => d.name)).toEqual([
      'etl',
      'reports',
    ]);
    expect(across.body.totalCount).toBe(2);
    const acrossOther = await api
      .get('/api/astro/deployments')
      .query({ organization: 'acme', workspace: 'analytics' })
      .set('Authorization', bearer(member.value))
      .expect(200);
    expect(acrossOther.body).toEqual({ items: [], totalCount: 0 });
    await api
      .get(`${ORG}/deployments/reports`)
      .set('Authorization', bearer(member.value))
      .expect(200);
    await api
      .get(`${ORG}/deployments/metrics`)
      .set('Authorization', bearer(member.value))
      .expect(403);

    const refused = await api
      .post(DEPLOYS)
      .set('Authorization', bearer(member.value))
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(403);
    expect(refused.body.error.message).toContain('WORKSPACE_MEMBER');
    await api
      .post(DEPLOYS)
      .set('Authorization', bearer(author.value))
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(201);
    await api
      .post(`${ORG}/deployments/metrics/deploys`)
      .set('Authorization', bearer(author.value))
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(403);

    const tokens = await api
      .get(`${ORG}/workspaces/data-eng/tokens`)
      .set('Authorization', USER)
      .expect(200);
    expect(tokens.body.items.map((t: { name: string }) => t.name)).toEqual([
      'deployer',
      'reader',
    ]);
    await stop();
  });

  it('refuses revoked, expired, rotated-away and malformed tokens at once with 401', async () => {
    const { api, knex, create, stop } = await setup();
    const revoked = await create(`${DEP}/tokens`, { name: 'revoked' });
    await api.get(DEP).set('Authorization', bearer(revoked.value)).expect(200);
    const revocation = await api
      .delete(`${DEP}/tokens/${revoked.id}`)
      .set('Authorization', USER)
      .expect(200);
    expect(revocation.body.revokedAt).toBeDefined();
    const afterRevoke = await api
      .get(DEP)
      .set('Authorization', bearer(revoked.value))
      .expect(401);
    expect(afterRevoke.body.error.message).toContain('revoked');
    await api
      .post(`${DEP}/tokens/${revoked.id}/rotate`)
      .set('Authorization', USER)
      .expect(409);

    const expiring = await create(`${DEP}/tokens`, {
      name: 'expiring',
      expiresInDays: 1,
    });
    await knex('api_tokens')
      .where({ id: expiring.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await api
      .get(DEP)
      .set('Authorization', bearer(expiring.value))
      .expect(401);
    expect(expired.body.error.message).toContain('expired');

    const rotating = await create(`${DEP}/tokens`, { name: 'rotating' });
    const rotated = await api
      .post(`${DEP}/tokens/${rotating.id}/rotate`)
      .set('Authorization', USER)
      .expect(200);
    expect(rotated.body.value).not.toBe(rotating.value);
    expect(rotated.body.rotatedAt).toBeDefined();
    await api.get(DEP).set('Authorization', bearer(rotating.value)).expect(401);
    await api
      .get(DEP)
      .set('Authorization', bearer(rotated.body.value))
      .expect(200);

    for (const value of [
      'astro_nope',
      `astro_${'0'.repeat(32)}_${'a'.repeat(43)}`,
      rotating.value.slice(0, -1),
    ]) {
      await api.get(DEP).set('Authorization', bearer(value)).expect(401);
    }
    // Without credentials, the token paths answer 401 as every route does.
    await api.get(DEP).expect(401);
    await api.get(`${ORG}/deployments`).expect(401);
    await api.post(DEPLOYS).send({ type: 'IMAGE', image: 'etl:1' }).expect(401);
    await api.get(ORG).expect(401);
    await stop();
  });

  it('records lastUsedAt at most once a minute', async () => {
    const { api, knex, create, stop } = await setup();
    const token = await create(`${DEP}/tokens`, { name: 'ci' });
    await api.get(DEP).set('Authorization', bearer(token.value)).expect(200);
    const first = (await knex('api_tokens').first()).last_used_at;
    expect(first).not.toBeNull();
    await api.get(DEP).set('Authorization', bearer(token.value)).expect(200);
    expect((await knex('api_tokens').first()).last_used_at).toEqual(first);
    await knex('api_tokens').update({
      last_used_at: new Date(Date.now() - 61_000),
    });
    await api.get(DEP).set('Authorization', bearer(token.value)).expect(200);
    const later = (await knex('api_tokens').first()).last_used_at;
    expect(new Date(later).getTime()).toBeGreaterThan(Date.now() - 10_000);
    const listed = await api
      .get(`${DEP}/tokens`)
      .set('Authorization', USER)
      .expect(200);
    expect(listed.body.items[0].lastUsedAt).toBeDefined();
    await stop();
  });

  it('enforces CI/CD deploys: a Backstage user is refused, a token deploys', async () => {
    const { api, create, stop } = await setup();
    const token = await create(`${DEP}/tokens`, { name: 'ci' });
    await api
      .patch(DEP)
      .set('Authorization', USER)
      .send({ settings: { isCicdEnforced: true } })
      .expect(200);
    const refused = await postBundle(
      api.post(DEPLOYS).set('Authorization', USER),
      await dagsBundle(),
    ).expect(409);
    expect(refused.body.error.message).toContain('isCicdEnforced');
    await postBundle(
      api.post(DEPLOYS).set('Authorization', bearer(token.value)),
      await dagsBundle(),
    ).expect(201);
    await stop();
  });

  it('never replays a token value for a retried create', async () => {
    const { api, knex, stop } = await setup();
    const first = await api
      .post(`${DEP}/tokens`)
      .set('Authorization', USER)
      .set('Idempotency-Key', 'k1')
      .send({ name: 'ci' })
      .expect(201);
    const retry = await api
      .post(`${DEP}/tokens`)
      .set('Authorization', USER)
      .set('Idempotency-Key', 'k1')
      .send({ name: 'ci' })
      .expect(409);
    expect(retry.body.error.message).toContain(first.body.id);
    expect(retry.body.error.message).toContain('rotate');
    const records = JSON.stringify(await knex('idempotency_records').select());
    expect(records).not.toContain(first.body.value);
    expect(Number((await knex('api_tokens').count({ n: '*' }))[0].n)).toBe(1);
    await stop();
  });

  it('makes managing tokens take the tokens.manage permissions, and deploying the deploy permission', async () => {
    const denied: string[] = [];
    const { api, stop } = await startDeployTestBackend(databases, databaseId, {
      deniedPermissions: denied,
    });
    denied.push(
      'astro.deployment.tokens.manage',
      'astro.workspace.tokens.manage',
      'astro.deployment.deploy',
    );
    for (const call of [
      api.get(`${DEP}/tokens`),
      api.post(`${DEP}/tokens`).send({ name: 'x' }),
      api.delete(`${DEP}/tokens/00000000-0000-4000-8000-000000000000`),
      api.post(`${DEP}/tokens/00000000-0000-4000-8000-000000000000/rotate`),
      api.get(`${ORG}/workspaces/data-eng/tokens`),
      api
        .post(`${ORG}/workspaces/data-eng/tokens`)
        .send({ name: 'x', role: 'WORKSPACE_MEMBER' }),
      api.post(DEPLOYS).send({ type: 'IMAGE', image: 'etl:1' }),
    ]) {
      const response = await call;
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(/denies astro\./);
    }
    // Reading is still allowed.
    await api.get(DEPLOYS).expect(200);
    await stop();
  });
});
