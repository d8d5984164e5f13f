/*
 * Deployment history end to end: a backend provisions a Deployment on the
 * simulator, deploys DAGs that run on the simulated Airflow clock, and its
 * monitoring pass (every second) records what it observes; the history
 * endpoint serves run counts, worker replicas and heartbeat ages that
 * match what Airflow and the cluster report.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { DeploymentHistory } from '@airflow-portal/plugin-astro-common';
import request from 'supertest';
import { waitFor } from '../../__testUtils__/engineTestBackend';
import {
  MONITORED_ORG,
  startMonitoredDeployment,
} from '../__testUtils__/monitoredDeployment';

jest.setTimeout(600_000);

const DEP = '/api/astro/organizations/acme/deployments/hist';
const HOUR = 3600;
const DAY_MS = 86_400_000;
const dag = (id: string) => `from airflow import DAG
with DAG(dag_id="${id}", schedule="@hourly", is_paused_upon_creation=False):
    pass
`;

describe('Deployment history on the simulator', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let simulator: KubernetesSimulator;
  let api: request.Agent;
  let namespace: string;
  let deployDags: (files: Record<string, string>) => Promise<void>;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ simulator, api, namespace, deployDags, stop } =
      await startMonitoredDeployment({
        databases,
        name: 'hist',
        workerQueue: { minWorkers: 1, maxWorkers: 3 },
        monitor: {
          schedule: { frequency: { seconds: 1 }, timeout: { seconds: 30 } },
          maxAirflowRequestsPerMinute: 600,
          history: { bucketMinutes: 1, retentionDays: 2 },
          // The pass first reads finished runs this far back: the runs of
          // the last three simulated hours count.
          thresholds: { dagRunFailures: { count: 100, windowMinutes: 6 * 60 } },
        },
      }));
  });

  afterAll(async () => {
    await stop?.();
  });

  const history = async (query: Record<string, string> = {}) =>
    (await api.get(`${DEP}/history`).query(query).expect(200))
      .body as DeploymentHistory;

  it('records status, worker replicas and heartbeat ages of every pass in one-minute buckets', async () => {
    const components = (await api.get(`${DEP}/components`).expect(200)).body;
    const ready = components.workerQueues.reduce(
      (sum: number, q: { readyWorkers: number }) => sum + q.readyWorkers,
      0,
    );
    expect(ready).toBeGreaterThan(0);
    const observed = await waitFor(
      async () => {
        // An hour of one-minute buckets comes back as stored.
        const served = await history({
          since: new Date(Date.now() - HOUR * 1000).toISOString(),
        });
        const point = served.points.find(
          p =>
            p.status === 'HEALTHY' &&
            p.observations >= 2 &&
            p.schedulerHeartbeatAgeSeconds !== undefined &&
            p.triggererHeartbeatAgeSeconds !== undefined &&
            p.dagProcessorHeartbeatAgeSeconds !== undefined,
        );
        return point && { served, point };
      },
      { what: 'a healthy point with heartbeats', timeoutMs: 120_000 },
    );
    expect(observed.served.bucketMinutes).toBe(1);
    expect(observed.served.retentionDays).toBe(2);
    expect(Date.parse(observed.point.bucketStart) % 60_000).toBe(0);
    expect(observed.point).toMatchObject({
      healthyObservations: expect.any(Number),
      workersReady: ready,
      workersDesired: ready,
      dagRunsSuccess: 0,
      dagRunsFailed: 0,
    });
    // The simulated components beat every 5 s (wall clock).
    expect(observed.point.schedulerHeartbeatAgeSeconds).toBeLessThanOrEqual(15);
    expect(observed.point.triggererHeartbeatAgeSeconds).toBeLessThanOrEqual(15);
    expect(observed.point.dagProcessorHeartbeatAgeSeconds).toBeLessThanOrEqual(
      15,
    );
  });

  it('counts finished runs in the buckets they ended in, as many as Airflow reports', async () => {
    await deployDags({ 'good.py': dag('good'), 'bad.py': dag('bad') });
    await waitFor(
      async () =>
        (await api.get(`${DEP}/airflow/dags`)).body.items?.length === 2,
      { what: 'both DAGs to be parsed', timeoutMs: 120_000 },
    );
    simulator.control.setDagOutcome(namespace, 'bad', {
      state: 'failed',
      durationSeconds: 30,
    });
    simulator.control.setAirflowClock({ advanceSeconds: 3 * HOUR });

    const totals = (served: DeploymentHistory) => ({
      success: served.points.reduce((n, p) => n + p.dagRunsSuccess, 0),
      failed: served.points.reduce((n, p) => n + p.dagRunsFailed, 0),
    });
    let last: unknown;
    const { counted, reported, served } = await waitFor(
      async () => {
        const summary = (await api.get(`${DEP}/airflow/runs/summary`)).body;
        const now = await history();
        const sums = totals(now);
        last = { summary: summary.last7d, sums };
        return (
          summary.last7d.success > 0 &&
          summary.last7d.failed > 0 &&
          sums.success === summary.last7d.success &&
          sums.failed === summary.last7d.failed && {
            counted: sums,
            reported: summary.last7d,
            served: now,
          }
        );
      },
      {
        what: 'the history to count the runs Airflow reports',
        timeoutMs: 120_000,
      },
    ).catch(error => {
      throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
    });
    expect(counted).toEqual({
      success: reported.success,
      failed: reported.failed,
    });
    // Both DAGs run hourly, one succeeding and one failing.
    expect(counted.success).toBe(counted.failed);
    // The runs ended on Airflow's clock, hours before the passes that read
    // them: their buckets hold runs only.
    const withRuns = served.points.filter(
      p => p.dagRunsSuccess + p.dagRunsFailed > 0,
    );
    expect(withRuns.length).toBeGreaterThan(0);
    for (const point of withRuns) {
      expect(Date.parse(point.bucketStart)).toBeLessThan(
        Date.now() - 30 * 60_000,
      );
    }
    expect(withRuns.every(p => p.observations === 0)).toBe(true);
    // Later passes do not count them again.
    await new Promise(resolve => setTimeout(resolve, 4000));
    expect(totals(await history())).toEqual(counted);
  });

  it('shows a stopped scheduler heartbeat as a growing age', async () => {
    simulator.control.freezeHeartbeat(namespace, 'scheduler');
    try {
      const point = await waitFor(
        async () => {
          const served = await history();
          const last = served.points[served.points.length - 1];
          return (last?.schedulerHeartbeatAgeSeconds ?? 0) >= 20 && last;
        },
        { what: 'a scheduler heartbeat age of 20 s', timeoutMs: 120_000 },
      );
      // The age is measured from the heartbeat Airflow reports.
      const health = (await api.get(`${DEP}/health`).expect(200)).body;
      const beat = Date.parse(health.current.schedulerHeartbeat);
      expect(point.schedulerHeartbeatAgeSeconds).toBeLessThanOrEqual(
        (Date.now() - beat) / 1000 + 1,
      );
      // The others still beat.
      expect(point.triggererHeartbeatAgeSeconds).toBeLessThanOrEqual(15);
    } finally {
      simulator.control.freezeHeartbeat(namespace, 'scheduler', false);
    }
  });

  it('refuses bad or reversed times naming the field, and cuts the range to the retention', async () => {
    const bad = await api.get(`${DEP}/history`).query({ since: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^since must be an ISO 8601/);
    const badUntil = await api.get(`${DEP}/history`).query({ until: '12/3' });
    expect(badUntil.status).toBe(400);
    expect(badUntil.body.error.message).toMatch(/^until must be/);
    const reversed = await api.get(`${DEP}/history`).query({
      since: new Date().toISOString(),
      until: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toMatch(
      /since .* must be before until/,
    );

    const long = await history({
      since: new Date(Date.now() - 30 * DAY_MS).toISOString(),
    });
    expect(Date.now() - Date.parse(long.since)).toBeLessThanOrEqual(
      2 * DAY_MS + 60_000,
    );
    // Two days of one-minute buckets: served coarser, at most 400 points.
    expect(long.bucketMinutes).toBe(8);
    expect(long.points.length).toBeLessThanOrEqual(400);
    expect(long.points.length).toBeGreaterThan(0);

    await api.get(`${MONITORED_ORG}/deployments/nope/history`).expect(404);
  });
});
