import {
  DEFAULT_THRESHOLDS,
  DeploymentObservation,
  evaluateIncidents,
} from './evaluateIncidents';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const minutesAgo = (m: number) =>
  new Date(NOW.getTime() - m * 60_000).toISOString();

function observation(
  overrides: Partial<DeploymentObservation> = {},
): DeploymentObservation {
  return {
    now: NOW,
    portalUrl: 'http://portal/astro/organizations/acme/deployments/etl',
    components: [],
    workerQueues: [],
    conditions: [],
    heartbeats: {
      scheduler: { status: 'healthy', latestHeartbeat: minutesAgo(0) },
      triggerer: { status: 'healthy', latestHeartbeat: minutesAgo(0) },
      'dag-processor': null,
    },
    importErrors: 0,
    dagFailures: [],
    queuedTasks: {},
    ...overrides,
  };
}

const kinds = (o: DeploymentObservation) =>
  evaluateIncidents(o).open.map(i => `${i.kind}/${i.subject}`);

describe('evaluateIncidents', () => {
  it('wants nothing open for a healthy Deployment, and judged every kind', () => {
    expect(evaluateIncidents(observation())).toEqual({ open: [], unknown: [] });
  });

  it('opens heartbeat-missing once a heartbeat is older than the threshold, not before', () => {
    const at = (m: number) =>
      observation({
        heartbeats: {
          scheduler: { status: 'unhealthy', latestHeartbeat: minutesAgo(m) },
          triggerer: { status: 'healthy', latestHeartbeat: minutesAgo(0) },
        },
      });
    expect(kinds(at(9))).toEqual([]);
    const [incident] = evaluateIncidents(at(11)).open;
    expect(incident).toMatchObject({
      kind: 'heartbeat-missing',
      subject: 'scheduler',
      severity: 'critical',
    });
    expect(incident.message).toMatch(
      /The scheduler has not heartbeated for 11 min .*threshold 10 min/,
    );
    // A custom threshold applies.
    expect(
      evaluateIncidents(at(6), {
        ...DEFAULT_THRESHOLDS,
        heartbeatMissingMs: 5 * 60_000,
      }).open,
    ).toHaveLength(1);
  });

  it('ignores a triggerer Airflow has never seen, but not a scheduler without heartbeat', () => {
    expect(
      kinds(
        observation({
          heartbeats: {
            scheduler: { status: 'unhealthy', latestHeartbeat: null },
            triggerer: { status: null, latestHeartbeat: null },
          },
        }),
      ),
    ).toEqual(['heartbeat-missing/scheduler']);
  });

  it('leaves kinds it did not observe unknown instead of wanting them resolved', () => {
    const { open, unknown } = evaluateIncidents(
      observation({
        heartbeats: undefined,
        importErrors: undefined,
        dagFailures: undefined,
        workerQueues: [
          {
            name: 'default',
            minWorkers: 0,
            maxWorkers: 2,
            desiredWorkers: 2,
            readyWorkers: 2,
          },
        ],
        queuedTasks: undefined,
      }),
    );
    expect(open).toEqual([]);
    expect(unknown.sort()).toEqual([
      'dag-run-failures',
      'heartbeat-missing',
      'import-errors',
      'queue-at-capacity',
    ]);
  });

  it('tells a crash loop from a quota that blocks pods', () => {
    const incidents = evaluateIncidents(
      observation({
        components: [
          {
            name: 'scheduler',
            kind: 'Deployment',
            desiredReplicas: 1,
            readyReplicas: 0,
            state: 'Failed',
            message:
              'CrashLoopBackOff: back-off 5m0s restarting failed container',
          },
          {
            name: 'worker-default',
            kind: 'Deployment',
            desiredReplicas: 3,
            readyReplicas: 1,
            state: 'Failed',
            message:
              'Resource quota exceeded: pods "worker-default-x" is forbidden: exceeded quota: compute',
          },
          {
            name: 'triggerer',
            kind: 'Deployment',
            desiredReplicas: 1,
            readyReplicas: 1,
            state: 'Ready',
          },
        ],
      }),
    ).open;
    expect(incidents.map(i => `${i.kind}/${i.subject}`)).toEqual([
      'crash-loop/scheduler',
      'quota-blocked/worker-default',
    ]);
    expect(incidents[0].message).toBe(
      'scheduler has 0/1 ready: CrashLoopBackOff: back-off 5m0s restarting failed container',
    );
  });

  it('opens queue-at-capacity only when the queue is at its most workers and tasks wait', () => {
    const queue = (desired: number) => ({
      name: 'default',
      minWorkers: 0,
      maxWorkers: 4,
      desiredWorkers: desired,
      readyWorkers: desired,
    });
    expect(
      kinds(
        observation({ workerQueues: [queue(3)], queuedTasks: { default: 9 } }),
      ),
    ).toEqual([]);
    expect(
      kinds(
        observation({ workerQueues: [queue(4)], queuedTasks: { default: 0 } }),
      ),
    ).toEqual([]);
    const [incident] = evaluateIncidents(
      observation({ workerQueues: [queue(4)], queuedTasks: { default: 9 } }),
    ).open;
    expect(incident).toMatchObject({
      kind: 'queue-at-capacity',
      subject: 'default',
      message:
        'Worker queue default runs its most workers (4) and 9 tasks still wait; raise its maximum or its worker concurrency',
    });
  });

  it('reads a failed migration and a deprecated version from the conditions', () => {
    const incidents = evaluateIncidents(
      observation({
        conditions: [
          {
            type: 'DatabaseMigration',
            status: 'False',
            reason: 'MigrationFailed',
            message:
              'Moving to Airflow 3.1.3 failed\nLast lines of the migration log:\nboom',
            lastTransitionTime: NOW.toISOString(),
          },
          {
            type: 'AirflowVersionSupported',
            status: 'False',
            reason: 'Deprecated',
            message: 'Airflow 3.0.6 is deprecated; upgrade to 3.1.3',
            lastTransitionTime: NOW.toISOString(),
          },
        ],
      }),
    ).open;
    expect(incidents).toEqual([
      expect.objectContaining({
        kind: 'migration-failed',
        subject: '',
        message: 'Moving to Airflow 3.1.3 failed',
      }),
      expect.objectContaining({
        kind: 'version-deprecated',
        severity: 'warning',
        message: 'Airflow 3.0.6 is deprecated; upgrade to 3.1.3',
      }),
    ]);
  });

  it('opens dag-run-failures at the threshold within the window while the last run failed', () => {
    const failing = (lastState: 'success' | 'failed', ages: number[]) =>
      observation({
        dagFailures: [
          {
            dagId: 'etl',
            failures: ages.map(minutesAgo),
            lastState,
            lastFailedRunUrl: 'http://airflow/dags/etl/runs/r3',
          },
        ],
      });
    expect(kinds(failing('failed', [30, 20]))).toEqual([]);
    // One of three failures is outside the window.
    expect(kinds(failing('failed', [70, 20, 10]))).toEqual([]);
    const [incident] = evaluateIncidents(failing('failed', [30, 20, 10])).open;
    expect(incident).toMatchObject({
      kind: 'dag-run-failures',
      subject: 'etl',
      link: 'http://airflow/dags/etl/runs/r3',
      message: '3 runs of DAG etl failed in the last 60 min (threshold 3)',
    });
    // A successful run since: recovered.
    expect(kinds(failing('success', [30, 20, 10]))).toEqual([]);
  });

  it('opens import-errors while DAG files fail to import', () => {
    expect(evaluateIncidents(observation({ importErrors: 2 })).open).toEqual([
      expect.objectContaining({
        kind: 'import-errors',
        message: '2 DAG files fail to import',
      }),
    ]);
  });
});
