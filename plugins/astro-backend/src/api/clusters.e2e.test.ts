import { createServer } from 'node:net';
import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
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
const GIB = 1024 ** 3;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise(resolve => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

describe.each(databases.eachSupportedId())(
  'cluster registration, reachability and capacity (%s)',
  databaseId => {
    let simulator: KubernetesSimulator;
    let backend: Awaited<ReturnType<typeof startEngineTestBackend>>;

    beforeAll(async () => {
      simulator = await startTestSimulator();
      backend = await startEngineTestBackend({
        knex: await databases.init(databaseId),
        simulator,
        encryptionKey: testEncryptionKey(),
      });
      await backend.api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await backend.api
        .post(`${ORG}/workspaces`)
        .send({ name: 'data-eng' })
        .expect(201);
    });

    afterAll(async () => {
      await backend?.stop();
      await simulator?.stop();
    });

    it('registers a cluster through the production driver, reads its nodes, sums the quotas on it, and deletes it only when empty', async () => {
      const { api } = backend;
      const created = await api
        .post('/api/astro/clusters')
        .send({
          name: 'registered',
          title: 'Registered simulator',
          type: 'standard',
          provider: 'on-prem',
          region: 'lab',
          connection: { server: simulator.url, token: simulator.token },
        })
        .expect(201);
      expect(JSON.stringify(created.body)).not.toContain(simulator.token);

      const got = await api.get('/api/astro/clusters/registered').expect(200);
      // The registration answers what a read answers.
      expect(created.body).toEqual(got.body);
      expect(got.body).toMatchObject({
        name: 'registered',
        driver: 'kubernetes',
        reachable: true,
        reachability: { since: expect.any(String) },
        capabilities: { keda: true },
        capacity: {
          reserved: { cpu: 0, memoryBytes: 0 },
          allocatable: { nodes: 8, cpu: 126.4, memoryBytes: 496 * GIB },
        },
      });
      expect(got.body.reachability.lastError).toBeUndefined();
      expect(JSON.stringify(got.body)).not.toContain(simulator.token);

      for (const [name, cpu, memory] of [
        ['etl', '32', '64Gi'],
        ['reports', '40500m', '80Gi'],
      ]) {
        await api
          .post(`${ORG}/deployments`)
          .send({
            name,
            workspace: 'data-eng',
            cluster: 'registered',
            settings: { resourceQuota: { cpu, memory } },
          })
          .expect(201);
      }
      const list = await api.get('/api/astro/clusters').expect(200);
      const registered = list.body.items.find(
        (c: { name: string }) => c.name === 'registered',
      );
      expect(registered.deploymentCount).toBe(2);
      expect(registered.capacity.reserved).toEqual({
        cpu: 72.5,
        memoryBytes: 144 * GIB,
      });
      const declared = list.body.items.find(
        (c: { name: string }) => c.name === SIM_CLUSTER,
      );
      expect(declared.capacity.reserved).toEqual({ cpu: 0, memoryBytes: 0 });

      const refused = await api
        .delete('/api/astro/clusters/registered')
        .expect(409);
      expect(refused.body.error.message).toBe(
        'Cluster "registered" still runs 2 deployment(s)',
      );

      for (const name of ['etl', 'reports']) {
        await api.delete(`${ORG}/deployments/${name}`).expect(202);
      }
      await waitFor(
        async () =>
          (
            await api.get('/api/astro/clusters/registered')
          ).body.deploymentCount === 0 || undefined,
        { what: 'the Deployments gone', timeoutMs: 60_000 },
      );
      await api.delete('/api/astro/clusters/registered').expect(204);
      await api.get('/api/astro/clusters/registered').expect(404);
    });

    it('says since when and why a registered cluster does not answer, and answers again at once with a corrected connection', async () => {
      const { api } = backend;
      const port = await closedPort();
      await api
        .post('/api/astro/clusters')
        .send({
          name: 'wrong-port',
          type: 'standard',
          provider: 'on-prem',
          region: 'lab',
          connection: {
            server: `http://127.0.0.1:${port}`,
            token: 'a-token-never-shown',
          },
        })
        .expect(201);

      const down = await api.get('/api/astro/clusters/wrong-port').expect(200);
      expect(down.body).toMatchObject({
        reachable: false,
        reachability: {
          since: expect.any(String),
          checkedAt: expect.any(String),
          lastError: expect.stringContaining(
            'Cluster wrong-port is unreachable',
          ),
        },
        capacity: { reserved: { cpu: 0, memoryBytes: 0 } },
      });
      expect(down.body.capacity.allocatable).toBeUndefined();
      expect(down.body.capabilities).toBeUndefined();
      expect(JSON.stringify(down.body)).not.toContain('a-token-never-shown');

      const patched = await api
        .patch('/api/astro/clusters/wrong-port')
        .send({
          connection: { server: simulator.url, token: simulator.token },
        })
        .expect(200);
      const up = await api.get('/api/astro/clusters/wrong-port').expect(200);
      // The change answers the cluster as read with its new connection.
      expect(patched.body).toEqual(up.body);
      expect(up.body).toMatchObject({
        reachable: true,
        capacity: { allocatable: { nodes: 8 } },
      });
      expect(up.body.reachability.lastError).toBeUndefined();
      await api.delete('/api/astro/clusters/wrong-port').expect(204);
    });

    it('reports an outage the engine finds on a declared cluster, and its end', async () => {
      const { api } = backend;
      await api
        .post(`${ORG}/deployments`)
        .send({ name: 'watched', workspace: 'data-eng', cluster: SIM_CLUSTER })
        .expect(201);
      await waitFor(
        async () =>
          (await api.get(`${ORG}/deployments/watched`)).body.status ===
            'HEALTHY' || undefined,
        { what: 'watched HEALTHY', timeoutMs: 90_000 },
      );
      await api.get(`/api/astro/clusters/${SIM_CLUSTER}`).expect(200);

      const outage = simulator.control.makeUnavailable(8_000, 'refuse');
      const down = await waitFor(
        async () => {
          const { body } = await api.get(`/api/astro/clusters/${SIM_CLUSTER}`);
          return body.reachable === false ? body : undefined;
        },
        { what: `${SIM_CLUSTER} unreachable`, timeoutMs: 30_000 },
      );
      expect(down.reachability.lastError).toMatch(
        new RegExp(`^Cluster ${SIM_CLUSTER} `),
      );
      await outage;
      await waitFor(
        async () =>
          (
            await api.get(`/api/astro/clusters/${SIM_CLUSTER}`)
          ).body.reachable === true || undefined,
        { what: `${SIM_CLUSTER} reachable again`, timeoutMs: 30_000 },
      );
      await api.delete(`${ORG}/deployments/watched`).expect(202);
    });
  },
);
