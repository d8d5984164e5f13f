import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import {
  DEP,
  ORG,
  startDeployTestBackend,
} from '../__testUtils__/deployTestApi';
import {
  AstroTestBackendOptions,
  CollectingLogger,
  snapshotTables,
} from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const USER = 'Bearer mock-user-token';
const SESSIONS = `${DEP}/airflow/sessions`;
const TOKENS = `${DEP}/airflow/tokens`;
const AIRFLOW_URL = 'https://etl.acme.airflow.example.com';

async function verify(token: string, key: string, audience: string) {
  const { jwtVerify } = await import('jose');
  return jwtVerify(token, new TextEncoder().encode(key), {
    algorithms: ['HS512'],
    audience,
    issuer: AIRFLOW_ACCESS.issuer,
  });
}

describe.each(databases.eachSupportedId())(
  'Airflow sign-in on %s',
  databaseId => {
    async function setup(options: Partial<AstroTestBackendOptions> = {}) {
      const logger = new CollectingLogger();
      const backend = await startDeployTestBackend(databases, databaseId, {
        unauthenticatedByDefault: true,
        logger,
        ...options,
      });
      const { knex, box, deploymentId } = backend;
      const id = await deploymentId('etl');
      const setAirflowUrl = (url: string | null) =>
        knex('deployments').where({ id }).update({ airflow_url: url });
      const signingKey = async () =>
        box.decrypt(
          (
            await knex('deployment_credentials')
              .where({ deployment_id: id, name: 'jwtSecret' })
              .first()
          ).value_ciphertext,
        );
      return { ...backend, logger, id, setAirflowUrl, signingKey };
    }

    it('signs a one-minute login ticket for the caller, ADMIN with update permission, logged without its value', async () => {
      const { api, stop, id, setAirflowUrl, signingKey, knex, logger } =
        await setup();
      await setAirflowUrl(`${AIRFLOW_URL}/`);
      const before = Math.floor(Date.now() / 1000);
      const res = await api
        .post(SESSIONS)
        .set('Authorization', USER)
        .expect(201);
      expect(res.body).toMatchObject({
        airflowUrl: AIRFLOW_URL,
        role: 'ADMIN',
      });
      const loginUrl = new URL(res.body.loginUrl);
      expect(`${loginUrl.origin}${loginUrl.pathname}`).toBe(
        `${AIRFLOW_URL}${AIRFLOW_ACCESS.loginPath}`,
      );
      const ticket = loginUrl.searchParams.get(AIRFLOW_ACCESS.ticketParameter)!;
      const { payload, protectedHeader } = await verify(
        ticket,
        await signingKey(),
        AIRFLOW_ACCESS.ticketAudience,
      );
      expect(protectedHeader.alg).toBe('HS512');
      expect(payload).toMatchObject({
        sub: 'user:default/mock',
        role: 'ADMIN',
        deployment: id,
        aud: AIRFLOW_ACCESS.ticketAudience,
      });
      expect(payload.exp! - payload.iat!).toBe(60);
      expect(Math.abs(payload.iat! - before)).toBeLessThanOrEqual(5);
      expect(Date.parse(res.body.expiresAt) / 1000).toBe(payload.exp);
      // A ticket is no API token.
      await expect(
        verify(ticket, await signingKey(), AIRFLOW_ACCESS.apiAudience),
      ).rejects.toThrow();

      const events = await api
        .get(`${DEP}/events`)
        .set('Authorization', USER)
        .expect(200);
      expect(events.body.items[0]).toMatchObject({
        action: 'airflow-session-created',
        actor: 'user:default/mock',
      });
      const signature = ticket.split('.')[2];
      expect(JSON.stringify(events.body)).not.toContain(signature);
      expect(await snapshotTables(knex)).not.toContain(signature);
      expect(logger.lines.join('\n')).toContain('airflow-session-create');
      expect(logger.lines.join('\n')).not.toContain(signature);
      await stop();
    });

    it('signs a one-hour API token for /api/v2 on Airflow 3 and /api/v1 on Airflow 2', async () => {
      const { api, stop, id, setAirflowUrl, signingKey, knex, logger } =
        await setup();
      await setAirflowUrl(AIRFLOW_URL);
      const res = await api.post(TOKENS).set('Authorization', USER).expect(201);
      expect(res.body).toMatchObject({
        apiUrl: `${AIRFLOW_URL}/api/v2`,
        role: 'ADMIN',
      });
      const { payload } = await verify(
        res.body.token,
        await signingKey(),
        AIRFLOW_ACCESS.apiAudience,
      );
      expect(payload).toMatchObject({
        sub: 'user:default/mock',
        role: 'ADMIN',
        deployment: id,
        iss: 'airflow-portal',
      });
      expect(payload.exp! - payload.iat!).toBe(3600);
      expect(payload.nbf).toBe(payload.iat);
      expect(typeof payload.jti).toBe('string');
      const signature = res.body.token.split('.')[2];
      expect(await snapshotTables(knex)).not.toContain(signature);
      expect(logger.lines.join('\n')).not.toContain(signature);

      // Another key (another Deployment's) does not verify it.
      await expect(
        verify(
          res.body.token,
          'another-deployments-secret',
          AIRFLOW_ACCESS.apiAudience,
        ),
      ).rejects.toThrow();

      await api
        .patch(`${DEP}?force=true`)
        .set('Authorization', USER)
        .send({ settings: { airflowVersion: '2.10.5' } })
        .expect(200);
      const v2 = await api.post(TOKENS).set('Authorization', USER).expect(201);
      expect(v2.body.apiUrl).toBe(`${AIRFLOW_URL}/api/v1`);
      await stop();
    });

    it('answers 409 naming why while the Deployment has no Airflow URL', async () => {
      const { api, stop } = await setup();
      for (const path of [SESSIONS, TOKENS]) {
        const res = await api.post(path).set('Authorization', USER).expect(409);
        expect(res.body.error.name).toBe('ConflictError');
        expect(res.body.error.message).toMatch(/has no Airflow URL yet/);
      }
      await api
        .post(`${ORG}/deployments/nope/airflow/tokens`)
        .set('Authorization', USER)
        .expect(404);
      await stop();
    });

    it('makes an author (deploy but no update permission) USER', async () => {
      const { api, stop, setAirflowUrl } = await setup({
        deniedPermissions: ['astro.deployment.update'],
      });
      await setAirflowUrl(AIRFLOW_URL);
      const session = await api
        .post(SESSIONS)
        .set('Authorization', USER)
        .expect(201);
      expect(session.body.role).toBe('USER');
      await stop();
    });

    it('makes a reader without update or deploy permission VIEWER', async () => {
      const { api, stop, setAirflowUrl, signingKey } = await setup({
        deniedPermissions: [
          'astro.deployment.update',
          'astro.deployment.deploy',
        ],
      });
      await setAirflowUrl(AIRFLOW_URL);
      const session = await api
        .post(SESSIONS)
        .set('Authorization', USER)
        .expect(201);
      expect(session.body.role).toBe('VIEWER');
      const token = await api
        .post(TOKENS)
        .set('Authorization', USER)
        .expect(201);
      expect(token.body.role).toBe('VIEWER');
      const { payload } = await verify(
        token.body.token,
        await signingKey(),
        AIRFLOW_ACCESS.apiAudience,
      );
      expect(payload.role).toBe('VIEWER');
      await stop();
    });

    it('answers 404 to a caller who may not read the Deployment', async () => {
      const { api, stop, setAirflowUrl } = await setup({
        deniedPermissions: ['astro.deployment.read'],
      });
      await setAirflowUrl(AIRFLOW_URL);
      for (const path of [SESSIONS, TOKENS]) {
        const res = await api.post(path).set('Authorization', USER).expect(404);
        expect(res.body.error.message).toBe(
          'Deployment "etl" not found in organization "acme"',
        );
      }
      await stop();
    });

    it('refuses API tokens, services and anonymous callers', async () => {
      const { api, stop, setAirflowUrl } = await setup();
      await setAirflowUrl(AIRFLOW_URL);
      const apiToken = (
        await api
          .post(`${DEP}/tokens`)
          .set('Authorization', USER)
          .send({ name: 'ci' })
          .expect(201)
      ).body.value;
      for (const path of [SESSIONS, TOKENS]) {
        const byToken = await api
          .post(path)
          .set('Authorization', `Bearer ${apiToken}`)
          .expect(403);
        expect(byToken.body.error.message).toMatch(
          /needs Backstage credentials/,
        );
        const byService = await api
          .post(path)
          .set('Authorization', mockCredentials.service.header())
          .expect(403);
        expect(byService.body.error.message).toMatch(/for portal users/);
        await api.post(path).expect(401);
      }
      await stop();
    });
  },
);
