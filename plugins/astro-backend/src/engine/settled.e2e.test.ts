import { TestDatabases } from '@backstage/backend-test-utils';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const DEPS = '/api/astro/organizations/acme/deployments';
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('a settled Deployment', () => {
  let simulator: KubernetesSimulator;

  beforeEach(async () => {
    simulator = await startTestSimulator();
  });

  afterEach(async () => {
    await simulator.stop();
  });

  it('is left alone by idle passes, and repaired by the next pass after an edit or a deletion out of band', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startEngineTestBackend({
      knex,
      simulator,
      encryptionKey: testEncryptionKey(),
      config: {
        reconciler: {
          schedule: { frequency: { seconds: 1 }, timeout: { seconds: 60 } },
          leaseTtlSeconds: 5,
          // So that a field kubectl took over is taken back.
          forceConflicts: true,
        },
      },
    });
    const { api } = backend;
    try {
      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng' })
        .expect(201);
      const created = await api
        .post(DEPS)
        .send({ name: 'quiet', workspace: 'data-eng', cluster: SIM_CLUSTER })
        .expect(201);
      const namespace: string = created.body.namespace;
      await waitFor(
        async () => {
          const d = (await api.get(`${DEPS}/quiet`)).body;
          return (
            d.status === 'HEALTHY' && d.observedGeneration === d.generation
          );
        },
        { what: 'quiet HEALTHY', timeoutMs: 60_000 },
      );
      const { id } = await knex('deployments')
        .where({ name: 'quiet' })
        .first('id');
      // Set by every pass that checks the Deployment object by object.
      const lastChecked = async () =>
        String(
          (
            await knex('deployment_reconciliation')
              .where({ deployment_id: id })
              .first('last_reconciled_at')
          ).last_reconciled_at,
        );
      // Passes run every second; settled, none of them checks it again.
      const settled = () =>
        waitFor(
          async () => {
            const before = await lastChecked();
            await sleep(3500);
            return (await lastChecked()) === before ? before : undefined;
          },
          { what: 'quiet to settle', timeoutMs: 60_000 },
        );
      const writesInNamespace = () =>
        simulator.control
          .stats()
          .writes.filter(w => w.namespace === namespace)
          .map(w => `${w.verb} ${w.kind}/${w.name}`);

      // kubectl takes over the scheduler's replicas: the next pass that
      // checks the Deployment takes them back, and writes nothing else.
      const schedulerRef = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: 'scheduler',
      };
      let checked = await settled();
      const scheduler = simulator.control.getObject(schedulerRef)!;
      const replicas = (scheduler.spec as { replicas: number }).replicas;
      simulator.control.resetStats();
      simulator.control.applyObject(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'scheduler', namespace },
          spec: { ...(scheduler.spec as object), replicas: replicas + 2 },
        },
        { fieldManager: 'kubectl', force: true },
      );
      await waitFor(async () => (await lastChecked()) !== checked, {
        what: 'a pass to check quiet again',
        timeoutMs: 30_000,
      });
      expect(
        (simulator.control.getObject(schedulerRef)!.spec as any).replicas,
      ).toBe(replicas);
      expect(writesInNamespace()).toEqual(['apply Deployment/scheduler']);

      // kubectl deletes a ConfigMap: the next pass that checks the
      // Deployment creates it again.
      checked = await settled();
      const configMap = simulator.control
        .listObjects({ apiVersion: 'v1', kind: 'ConfigMap', namespace })
        .find(c => c.metadata.labels?.[ASTRO_LABELS.deploymentId] === id)!;
      const configMapRef = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace,
        name: configMap.metadata.name,
      };
      simulator.control.resetStats();
      expect(simulator.control.deleteObject(configMapRef)).toBe(true);
      await waitFor(async () => (await lastChecked()) !== checked, {
        what: 'a pass to check quiet again',
        timeoutMs: 30_000,
      });
      expect(simulator.control.getObject(configMapRef)?.data).toEqual(
        configMap.data,
      );
      expect(writesInNamespace()).toEqual([
        `apply ConfigMap/${configMap.metadata.name}`,
      ]);
      // And it settles again.
      await settled();
    } finally {
      await backend.stop();
    }
  });
});
