/*
 * The monitoring pass end to end: a backend provisions a Deployment on the
 * simulator (production Kubernetes driver over HTTP, service proxy, the
 * backend's service credential), and its monitoring pass opens and
 * resolves keyed incidents from what the simulated Airflow and the cluster
 * report, within the configured Airflow request budget.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import { waitFor } from '../__testUtils__/engineTestBackend';
import { startMonitoredDeployment } from './__testUtils__/monitoredDeployment';

jest.setTimeout(600_000);

const DEP = '/api/astro/organizations/acme/deployments/mon';
const HOUR = 3600;
const FLAKY = `from airflow import DAG
with DAG(dag_id="flaky", schedule="@hourly", is_paused_upon_creation=False):
    pass
`;
const BROKEN = `# simulated-import-error: ModuleNotFoundError: No module named 'pandas'
from airflow import DAG
`;
/** The budget under test: requests per Deployment per minute. */
const BUDGET = 6;

interface IncidentView {
  id: string;
  kind: string;
  subject?: string;
  state: string;
  severity: string;
  message: string;
  link?: string;
  acknowledgedBy?: string;
}

describe('the monitoring pass on the simulator', () => {
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
        name: 'mon',
        workerQueue: { minWorkers: 0, maxWorkers: 2 },
        monitor: {
          schedule: { frequency: { seconds: 2 }, timeout: { seconds: 60 } },
          maxAirflowRequestsPerMinute: BUDGET,
          thresholds: {
            // Real time on both sides: the simulator's heartbeats follow
            // the wall clock (its live components beat every 5 s).
            heartbeatMissingMinutes: 0.25,
            dagRunFailures: { count: 2, windowMinutes: 6 * 60 },
          },
        },
      }));
  });

  afterAll(async () => {
    await stop?.();
  });

  const incidents = async (): Promise<IncidentView[]> =>
    (await api.get(`${DEP}/incidents`).expect(200)).body.items;

  const open = async (kind: string, subject?: string) =>
    (await incidents()).filter(
      i => i.state === 'open' && i.kind === kind && i.subject === subject,
    );

  /** Waits for the one open incident of a kind and subject. */
  const opened = (kind: string, subject?: string) =>
    waitFor(
      async () => {
        const found = await open(kind, subject);
        return found.length === 1 ? found[0] : undefined;
      },
      { what: `an open ${kind} incident`, timeoutMs: 120_000 },
    );

  const resolved = (id: string) =>
    waitFor(
      async () =>
        (await incidents()).find(i => i.id === id && i.state === 'resolved'),
      { what: `incident ${id} to be resolved`, timeoutMs: 120_000 },
    );

  it('opens one dag-run-failures incident for failing runs, linked to the run, and resolves it when a run succeeds', async () => {
    await deployDags({ 'flaky.py': FLAKY, 'broken.py': BROKEN });
    // Both DAG files reached the DAG processor: one DAG, one import error.
    const importErrors = await opened('import-errors');
    expect(importErrors.message).toBe('1 DAG file fails to import');

    simulator.control.setDagOutcome(namespace, 'flaky', {
      state: 'failed',
      durationSeconds: 30,
    });
    simulator.control.setAirflowClock({ advanceSeconds: 3 * HOUR });
    const failing = await opened('dag-run-failures', 'flaky');
    expect(failing.message).toMatch(
      /^[2-9] runs of DAG flaky failed in the last 6 h \(threshold 2\)$/,
    );
    expect(failing.link).toMatch(
      new RegExp(`/airflow/${namespace}/dags/flaky/runs/scheduled__`),
    );
    // Later passes keep the one incident.
    await new Promise(resolve => setTimeout(resolve, 5000));
    expect(await open('dag-run-failures', 'flaky')).toHaveLength(1);

    simulator.control.setDagOutcome(namespace, 'flaky', {
      state: 'success',
      durationSeconds: 30,
    });
    // Past the next tick and the run's 5 s queue and 30 s run.
    simulator.control.setAirflowClock({ advanceSeconds: HOUR + 60 });
    await resolved(failing.id);
    const events = (await api.get(`${DEP}/events`).expect(200)).body.items as {
      action: string;
    }[];
    expect(events.map(e => e.action)).toEqual(
      expect.arrayContaining(['incident-opened', 'incident-resolved']),
    );
  });

  it('opens heartbeat-missing for a scheduler whose heartbeat stopped past the threshold, and resolves it once it beats', async () => {
    simulator.control.freezeHeartbeat(namespace, 'scheduler');
    const missing = await opened('heartbeat-missing', 'scheduler');
    expect(missing.severity).toBe('critical');
    expect(missing.message).toMatch(
      /^The scheduler has not heartbeated for \d+ s \(last heartbeat .*; threshold 15 s\)$/,
    );
    // Only the hung scheduler: the others beat.
    expect(
      (await incidents()).filter(
        i => i.state === 'open' && i.kind === 'heartbeat-missing',
      ),
    ).toHaveLength(1);
    simulator.control.freezeHeartbeat(namespace, 'scheduler', false);
    await resolved(missing.id);
  });

  it('opens queue-at-capacity while the queue runs its most workers with tasks queued', async () => {
    simulator.control.setQueueDepth(namespace, 'default', {
      queued: 40,
      running: 10,
    });
    const full = await opened('queue-at-capacity', 'default');
    expect(full.message).toMatch(
      /^Worker queue default runs its most workers \(2\) and \d+ tasks still wait/,
    );
    simulator.control.setQueueDepth(namespace, 'default', {
      queued: 0,
      running: 0,
    });
    await resolved(full.id);
  });

  it('acknowledges an incident once, recorded in the events, and refuses unknown ids', async () => {
    const [incident] = await incidents();
    const acked = await api
      .post(`${DEP}/incidents/${incident.id}/acknowledge`)
      .expect(200);
    expect(acked.body).toMatchObject({
      id: incident.id,
      acknowledgedBy: expect.any(String),
      acknowledgedAt: expect.any(String),
    });
    const again = await api
      .post(`${DEP}/incidents/${incident.id}/acknowledge`)
      .expect(200);
    expect(again.body.acknowledgedAt).toBe(acked.body.acknowledgedAt);
    const events = (await api.get(`${DEP}/events`).expect(200)).body.items as {
      action: string;
    }[];
    expect(
      events.filter(e => e.action === 'incident-acknowledged'),
    ).toHaveLength(1);
    const missing = await api
      .post(`${DEP}/incidents/999999/acknowledge`)
      .expect(404);
    expect(missing.body.error.message).toMatch(/has no incident 999999/);
    const bad = await api.post(`${DEP}/incidents/abc/acknowledge`).expect(400);
    expect(bad.body.error.message).toMatch(/incidentId/);
  });

  it('shows a restarted scheduler HEALTHY once its pod is ready again, before Airflow is asked again', async () => {
    const health = async () =>
      (await api.get(`${DEP}/health`).expect(200)).body as {
        current?: { components: Record<string, string> };
        history: Array<{
          timestamp: string;
          components: Record<string, string>;
        }>;
      };
    simulator.control.setCrashLoop(namespace, 'scheduler');
    await waitFor(
      async () =>
        (await health()).current?.components.scheduler === 'unhealthy',
      {
        what: 'a health sample with the scheduler unhealthy',
        timeoutMs: 120_000,
      },
    );
    // Kubernetes timestamps have whole seconds: a pod that became Ready
    // in the sample's second is not known to be later, and waits for the
    // next sample.
    await new Promise(resolve => setTimeout(resolve, 1100));
    const recovered = Date.now();
    simulator.control.setCrashLoop(namespace, 'scheduler', false);
    await waitFor(async () => (await api.get(DEP)).body.status === 'HEALTHY', {
      what: 'Deployment mon to be HEALTHY again',
      timeoutMs: 90_000,
    });
    const events = (await api.get(`${DEP}/events`).expect(200)).body
      .items as Array<{
      action: string;
      createdAt: string;
      after?: { status?: string };
    }>;
    const healthyAt = Math.max(
      ...events
        .filter(
          e => e.action === 'status-changed' && e.after?.status === 'HEALTHY',
        )
        .map(e => Date.parse(e.createdAt)),
    );
    expect(healthyAt).toBeGreaterThan(recovered);
    // The status followed the pod's readiness (which passes the scheduler's
    // heartbeat check) instead of waiting for a health sample: every sample
    // that saw the scheduler healthy again came later. A pass may observe
    // only twice a minute here (BUDGET 6, 3 requests per observation).
    const healthySince = (await health()).history.filter(
      sample =>
        Date.parse(sample.timestamp) > recovered &&
        sample.components.scheduler === 'healthy',
    );
    for (const sample of healthySince) {
      expect(Date.parse(sample.timestamp)).toBeGreaterThan(healthyAt);
    }
  });

  it('sends no more Airflow requests per Deployment than the budget allows', async () => {
    const requests = () => {
      const perRoute = simulator.control.stats().airflow[namespace] ?? {};
      return {
        perRoute,
        total: Object.values(perRoute).reduce((sum, n) => sum + n, 0),
      };
    };
    simulator.control.resetStats();
    // Passes run every 2 s; the budget allows BUDGET in any 60 s.
    await new Promise(resolve => setTimeout(resolve, 60_000));
    expect(requests().total).toBeLessThanOrEqual(BUDGET);
    // And the pass does ask, as the budget frees up.
    const { perRoute } = await waitFor(
      async () => requests().total > 0 && requests(),
      { what: 'the monitoring pass to ask Airflow', timeoutMs: 70_000 },
    );
    expect(Object.keys(perRoute)).toContain('GET /api/v2/monitor/health');
  });
});
