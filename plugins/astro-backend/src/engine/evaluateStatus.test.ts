import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { renderedObjectKey } from '../render';
import { evaluateStatus, StatusInput } from './evaluateStatus';

const NS = 'astro-etl-abc123';
const settings: StatusInput['settings'] = {
  airflowVersion: '3.1.3',
  executor: 'CELERY',
  schedulerSize: 'SMALL',
  highAvailability: false,
  resourceQuota: { cpu: '20', memory: '40Gi' },
  defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
  workerGracePeriodSeconds: 86400,
  hibernation: { schedules: [] },
  contactEmails: [],
  isCicdEnforced: false,
  kubernetesPodOperator: false,
  workerQueues: [
    {
      name: 'default',
      isDefault: true,
      workerSize: 'A5',
      minWorkers: 0,
      maxWorkers: 10,
      concurrency: 5,
    },
  ],
};

function workload(
  name: string,
  component: string,
  replicas: number,
  ready: number,
  extraLabels: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: NS,
      labels: { 'app.kubernetes.io/component': component, ...extraLabels },
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/component': component } },
    },
    status: { replicas, readyReplicas: ready, updatedReplicas: replicas },
  };
}

function pod(component: string, waitingReason?: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-x`,
      namespace: NS,
      labels: { 'app.kubernetes.io/component': component },
    },
    status: waitingReason
      ? {
          containerStatuses: [
            { state: { waiting: { reason: waitingReason, message: 'boom' } } },
          ],
        }
      : {},
  };
}

const job = (state: 'Complete' | 'Failed' | undefined): KubernetesObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'migrate-db-1', namespace: NS, labels: {} },
  status: state ? { conditions: [{ type: state, status: 'True' }] } : {},
});

function input(
  live: KubernetesObject[],
  overrides: Partial<StatusInput> = {},
): StatusInput {
  const rendered = [
    { phase: 'migration' as const, object: job(undefined), hash: 'j' },
    {
      phase: 'components' as const,
      object: workload('scheduler', 'scheduler', 1, 0),
      hash: 's',
    },
    {
      phase: 'workers' as const,
      object: workload('worker-default', 'worker', 0, 0),
      hash: 'w',
    },
  ];
  return {
    generation: 1,
    deleting: false,
    settings,
    rendered: { objects: rendered, conditions: [] },
    live: new Map(live.map(o => [renderedObjectKey(o), o])),
    appliedGeneration: 1,
    everHealthy: false,
    previousConditions: [],
    now: new Date('2026-11-26T12:00:00Z'),
    ...overrides,
  };
}

const ready = [
  job('Complete'),
  workload('scheduler', 'scheduler', 1, 1),
  workload('worker-default', 'worker', 0, 0, {
    'astro.airflow-portal.dev/queue': 'default',
  }),
  pod('scheduler'),
];

describe('evaluateStatus', () => {
  it('is HEALTHY when everything is applied and ready', () => {
    const result = evaluateStatus(input(ready));
    expect(result.status).toBe('HEALTHY');
    expect(result.conditions.every(c => c.status === 'True')).toBe(true);
    expect(result.workerQueues).toEqual([
      {
        name: 'default',
        minWorkers: 0,
        maxWorkers: 10,
        desiredWorkers: 0,
        readyWorkers: 0,
      },
    ]);
  });

  it('is CREATING before the first HEALTHY, naming the phase it waits for', () => {
    const result = evaluateStatus(
      input([job(undefined), workload('scheduler', 'scheduler', 1, 0)]),
    );
    expect(result.status).toBe('CREATING');
    expect(result.reason).toBe('The database migration is running');
    expect(
      result.conditions.find(c => c.type === 'MigrationComplete')?.status,
    ).toBe('False');
  });

  it('is DEPLOYING while a new generation rolls out after it was healthy', () => {
    const result = evaluateStatus(
      input(ready, { generation: 2, appliedGeneration: 1, everHealthy: true }),
    );
    expect(result.status).toBe('DEPLOYING');
    expect(result.reason).toBe('Applying generation 2');
    expect(result.observedGeneration).toBe(1);
  });

  it('is UNHEALTHY when a component crash-loops, and says which', () => {
    const result = evaluateStatus(
      input([
        ...ready.filter(o => o.kind !== 'Pod'),
        pod('scheduler', 'CrashLoopBackOff'),
      ]),
    );
    expect(result.status).toBe('UNHEALTHY');
    expect(result.reason).toBe('scheduler: CrashLoopBackOff: boom');
    expect(result.components.find(c => c.name === 'scheduler')).toMatchObject({
      state: 'Failed',
    });
  });

  it('is UNHEALTHY when a quota keeps pods from being created, and says so', () => {
    const starved = workload('worker-default', 'worker', 2, 0, {
      'astro.airflow-portal.dev/queue': 'default',
    });
    (starved.status as any).conditions = [
      {
        type: 'ReplicaFailure',
        status: 'True',
        message: 'pods "worker-x" is forbidden: exceeded quota: compute',
      },
    ];
    const result = evaluateStatus(
      input([
        ...ready.filter(o => o.metadata.name !== 'worker-default'),
        starved,
      ]),
    );
    expect(result.status).toBe('UNHEALTHY');
    expect(result.reason).toBe(
      'worker-default: Resource quota exceeded: pods "worker-x" is forbidden: exceeded quota: compute',
    );
  });

  it('is UNHEALTHY when Airflow reports a component unhealthy', () => {
    const result = evaluateStatus(
      input(ready, {
        health: {
          timestamp: '2026-11-26T11:59:50Z',
          status: 'UNHEALTHY',
          components: { metadatabase: 'healthy', scheduler: 'unhealthy' },
        },
      }),
    );
    expect(result.status).toBe('UNHEALTHY');
    expect(result.reason).toBe('Airflow reports scheduler unhealthy');
  });

  describe('when Airflow said a component was unhealthy', () => {
    const sample = {
      timestamp: '2026-11-26T11:59:30Z',
      status: 'UNHEALTHY' as const,
      components: {
        metadatabase: 'healthy' as const,
        scheduler: 'unhealthy' as const,
      },
    };
    const readySince = (
      object: KubernetesObject,
      name: string,
      time: string,
    ): KubernetesObject => ({
      ...object,
      metadata: { ...object.metadata, name },
      status: {
        conditions: [
          { type: 'Ready', status: 'True', lastTransitionTime: time },
        ],
      },
    });
    const withPods = (...pods: KubernetesObject[]) => [
      ...ready.filter(o => o.kind !== 'Pod'),
      ...pods,
    ];

    it('is HEALTHY once the component restarted and became ready after that sample', () => {
      const result = evaluateStatus(
        input(
          withPods(
            readySince(pod('scheduler'), 'scheduler-b', '2026-11-26T11:59:45Z'),
          ),
          { health: sample },
        ),
      );
      expect(result.status).toBe('HEALTHY');
    });

    it('stays UNHEALTHY while the component was already ready when Airflow answered', () => {
      const result = evaluateStatus(
        input(
          withPods(
            readySince(pod('scheduler'), 'scheduler-a', '2026-11-26T11:50:00Z'),
          ),
          { health: sample },
        ),
      );
      expect(result.status).toBe('UNHEALTHY');
      expect(result.reason).toBe('Airflow reports scheduler unhealthy');
    });

    it('stays UNHEALTHY until every replica became ready after the sample', () => {
      const result = evaluateStatus(
        input(
          withPods(
            readySince(pod('scheduler'), 'scheduler-a', '2026-11-26T11:50:00Z'),
            readySince(pod('scheduler'), 'scheduler-b', '2026-11-26T11:59:45Z'),
          ),
          { health: sample },
        ),
      );
      expect(result.status).toBe('UNHEALTHY');
    });

    it('never lets readiness overrule Airflow about its metadata database', () => {
      const result = evaluateStatus(
        input(
          withPods(
            readySince(pod('scheduler'), 'scheduler-b', '2026-11-26T11:59:45Z'),
          ),
          {
            health: {
              ...sample,
              components: { metadatabase: 'unhealthy', scheduler: 'healthy' },
            },
          },
        ),
      );
      expect(result.reason).toBe('Airflow reports metadatabase unhealthy');
    });
  });

  it('is UNKNOWN when the cluster cannot be reached, UNHEALTHY for other failures', () => {
    expect(
      evaluateStatus(
        input(ready, { failure: { message: 'down', unreachable: true } }),
      ),
    ).toMatchObject({ status: 'UNKNOWN', reason: 'down' });
    expect(
      evaluateStatus(
        input(ready, { failure: { message: 'quota', unreachable: false } }),
      ),
    ).toMatchObject({ status: 'UNHEALTHY', reason: 'quota' });
  });

  it('is DELETING once deletion was requested', () => {
    expect(evaluateStatus(input(ready, { deleting: true })).status).toBe(
      'DELETING',
    );
  });

  it('keeps the transition time of conditions that did not change', () => {
    const first = evaluateStatus(input(ready));
    const later = evaluateStatus(
      input(ready, {
        previousConditions: first.conditions,
        now: new Date('2026-11-26T13:00:00Z'),
      }),
    );
    expect(later.conditions).toEqual(first.conditions);
  });

  describe('KEDA ScaledObjects', () => {
    const scaledObject = (readyCondition?: {
      status: string;
      message?: string;
    }): KubernetesObject => ({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'worker-default', namespace: NS, labels: {} },
      ...(readyCondition
        ? {
            status: {
              conditions: [
                { type: 'Ready', ...readyCondition },
                { type: 'Active', status: 'False' },
              ],
            },
          }
        : {}),
    });
    const withScaledObject = (live: KubernetesObject[]) => {
      const base = input(live);
      return {
        ...base,
        rendered: {
          conditions: [],
          objects: [
            ...base.rendered!.objects,
            {
              phase: 'autoscaling' as const,
              object: scaledObject(),
              hash: 'k',
            },
          ],
        },
      };
    };
    const condition = (live: KubernetesObject[]) =>
      evaluateStatus(withScaledObject(live)).conditions.find(
        c => c.type === 'ScaledObjectsReady',
      );

    it('reports a ScaledObject KEDA does not accept, with its message', () => {
      expect(
        condition([
          ...ready,
          scaledObject({
            status: 'False',
            message: 'error parsing postgresql metadata',
          }),
        ]),
      ).toMatchObject({
        status: 'False',
        reason: 'ScaledObjectNotReady',
        message:
          'KEDA does not scale worker-default: error parsing postgresql metadata',
      });
    });

    it('waits for KEDA before it reports a ScaledObject Ready', () => {
      expect(condition([...ready, scaledObject()])).toMatchObject({
        status: 'False',
        reason: 'Pending',
      });
      expect(
        condition([...ready, scaledObject({ status: 'True' })]),
      ).toMatchObject({ status: 'True', reason: 'Ready' });
    });

    it('has no such condition without ScaledObjects', () => {
      expect(
        evaluateStatus(input(ready)).conditions.map(c => c.type),
      ).not.toContain('ScaledObjectsReady');
    });
  });
});
