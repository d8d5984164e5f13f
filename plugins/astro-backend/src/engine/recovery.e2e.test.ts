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

jest.setTimeout(900_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;
const COUNT = 100;
/** The reconcile interval of this test's backend. */
const INTERVAL_MS = 20_000;
const OUTAGE_MS = 30_000;

async function statuses(api: request.Agent): Promise<Map<string, string>> {
  const response = await api.get(`${DEPS}?limit=500`).expect(200);
  return new Map(
    response.body.items.map((d: any) => [d.name, d.status] as const),
  );
}

function count(map: Map<string, string>, status: string) {
  return [...map.values()].filter(s => s === status).length;
}

describe('recovery from a cluster outage', () => {
  let simulator: KubernetesSimulator;
  let backend: Awaited<ReturnType<typeof startEngineTestBackend>>;
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let stopped = false;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    knex = await databases.init('SQLITE_3');
    backend = await startEngineTestBackend({
      knex,
      simulator,
      encryptionKey: testEncryptionKey(),
      config: {
        reconciler: {
          schedule: {
            frequency: { milliseconds: INTERVAL_MS },
            timeout: { minutes: 5 },
          },
          concurrency: 8,
          leaseTtlSeconds: 30,
        },
        // Airflow health is not what this test is about: ask it rarely.
        monitor: {
          schedule: { frequency: { seconds: 60 }, timeout: { seconds: 30 } },
        },
      },
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
    if (!stopped) {
      await backend?.stop();
    }
    await simulator?.stop();
  });

  it(`brings ${COUNT} Deployments back to HEALTHY within one reconcile interval of a ${
    OUTAGE_MS / 1000
  } s outage ending, UNKNOWN meanwhile`, async () => {
    const { api } = backend;
    for (let i = 0; i < COUNT; i++) {
      await api
        .post(DEPS)
        .send({ name: `d${i}`, workspace: 'data-eng', cluster: SIM_CLUSTER })
        .expect(201);
    }
    const created = Date.now();
    let last = new Map<string, string>();
    try {
      await waitFor(
        async () => {
          last = await statuses(api);
          return count(last, 'HEALTHY') === COUNT;
        },
        { what: `${COUNT} HEALTHY`, timeoutMs: 540_000 },
      );
    } finally {
      const { requests } = simulator.control.stats();
      // eslint-disable-next-line no-console
      console.log(
        `Provisioned for ${Date.now() - created} ms: ${JSON.stringify(
          Object.fromEntries(
            ['HEALTHY', 'CREATING', 'UNKNOWN', 'UNHEALTHY'].map(s => [
              s,
              count(last, s),
            ]),
          ),
        )}; simulator requests ${JSON.stringify(requests)}`,
      );
    }

    await simulator.control.makeUnavailable(OUTAGE_MS, 'refuse');
    const outageStart = Date.now();
    const unknown = await waitFor(
      async () => {
        const now = await statuses(api);
        return count(now, 'UNKNOWN') === COUNT ? now : undefined;
      },
      { what: `${COUNT} UNKNOWN`, timeoutMs: OUTAGE_MS - 5_000 },
    );
    expect(Date.now() - outageStart).toBeLessThan(OUTAGE_MS);
    const reasons = await api.get(`${DEPS}/d0`).expect(200);
    expect(reasons.body.statusReason).toMatch(/unreachable/i);
    // Nothing reports HEALTHY while the cluster does not answer.
    while (Date.now() - outageStart < OUTAGE_MS - 2_000) {
      expect(count(await statuses(api), 'HEALTHY')).toBe(0);
      await new Promise(resolve => setTimeout(resolve, 1_000));
    }
    expect(unknown.size).toBe(COUNT);

    await simulator.control.whenAvailable();
    const answeredAt = Date.now();
    const progress: string[] = [];
    await waitFor(
      async () => {
        const healthy = count(await statuses(api), 'HEALTHY');
        progress.push(`${Date.now() - answeredAt} ms: ${healthy}`);
        return healthy === COUNT;
      },
      { what: `${COUNT} HEALTHY again`, timeoutMs: 120_000 },
    );
    const recoveryMs = Date.now() - answeredAt;
    // eslint-disable-next-line no-console
    console.log(
      `${COUNT} Deployments HEALTHY ${recoveryMs} ms after the cluster answered again (${progress
        .filter((_, index) => index % 5 === 0)
        .join(', ')})`,
    );
    expect(recoveryMs).toBeLessThan(INTERVAL_MS);

    // Graceful shutdown with 100 Deployments: well within the 30 s a pod
    // gets, leases handed back.
    const stopping = Date.now();
    await backend.stop();
    stopped = true;
    const stopMs = Date.now() - stopping;
    // eslint-disable-next-line no-console
    console.log(`Backend with ${COUNT} Deployments stopped in ${stopMs} ms`);
    expect(stopMs).toBeLessThan(10_000);
    await expect(
      knex('deployment_reconciliation').whereNotNull('lease_owner'),
    ).resolves.toEqual([]);
  });
});
