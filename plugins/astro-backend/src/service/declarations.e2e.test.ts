import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import {
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(240_000);

const databases = TestDatabases.create();
const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

/** A cluster declared in app config, reached over HTTP like a real one. */
function prodCluster(
  simulator: KubernetesSimulator,
  overrides: Record<string, unknown> = {},
) {
  return {
    name: 'prod',
    title: 'Production',
    provider: 'simulator',
    region: 'local',
    url: simulator.url,
    serviceAccountToken: simulator.token,
    airflowUrlTemplate: `${simulator.url}/airflow/{namespace}`,
    ...overrides,
  };
}

async function declarationCondition(api: request.Agent) {
  const response = await api.get('/api/astro/clusters/prod').expect(200);
  return {
    title: response.body.title,
    condition: response.body.conditions?.find(
      (c: any) => c.type === 'DeclarationInSync',
    ),
  };
}

async function statusOf(api: request.Agent, name: string) {
  const response = await api.get(`${DEPS}/${name}`).expect(200);
  return response.body;
}

describe.each(databases.eachSupportedId())(
  'cluster declarations of replicas on %s',
  databaseId => {
    let simulator: KubernetesSimulator;

    beforeEach(async () => {
      simulator = await startTestSimulator();
    });

    afterEach(async () => {
      await simulator.stop();
    });

    it('reports a differing declaration instead of overwriting it, and adopts a higher revision', async () => {
      const knex = await databases.init(databaseId);
      const encryptionKey = testEncryptionKey();
      const a = await startEngineTestBackend({
        knex,
        simulator,
        encryptionKey,
        config: { clusters: [prodCluster(simulator)] },
      });
      const stops = [() => a.stop()];
      try {
        await a.api
          .post('/api/astro/organizations')
          .send({ name: 'acme' })
          .expect(201);
        await a.api
          .post(`${ORG}/workspaces`)
          .send({ name: 'data-eng' })
          .expect(201);
        await a.api
          .post(DEPS)
          .send({ name: 'etl', workspace: 'data-eng', cluster: 'prod' })
          .expect(201);
        await waitFor(
          async () => (await statusOf(a.api, 'etl')).status === 'HEALTHY',
          { what: 'etl HEALTHY', timeoutMs: 60_000 },
        );
        expect(await declarationCondition(a.api)).toMatchObject({
          title: 'Production',
          condition: { status: 'True' },
        });

        // A second replica whose declaration differs (credentials the
        // cluster refuses, another title), at the same revision.
        const b = await startEngineTestBackend({
          knex,
          simulator,
          encryptionKey,
          config: {
            clusters: [
              prodCluster(simulator, {
                title: 'Renamed',
                serviceAccountToken: 'not-the-token',
              }),
            ],
          },
        });
        stops.push(() => b.stop());
        const reported = await declarationCondition(b.api);
        expect(reported).toMatchObject({
          title: 'Production',
          condition: {
            status: 'False',
            reason: 'DeclarationDiffers',
            message: expect.stringContaining('differently'),
          },
        });
        expect(JSON.stringify(reported)).not.toContain('not-the-token');
        const events = await knex('events')
          .where({ resource_type: 'cluster', action: 'declaration-conflict' })
          .select('message');
        expect(events).toHaveLength(1);

        // The second replica leaves the cluster alone: several passes later
        // the Deployment is still HEALTHY (its refused credentials would
        // have turned it UNKNOWN), and nothing rewrote the record.
        await new Promise(resolve => setTimeout(resolve, 4_000));
        expect((await statusOf(b.api, 'etl')).status).toBe('HEALTHY');
        const statusChanges = await knex('events')
          .where({ action: 'status-changed' })
          .select('message');
        expect(statusChanges.filter(e => /→ UNKNOWN/.test(e.message))).toEqual(
          [],
        );
        expect((await declarationCondition(a.api)).title).toBe('Production');

        // Rolling restart with a changed declaration: the new replica
        // carries a higher revision and the record follows it.
        await b.stop();
        stops.pop();
        const c = await startEngineTestBackend({
          knex,
          simulator,
          encryptionKey,
          config: {
            clusters: [prodCluster(simulator, { title: 'Prod', revision: 1 })],
          },
        });
        stops.push(() => c.stop());
        expect((await declarationCondition(c.api)).title).toBe('Prod');
        // The old replica sees the newer revision at its next pass, steps
        // back and says so.
        await waitFor(
          async () => {
            const { condition } = await declarationCondition(c.api);
            return (
              condition.status === 'False' &&
              /older than the revision 1/.test(condition.message)
            );
          },
          { what: 'the old replica to step back', timeoutMs: 20_000 },
        );
        await a.stop();
        stops.shift();
        // Once no backend reports the old declaration, it is resolved.
        await waitFor(
          async () =>
            (await declarationCondition(c.api)).condition.status === 'True',
          { what: 'the conflict to resolve', timeoutMs: 40_000 },
        );
        await waitFor(
          async () => (await statusOf(c.api, 'etl')).status === 'HEALTHY',
          { what: 'etl HEALTHY under the new revision', timeoutMs: 60_000 },
        );
      } finally {
        for (const stop of stops.reverse()) {
          await stop();
        }
      }
    });
  },
);
