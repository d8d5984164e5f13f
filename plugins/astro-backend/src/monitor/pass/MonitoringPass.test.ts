import { mockServices } from '@backstage/backend-test-utils';
import { AstroDatabase, DeploymentRecord } from '../../store';
import { AirflowV2Adapter } from '../insight/AirflowV2Adapter';
import { DEFAULT_THRESHOLDS } from '../incidents/evaluateIncidents';
import { AirflowRequestBudget } from './AirflowRequestBudget';
import { MonitoringPass } from './MonitoringPass';

const RECORD = {
  id: 'dep-1',
  organization_name: 'acme',
  workspace_name: 'ws',
  name: 'etl',
  status: 'HEALTHY',
  deletion_requested_at: null,
  conditions: '[]',
  airflow_url: null,
} as unknown as DeploymentRecord;

/**
 * A pass over one running Deployment whose Airflow answers every read, on
 * a monotonic clock that only the pass's waits move; counts the requests.
 */
function onePass(options: { queuesAtMax?: number; deployments?: number } = {}) {
  const records = Array.from({ length: options.deployments ?? 1 }, (_, i) =>
    i === 0 ? RECORD : { ...RECORD, id: `dep-${i + 1}`, name: `etl-${i + 1}` },
  );
  const clock = { now: 0 };
  const requests: Array<{ at: number; what: string }> = [];
  const slept: number[] = [];
  const budget = new AirflowRequestBudget(4, () => clock.now);
  const queues = Array.from({ length: options.queuesAtMax ?? 0 }, (_, i) => ({
    name: `q${i}`,
    minWorkers: 0,
    maxWorkers: 2,
    desiredWorkers: 2,
    readyWorkers: 2,
  }));
  const db = {
    deployments: {
      listAll: async () => records,
      getById: async (id: string) => records.find(r => r.id === id),
    },
    monitorWatermarks: {
      get: async () => undefined,
      advance: async () => true,
    },
  } as unknown as AstroDatabase;
  const pass = new MonitoringPass({
    db,
    status: {
      lastComponents: () => ({ components: [], workerQueues: queues }),
      update: async () => undefined,
    },
    health: {
      probe: async () => {
        requests.push({ at: clock.now, what: 'health' });
        return {
          sample: {
            timestamp: new Date().toISOString(),
            status: 'HEALTHY',
            components: {},
          },
        };
      },
      deleteExpiredSamples: async () => {},
    },
    connections: {
      open: async () => ({
        adapter: new AirflowV2Adapter(),
        call: async (method: string, path: string) => {
          requests.push({ at: clock.now, what: `${method} ${path}` });
          return { dag_runs: [], import_errors: [], total_entries: 0 };
        },
      }),
    },
    tracker: {
      sync: async () => ({ opened: [], resolved: [], updated: 0 }),
    },
    listeners: [],
    budget,
    thresholds: DEFAULT_THRESHOLDS,
    logger: mockServices.logger.mock(),
    intervalMs: 60_000,
    sleep: async ms => {
      slept.push(ms);
      clock.now += ms;
    },
  });
  return { pass, clock, requests, slept };
}

describe('MonitoringPass', () => {
  it('observes a Deployment on a pass that starts a little less than a minute after the last, waiting for its budget', async () => {
    const { pass, clock, requests, slept } = onePass();
    await pass.run();
    expect(requests.map(r => r.what)).toEqual([
      'health',
      'POST /api/v2/dags/~/dagRuns/list',
      'GET /api/v2/importErrors?limit=1',
    ]);
    // The scheduler polls: the next pass starts 0.8 s early.
    clock.now = 59_200;
    await pass.run();
    expect(slept).toEqual([800]);
    expect(requests).toHaveLength(6);
    // Still at most the budget (4) in any 60 s.
    for (const { at } of requests) {
      expect(
        requests.filter(r => r.at >= at && r.at < at + 60_000).length,
      ).toBeLessThanOrEqual(4);
    }
  });

  it('skips a Deployment whose budget does not fit soon, and reads it on a later pass', async () => {
    const { pass, clock, requests, slept } = onePass();
    await pass.run();
    clock.now = 30_000;
    await pass.run();
    expect(slept).toEqual([]);
    expect(requests).toHaveLength(3);
    clock.now = 60_000;
    await pass.run();
    expect(requests).toHaveLength(6);
  });

  it('still observes health when more worker queues are at their maximum than the budget pays', async () => {
    const { pass, clock, requests } = onePass({ queuesAtMax: 3 });
    await pass.run();
    expect(requests.map(r => r.what)).toEqual([
      'health',
      'POST /api/v2/dags/~/dagRuns/list',
      'GET /api/v2/importErrors?limit=1',
      'GET /api/v2/dags/~/dagRuns/~/taskInstances?state=queued&queue=q0&limit=1',
    ]);
    clock.now = 60_000;
    await pass.run();
    expect(requests).toHaveLength(8);
  });

  it('spreads its Deployments over nine tenths of the interval, so it ends before the next pass is due', async () => {
    const { pass, requests, slept } = onePass({ deployments: 10 });
    await pass.run();
    expect(requests.filter(r => r.what === 'health')).toHaveLength(10);
    // The waits before each Deployment, from the pass's start: 10 × 5.4 s.
    expect(slept).toHaveLength(9);
    expect(Math.max(...slept)).toBeLessThanOrEqual(0.9 * 60_000);
    expect(Math.max(...slept)).toBeGreaterThan(0.8 * 60_000 - 1_000);
  });
});
