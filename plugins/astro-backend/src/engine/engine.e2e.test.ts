import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { Client } from 'pg';
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
const postgresUrl = process.env.ASTRO_TEST_POSTGRES_URL;

const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

async function createTenancy(api: request.Agent) {
  await api.post('/api/astro/organizations').send({ name: 'acme' }).expect(201);
  await api.post(`${ORG}/workspaces`).send({ name: 'data-eng' }).expect(201);
}

async function waitForStatus(
  api: request.Agent,
  name: string,
  predicate: (deployment: any) => boolean,
  what: string,
) {
  return waitFor(
    async () => {
      const response = await api.get(`${DEPS}/${name}`);
      return response.status === 200 && predicate(response.body)
        ? response.body
        : undefined;
    },
    { what: `${name} ${what}`, timeoutMs: 60_000 },
  );
}

/** Databases on the test PostgreSQL server matching a LIKE pattern. */
async function databasesNamed(pattern: string): Promise<string[]> {
  if (!postgresUrl) {
    return [];
  }
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select datname from pg_database where datname like $1',
      [pattern],
    );
    return rows.map(row => row.datname);
  } finally {
    await client.end();
  }
}

const converged = (d: any) =>
  d.status === 'HEALTHY' && d.observedGeneration === d.generation;

function appliedKinds(simulator: KubernetesSimulator, namespace: string) {
  return simulator.control
    .stats()
    .writes.filter(w => w.namespace === namespace || w.name === namespace)
    .map(w => `${w.verb} ${w.kind}/${w.name}`);
}

describe.each(databases.eachSupportedId())(
  'the provisioning engine on %s',
  databaseId => {
    let simulator: KubernetesSimulator;

    beforeEach(async () => {
      simulator = await startTestSimulator();
    });

    afterEach(async () => {
      await simulator.stop();
    });

    it('provisions, rolls out changes, stays idle and deletes a Deployment', async () => {
      const knex = await databases.init(databaseId);
      const databasePrefix = `e2e${Date.now().toString(36).slice(-6)}_`;
      const backend = await startEngineTestBackend({
        knex,
        simulator,
        encryptionKey: testEncryptionKey(),
        config: postgresUrl
          ? {
              metadataDatabase: {
                postgres: {
                  connection: postgresUrl,
                  namePrefix: databasePrefix,
                },
              },
            }
          : {},
      });
      const { api } = backend;
      try {
        await createTenancy(api);
        // The cluster answers (its first connection may take a moment).
        const cluster = await waitFor(
          async () => {
            const response = await api
              .get(`/api/astro/clusters/${SIM_CLUSTER}`)
              .expect(200);
            return response.body.reachable ? response.body : undefined;
          },
          { what: 'the cluster to be reachable' },
        );
        expect(cluster).toMatchObject({
          driver: 'simulator',
          reachable: true,
          capabilities: {
            keda: true,
            kubernetesVersion: expect.stringMatching(/^v1\./),
          },
        });

        // Create through the API: every object exists and it turns HEALTHY.
        const created = await api
          .post(DEPS)
          .send({ name: 'etl', workspace: 'data-eng', cluster: SIM_CLUSTER })
          .expect(201);
        expect(created.body.status).toBe('CREATING');
        const namespace: string = created.body.namespace;
        const healthy = await waitForStatus(api, 'etl', converged, 'HEALTHY');
        expect(healthy.statusReason).toBe('All components are ready');
        expect(healthy.observedGeneration).toBe(1);
        expect(await databasesNamed(`${databasePrefix}%`)).toHaveLength(
          postgresUrl ? 1 : 0,
        );
        expect(healthy.airflowUrl).toBe(
          `${simulator.url}/airflow/${namespace}`,
        );
        const airflowPage = await fetch(healthy.airflowUrl);
        expect(await airflowPage.text()).toContain('Simulated Airflow');

        const deploymentsInNamespace = simulator.control
          .listObjects({ apiVersion: 'apps/v1', kind: 'Deployment', namespace })
          .map(d => d.metadata.name)
          .sort();
        expect(deploymentsInNamespace).toEqual(
          expect.arrayContaining([
            'api-server',
            'dag-processor',
            'scheduler',
            'triggerer',
            'worker-default',
          ]),
        );
        expect(
          simulator.control.listObjects({
            apiVersion: 'keda.sh/v1alpha1',
            kind: 'ScaledObject',
            namespace,
          }),
        ).toHaveLength(1);
        // The broker keeps its queue on a volume.
        expect(
          simulator.control
            .listObjects({
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              namespace,
            })
            .map(s => s.metadata.name),
        ).toContain('redis');
        expect(healthy.conditions).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              type: 'ScaledObjectsReady',
              status: 'True',
            }),
            expect.objectContaining({ type: 'QuotaTooSmall', status: 'False' }),
          ]),
        );
        const createWrites = appliedKinds(simulator, namespace);
        expect(createWrites.every(w => w.startsWith('apply '))).toBe(true);
        // Each rendered object is applied exactly once.
        expect(new Set(createWrites).size).toBe(createWrites.length);

        const components = await api.get(`${DEPS}/etl/components`).expect(200);
        expect(components.body.components).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ name: 'scheduler', state: 'Ready' }),
          ]),
        );
        const statusEvents = await api.get(`${DEPS}/etl/events`).expect(200);
        expect(
          statusEvents.body.items
            .filter((e: any) => e.action === 'status-changed')
            .map((e: any) => e.after.status),
        ).toContain('HEALTHY');
        await waitFor(
          async () =>
            (await api.get(`${DEPS}/etl/health`)).body.current?.status ===
            'HEALTHY',
          { what: 'a healthy Airflow health sample' },
        );

        // Doubling maxWorkers (with a quota that holds twice the workers)
        // writes the quota, the scheduler (its parallelism) and the
        // ScaledObject only.
        simulator.control.resetStats();
        await api
          .patch(`${DEPS}/etl`)
          .send({
            settings: {
              workerQueues: [
                { name: 'default', isDefault: true, maxWorkers: 20 },
              ],
              resourceQuota: { cpu: '64', memory: '128Gi' },
            },
          })
          .expect(200);
        await waitForStatus(
          api,
          'etl',
          d => converged(d) && d.generation === 2,
          'applying generation 2',
        );
        expect(appliedKinds(simulator, namespace)).toEqual([
          'apply ResourceQuota/compute',
          'apply Deployment/scheduler',
          'apply ScaledObject/worker-default',
        ]);

        // An idle pass writes nothing (passes run every second).
        simulator.control.resetStats();
        await new Promise(resolve => setTimeout(resolve, 3500));
        const idle = simulator.control.stats();
        expect(idle.writes).toEqual([]);

        // Another Airflow version (an older one: forced, since it goes
        // back across a migration): a new migration Job first, then the
        // components roll, and the old Job is pruned.
        simulator.control.resetStats();
        await api
          .patch(`${DEPS}/etl?force=true`)
          .send({ settings: { airflowVersion: '3.0.6' } })
          .expect(200);
        await waitForStatus(
          api,
          'etl',
          d => converged(d) && d.generation === 3,
          'upgrading to 3.0.6',
        );
        const upgrade = appliedKinds(simulator, namespace);
        const job = upgrade.findIndex(w =>
          w.startsWith('apply Job/migrate-db-'),
        );
        const scheduler = upgrade.indexOf('apply Deployment/scheduler');
        expect(job).toBeGreaterThanOrEqual(0);
        expect(scheduler).toBeGreaterThan(job);
        expect(upgrade.some(w => w.startsWith('delete Job/migrate-db-'))).toBe(
          true,
        );
        expect(
          simulator.control.listObjects({
            apiVersion: 'batch/v1',
            kind: 'Job',
            namespace,
          }),
        ).toHaveLength(1);
        const schedulerObject = simulator.control.getObject({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace,
          name: 'scheduler',
        }) as any;
        expect(
          schedulerObject.spec.template.spec.containers[0].image,
        ).toContain('3.0.6');

        // Deletion removes the namespace and the metadata database.
        await api.delete(`${DEPS}/etl`).expect(202);
        await waitFor(
          async () => (await api.get(`${DEPS}/etl`)).status === 404,
          { what: 'the Deployment record to go', timeoutMs: 60_000 },
        );
        expect(
          simulator.control.getObject({
            apiVersion: 'v1',
            kind: 'Namespace',
            name: namespace,
          }),
        ).toBeUndefined();
        // With a PostgreSQL provisioner the metadata database is dropped too.
        expect(await databasesNamed(`${databasePrefix}%`)).toEqual([]);
      } finally {
        await backend.stop();
      }
    });

    it('converges after its backend is killed mid-reconcile, without duplicates', async () => {
      const knex = await databases.init(databaseId);
      const encryptionKey = testEncryptionKey();
      const first = await startEngineTestBackend({
        knex,
        simulator,
        encryptionKey,
      });
      await createTenancy(first.api);
      const created = await first.api
        .post(DEPS)
        .send({ name: 'etl', workspace: 'data-eng', cluster: SIM_CLUSTER })
        .expect(201);
      const namespace: string = created.body.namespace;
      // Stop while the migration Job runs: components are not applied yet.
      await waitFor(
        async () =>
          simulator.control.listObjects({
            apiVersion: 'batch/v1',
            kind: 'Job',
            namespace,
          }).length > 0,
        { what: 'the migration Job' },
      );
      await first.stop();
      // As if the first backend had crashed holding the lease: the second
      // takes over once the lease expires.
      await knex('deployment_reconciliation').update({
        lease_owner: 'crashed-backend',
        lease_expires_at: new Date(Date.now() + 3000),
      });

      const second = await startEngineTestBackend({
        knex,
        simulator,
        encryptionKey,
      });
      try {
        await waitForStatus(second.api, 'etl', converged, 'HEALTHY');
        const writes = appliedKinds(simulator, namespace).filter(w =>
          w.startsWith('apply '),
        );
        expect(
          simulator.control.listObjects({
            apiVersion: 'batch/v1',
            kind: 'Job',
            namespace,
          }),
        ).toHaveLength(1);
        // Every object the first backend applied is left alone by the second.
        expect(new Set(writes).size).toBe(writes.length);
      } finally {
        await second.stop();
      }
    });

    it('lets two backends on one database share the work, one reconciler per Deployment', async () => {
      const knex = await databases.init(databaseId);
      const encryptionKey = testEncryptionKey();
      // Leases long enough that no pass outlives its lease on a loaded
      // machine (leases are not renewed mid-pass): this is about sharing,
      // not about taking over from a dead backend (tested above).
      const config = {
        reconciler: {
          schedule: { frequency: { seconds: 1 }, timeout: { seconds: 60 } },
          leaseTtlSeconds: 60,
        },
      };
      const a = await startEngineTestBackend({
        knex,
        simulator,
        encryptionKey,
        config,
      });
      const b = await startEngineTestBackend({
        knex,
        simulator,
        encryptionKey,
        config,
      });
      try {
        await createTenancy(a.api);
        const names = ['d1', 'd2', 'd3', 'd4'];
        const namespaces: string[] = [];
        for (const [index, name] of names.entries()) {
          const api = index % 2 === 0 ? a.api : b.api;
          const created = await api
            .post(DEPS)
            .send({ name, workspace: 'data-eng', cluster: SIM_CLUSTER })
            .expect(201);
          namespaces.push(created.body.namespace);
        }
        for (const name of names) {
          await waitForStatus(a.api, name, converged, 'HEALTHY');
        }
        for (const namespace of namespaces) {
          const writes = appliedKinds(simulator, namespace);
          expect(writes.length).toBeGreaterThan(0);
          // Two reconcilers at once would apply objects twice.
          expect(new Set(writes).size).toBe(writes.length);
        }
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  },
);
