import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

async function deployment(api: request.Agent) {
  return (await api.get(`${DEPS}/etl`).expect(200)).body;
}

describe.each(databases.eachSupportedId())(
  'the status right after a restart on %s',
  databaseId => {
    let simulator: KubernetesSimulator;

    beforeEach(async () => {
      simulator = await startTestSimulator();
    });

    afterEach(async () => {
      await simulator.stop();
    });

    it('never shows a stale HEALTHY for a Deployment whose objects the cluster lost, nor while the cluster does not answer', async () => {
      const knex = await databases.init(databaseId);
      const encryptionKey = testEncryptionKey();
      const start = () =>
        startEngineTestBackend({ knex, simulator, encryptionKey });
      const first = await start();
      await first.api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await first.api
        .post(`${ORG}/workspaces`)
        .send({ name: 'data-eng' })
        .expect(201);
      const created = await first.api
        .post(DEPS)
        .send({ name: 'etl', workspace: 'data-eng', cluster: SIM_CLUSTER })
        .expect(201);
      const namespace = created.body.namespace;
      await waitFor(
        async () => (await deployment(first.api)).status === 'HEALTHY',
        { what: 'etl HEALTHY', timeoutMs: 60_000 },
      );
      await first.stop();

      // While no backend runs, the cluster loses the Deployment's
      // workloads; the stored record still says HEALTHY.
      const workloads = simulator.control.listObjects({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
      });
      expect(workloads.length).toBeGreaterThan(0);
      for (const object of workloads) {
        simulator.control.deleteObject({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace,
          name: object.metadata.name,
        });
      }
      await expect(
        knex('deployments').where({ name: 'etl' }).first('status'),
      ).resolves.toEqual({ status: 'HEALTHY' });

      const second = await start();
      try {
        // The first answer after the start is read from the cluster.
        const seen = [(await deployment(second.api)).status];
        expect(seen[0]).not.toBe('HEALTHY');
        // The engine re-creates what was lost, then it is HEALTHY again.
        await waitFor(
          async () => {
            seen.push((await deployment(second.api)).status);
            return seen[seen.length - 1] === 'HEALTHY';
          },
          { what: 'etl HEALTHY again', timeoutMs: 60_000 },
        );
        expect(
          simulator.control.listObjects({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace,
          }).length,
        ).toBe(workloads.length);
      } finally {
        await second.stop();
      }

      // A start while the cluster does not answer: UNKNOWN, never HEALTHY.
      await simulator.control.makeUnavailable(8_000, 'refuse');
      const third = await start();
      try {
        const during = await deployment(third.api);
        expect(during.status).toBe('UNKNOWN');
        expect(during.statusReason).toMatch(/re-reading|unreachable/i);
        await simulator.control.whenAvailable();
        await waitFor(
          async () => (await deployment(third.api)).status === 'HEALTHY',
          { what: 'etl HEALTHY once the cluster answers', timeoutMs: 60_000 },
        );
      } finally {
        await third.stop();
      }
    });
  },
);
