import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../../__testUtils__/engineTestBackend';
import { makeBundle } from '../../deploys/__testUtils__/bundles';

/** The organization every monitored test Deployment is in. */
export const MONITORED_ORG = '/api/astro/organizations/acme';

const HOUR_MS = 3_600_000;

/** A backend on the simulator with one HEALTHY Deployment it monitors. */
export interface MonitoredDeployment {
  simulator: KubernetesSimulator;
  api: request.Agent;
  /** The Deployment's API path, e.g. `/api/astro/organizations/acme/deployments/mon`. */
  path: string;
  namespace: string;
  /** Deploys DAG files (name → Python source) as a `dags/` bundle. */
  deployDags(files: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a simulator and a backend whose monitor runs with `monitor`
 * config, with organization `acme`, workspace `data-eng` and a Deployment
 * `name` with one Celery queue, and waits until it is HEALTHY. The
 * simulated Airflow's clock starts three hours back, frozen until a test
 * moves it, so that DAG runs happen when a test says.
 */
export async function startMonitoredDeployment(options: {
  databases: TestDatabases;
  name: string;
  monitor: JsonObject;
  workerQueue: { minWorkers: number; maxWorkers: number };
}): Promise<MonitoredDeployment> {
  const simulator = await startTestSimulator();
  const backend = await startEngineTestBackend({
    knex: await options.databases.init('SQLITE_3'),
    simulator,
    encryptionKey: testEncryptionKey(),
    bundleBaseUrl: 'discovered',
    config: {
      deploys: { syncIntervalSeconds: 1, timeoutSeconds: 60 },
      monitor: options.monitor,
    },
  });
  const { api } = backend;
  const stop = async () => {
    await backend.stop();
    await simulator.stop();
  };
  try {
    await api
      .post('/api/astro/organizations')
      .send({ name: 'acme' })
      .expect(201);
    await api
      .post(`${MONITORED_ORG}/workspaces`)
      .send({ name: 'data-eng' })
      .expect(201);
    const start = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    simulator.control.setAirflowClock({
      now: new Date(start - 3 * HOUR_MS).toISOString(),
      frozen: true,
    });
    const created = await api
      .post(`${MONITORED_ORG}/deployments`)
      .send({
        name: options.name,
        workspace: 'data-eng',
        cluster: SIM_CLUSTER,
        settings: {
          workerQueues: [
            {
              name: 'default',
              isDefault: true,
              workerSize: 'A5',
              concurrency: 5,
              ...options.workerQueue,
            },
          ],
        },
      })
      .expect(201);
    const path = `${MONITORED_ORG}/deployments/${options.name}`;
    await waitFor(async () => (await api.get(path)).body.status === 'HEALTHY', {
      what: `Deployment ${options.name} to be HEALTHY`,
      timeoutMs: 180_000,
    });
    return {
      simulator,
      api,
      path,
      namespace: created.body.namespace,
      async deployDags(files) {
        const bundle = await makeBundle([
          { name: 'dags', type: 'directory' },
          ...Object.entries(files).map(([file, content]) => ({
            name: `dags/${file}`,
            content,
          })),
        ]);
        await api
          .post(`${path}/deploys`)
          .query({ checksum: bundle.checksum })
          .set('Content-Type', 'application/gzip')
          .send(bundle.bytes)
          .expect(201);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
