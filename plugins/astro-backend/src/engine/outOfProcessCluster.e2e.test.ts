import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  SimulatorProcess,
  startSimulatorProcess,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import {
  startEngineTestBackend,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

/** The simulator process's own counters, read over its control API. */
async function writesSeen(simulator: SimulatorProcess, token: string) {
  const response = await fetch(`${simulator.url}/simulator/v1/stats`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const stats = await response.json();
  return (stats.writes as Array<{ verb: string; dryRun: boolean }>).filter(
    write => !write.dryRun,
  );
}

async function resetStats(simulator: SimulatorProcess, token: string) {
  await fetch(`${simulator.url}/simulator/v1/stats`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  });
}

function waitForHealthy(api: request.Agent, name: string) {
  return waitFor(
    async () => {
      const response = await api.get(`${DEPS}/${name}`);
      return response.body.status === 'HEALTHY' ? response.body : undefined;
    },
    { what: `${name} HEALTHY`, timeoutMs: 90_000 },
  );
}

describe.each(databases.eachSupportedId())(
  'a cluster that outlives the backend (%s)',
  databaseId => {
    let dir: string;
    let simulator: SimulatorProcess | undefined;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'astro-out-of-process-'));
    });
    afterEach(async () => {
      simulator?.kill('SIGKILL');
      simulator = undefined;
      await rm(dir, { recursive: true, force: true });
    });

    it('is driven as a kubernetes cluster from its kubeconfig; a new backend adopts what the old one applied without writing', async () => {
      const token = 'out-of-process-token';
      const kubeconfig = join(dir, 'kubeconfig');
      simulator = await startSimulatorProcess([
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--state',
        join(dir, 'state.json'),
        '--token',
        token,
        '--pod-ready-delay-ms',
        '150',
      ]);
      const knex = await databases.init(databaseId);
      const encryptionKey = testEncryptionKey();
      const config = {
        clusters: [
          {
            name: 'process',
            title: 'Simulator process',
            provider: 'simulator',
            region: 'local',
            kubeconfig: { path: kubeconfig },
            airflowUrlTemplate: `${simulator.url}/airflow/{namespace}`,
          },
        ],
      };

      const first = await startEngineTestBackend({
        knex,
        encryptionKey,
        config,
      });
      await first.api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await first.api
        .post(`${ORG}/workspaces`)
        .send({ name: 'data-eng' })
        .expect(201);
      const clusters = await first.api.get('/api/astro/clusters').expect(200);
      expect(clusters.body.items).toEqual([
        expect.objectContaining({ name: 'process', driver: 'kubernetes' }),
      ]);
      await first.api
        .post(DEPS)
        .send({
          name: 'etl',
          workspace: 'data-eng',
          cluster: 'process',
        })
        .expect(201);
      const before = await waitForHealthy(first.api, 'etl');
      // The backend goes away; the cluster does not.
      await first.stop();

      await resetStats(simulator, token);
      const second = await startEngineTestBackend({
        knex,
        encryptionKey,
        config,
      });
      try {
        const after = await waitForHealthy(second.api, 'etl');
        expect(after.namespace).toBe(before.namespace);
        // Several passes of the new backend (one per second) find every
        // object as rendered: nothing is applied again.
        await new Promise(resolve => setTimeout(resolve, 3_000));
        expect(await writesSeen(simulator, token)).toEqual([]);
      } finally {
        await second.stop();
      }
    });
  },
);
