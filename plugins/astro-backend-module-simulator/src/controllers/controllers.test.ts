/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "eventually"] }] */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  ASTRO_ANNOTATIONS,
  ASTRO_LABELS,
} from '@airflow-portal/plugin-astro-common';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import { eventually } from '../__testUtils__/http';

const NS = 'airflow-1';

function workload(
  kind: 'Deployment' | 'StatefulSet',
  name: string,
  options: {
    replicas?: number;
    component?: string;
    image?: string;
    cpu?: string;
    extraSpec?: Record<string, unknown>;
  } = {},
): KubernetesObject {
  const labels = {
    app: name,
    ...(options.component
      ? { [ASTRO_LABELS.component]: options.component }
      : {}),
  };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: NS, labels },
    spec: {
      ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'main',
              image: options.image ?? 'apache/airflow:3.0.2',
              ...(options.cpu
                ? { resources: { requests: { cpu: options.cpu } } }
                : {}),
            },
          ],
        },
      },
      ...options.extraSpec,
    },
  };
}

function job(name: string, component = 'migrate-database'): KubernetesObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: NS,
      labels: { [ASTRO_LABELS.component]: component },
    },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'migrate', image: 'apache/airflow:3.0.2' }],
        },
      },
    },
  };
}

describe('simulated controllers', () => {
  let simulator: KubernetesSimulator;
  const control = () => simulator.control;
  const apply = (object: KubernetesObject) =>
    control().applyObject(object, { fieldManager: 'astro' });
  const list = (apiVersion: string, kind: string) =>
    control().listObjects({ apiVersion, kind, namespace: NS });
  const get = (apiVersion: string, kind: string, name: string) =>
    control().getObject({ apiVersion, kind, namespace: NS, name });
  const pods = () => list('v1', 'Pod');
  const ready = (pod: KubernetesObject) =>
    ((pod.status as any)?.conditions ?? []).some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );
  const events = () =>
    list('v1', 'Event').map(e => `${e.type} ${e.reason}: ${e.message}`);

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 30,
      crashLoopRestartMs: 40,
      namespaceDeletionDelayMs: 10,
    });
    apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });

  afterEach(() => simulator.stop());

  it('makes namespaces Active', async () => {
    await eventually(
      () =>
        (
          control().getObject({ apiVersion: 'v1', kind: 'Namespace', name: NS })
            ?.status as any
        )?.phase === 'Active',
    );
  });

  it('runs a Deployment through a ReplicaSet to Ready pods, with status and events', async () => {
    apply(
      workload('Deployment', 'scheduler', {
        replicas: 2,
        component: 'scheduler',
      }),
    );
    await eventually(() => pods().length === 2 && pods().every(ready));

    const [rs] = list('apps/v1', 'ReplicaSet');
    const deployment = get('apps/v1', 'Deployment', 'scheduler')!;
    expect(rs.metadata.name).toMatch(/^scheduler-[a-z0-9]{10}$/);
    expect(rs.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'scheduler',
        uid: deployment.metadata.uid,
        controller: true,
      }),
    ]);
    for (const pod of pods()) {
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ReplicaSet', name: rs.metadata.name }),
      ]);
      expect(pod.metadata.labels).toMatchObject({
        'pod-template-hash': expect.any(String),
        app: 'scheduler',
      });
    }
    await eventually(
      () =>
        (get('apps/v1', 'Deployment', 'scheduler')!.status as any)
          ?.readyReplicas === 2,
    );
    expect(get('apps/v1', 'Deployment', 'scheduler')!.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True' }),
        expect.objectContaining({
          type: 'Progressing',
          reason: 'NewReplicaSetAvailable',
        }),
      ]),
    });
    expect(events()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Normal ScalingReplicaSet: Scaled up replica set scheduler-\w+ from 0 to 2$/,
        ),
        expect.stringMatching(
          /^Normal SuccessfulCreate: Created pod: scheduler-/,
        ),
        expect.stringMatching(
          /^Normal Scheduled: Successfully assigned airflow-1\/scheduler-/,
        ),
        'Normal Started: Started container main',
      ]),
    );
  });

  it('rolls a new pod template out and scales down', async () => {
    apply(workload('Deployment', 'web', { replicas: 2 }));
    await eventually(() => pods().length === 2 && pods().every(ready));
    const before = pods().map(p => p.metadata.name);
    apply(
      workload('Deployment', 'web', {
        replicas: 1,
        image: 'apache/airflow:3.0.3',
      }),
    );
    await eventually(
      () =>
        pods().length === 1 &&
        pods().every(ready) &&
        !before.includes(pods()[0].metadata.name),
    );
    const replicaSets = list('apps/v1', 'ReplicaSet');
    expect(replicaSets.map(rs => (rs.spec as any).replicas).sort()).toEqual([
      0, 1,
    ]);
  });

  it('runs a StatefulSet with ordinal pods and bound claims', async () => {
    apply(
      workload('StatefulSet', 'postgresql', {
        replicas: 2,
        extraSpec: {
          serviceName: 'postgresql',
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: '1Gi' } },
              },
            },
          ],
        },
      }),
    );
    await eventually(() => pods().length === 2 && pods().every(ready));
    expect(
      pods()
        .map(p => p.metadata.name)
        .sort(),
    ).toEqual(['postgresql-0', 'postgresql-1']);
    expect(
      list('v1', 'PersistentVolumeClaim').map(c => [
        c.metadata.name,
        (c.status as any).phase,
      ]),
    ).toEqual([
      ['data-postgresql-0', 'Bound'],
      ['data-postgresql-1', 'Bound'],
    ]);
    await eventually(
      () =>
        (get('apps/v1', 'StatefulSet', 'postgresql')!.status as any)
          ?.readyReplicas === 2,
    );
  });

  it('completes Jobs, and fails the next migration Job on request', async () => {
    apply(job('migrate-1'));
    await eventually(
      () =>
        (get('batch/v1', 'Job', 'migrate-1')!.status as any)?.succeeded === 1,
    );
    expect(
      (get('batch/v1', 'Job', 'migrate-1')!.status as any).conditions,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Complete', status: 'True' }),
      ]),
    );

    control().failNextJob();
    apply(job('migrate-2'));
    apply(job('migrate-3'));
    await eventually(
      () => (get('batch/v1', 'Job', 'migrate-2')!.status as any)?.failed === 1,
    );
    await eventually(
      () =>
        (get('batch/v1', 'Job', 'migrate-3')!.status as any)?.succeeded === 1,
    );
    expect(
      (get('batch/v1', 'Job', 'migrate-2')!.status as any).conditions,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
        }),
      ]),
    );
    expect(events()).toContain(
      'Warning BackoffLimitExceeded: Job has reached the specified backoff limit',
    );
  });

  it('scales a KEDA target from the queue depth: ceil((queued + running) / concurrency) within min..max', async () => {
    apply(workload('Deployment', 'worker-default', { component: 'worker' }));
    apply({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: {
        name: 'worker-default',
        namespace: NS,
        labels: { [ASTRO_LABELS.queue]: 'default' },
        annotations: { [ASTRO_ANNOTATIONS.workerConcurrency]: '5' },
      },
      spec: {
        scaleTargetRef: { name: 'worker-default' },
        minReplicaCount: 0,
        maxReplicaCount: 3,
        triggers: [{ type: 'postgresql', metadata: { query: 'select 1' } }],
      },
    });
    const replicas = () =>
      (get('apps/v1', 'Deployment', 'worker-default')!.spec as any).replicas;
    await eventually(() => replicas() === 0);

    control().setQueueDepth(NS, 'default', { queued: 7, running: 2 });
    await eventually(() => replicas() === 2);
    await eventually(() => pods().length === 2);

    control().setQueueDepth(NS, 'default', { queued: 40, running: 0 });
    await eventually(() => replicas() === 3);

    control().setQueueDepth(NS, 'default', { queued: 0, running: 0 });
    await eventually(() => replicas() === 0 && pods().length === 0);

    const scaledObject = get(
      'keda.sh/v1alpha1',
      'ScaledObject',
      'worker-default',
    )!;
    expect(scaledObject.status).toMatchObject({
      scaleTargetKind: 'apps/v1.Deployment',
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'True' }),
        expect.objectContaining({ type: 'Active', status: 'False' }),
      ]),
    });
    const deployment = get('apps/v1', 'Deployment', 'worker-default')!;
    expect(deployment.metadata.managedFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          manager: 'keda-operator',
          operation: 'Update',
          subresource: 'scale',
        }),
      ]),
    );
  });

  it('holds the target of a ScaledObject paused with autoscaling.keda.sh/paused-replicas, and resumes when the annotation goes', async () => {
    const scaledObject = (annotations: Record<string, string>) => ({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: {
        name: 'worker-default',
        namespace: NS,
        labels: { [ASTRO_LABELS.queue]: 'default' },
        annotations: {
          [ASTRO_ANNOTATIONS.workerConcurrency]: '5',
          ...annotations,
        },
      },
      spec: {
        scaleTargetRef: { name: 'worker-default' },
        minReplicaCount: 1,
        maxReplicaCount: 3,
        triggers: [{ type: 'postgresql', metadata: { query: 'select 1' } }],
      },
    });
    const replicas = () =>
      (get('apps/v1', 'Deployment', 'worker-default')!.spec as any).replicas;
    const condition = (type: string) =>
      (
        (
          get('keda.sh/v1alpha1', 'ScaledObject', 'worker-default')!
            .status as any
        )?.conditions ?? []
      ).find((c: any) => c.type === type)?.status;
    apply(workload('Deployment', 'worker-default', { component: 'worker' }));
    control().setQueueDepth(NS, 'default', { queued: 10, running: 0 });
    apply(scaledObject({}));
    await eventually(() => replicas() === 2);

    apply(scaledObject({ 'autoscaling.keda.sh/paused-replicas': '0' }));
    await eventually(() => replicas() === 0 && pods().length === 0);
    expect(condition('Paused')).toBe('True');
    // Queued work does not wake a paused target.
    control().setQueueDepth(NS, 'default', { queued: 20, running: 0 });
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(replicas()).toBe(0);

    apply(scaledObject({}));
    await eventually(() => replicas() === 3);
    expect(condition('Paused')).toBe('False');
  });

  it('keeps an HPA target within its range, following the queue when labelled', async () => {
    apply(
      workload('Deployment', 'worker', { replicas: 0, component: 'worker' }),
    );
    apply({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'worker',
        namespace: NS,
        labels: { [ASTRO_LABELS.queue]: 'default' },
        annotations: { [ASTRO_ANNOTATIONS.workerConcurrency]: '4' },
      },
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'worker',
        },
        minReplicas: 1,
        maxReplicas: 4,
      },
    });
    const replicas = () =>
      (get('apps/v1', 'Deployment', 'worker')!.spec as any).replicas;
    await eventually(() => replicas() === 1);
    control().setQueueDepth(NS, 'default', { queued: 9, running: 0 });
    await eventually(() => replicas() === 3);
  });

  it('crash-loops the pods of a component on request, and lets them recover', async () => {
    apply(
      workload('Deployment', 'scheduler', {
        replicas: 1,
        component: 'scheduler',
      }),
    );
    await eventually(() => pods().length === 1 && pods().every(ready));
    control().setCrashLoop(NS, 'scheduler');
    const state = () => (pods()[0].status as any).containerStatuses[0];
    await eventually(
      () => state().state.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(ready(pods()[0])).toBe(false);
    await eventually(() => state().restartCount >= 2);
    expect(events()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Warning BackOff: Back-off restarting failed container main/,
        ),
      ]),
    );
    control().setCrashLoop(NS, 'scheduler', false);
    await eventually(() => ready(pods()[0]));
  });

  it('refuses pods beyond the namespace quota and says so', async () => {
    apply({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: NS },
      spec: { hard: { 'requests.cpu': '1', pods: '10' } },
    });
    apply(workload('Deployment', 'worker', { replicas: 3, cpu: '400m' }));
    await eventually(() =>
      (get('apps/v1', 'Deployment', 'worker')!.status as any)?.conditions?.some(
        (c: any) => c.type === 'ReplicaFailure' && c.status === 'True',
      ),
    );
    expect(pods()).toHaveLength(2);
    expect(events()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Warning FailedCreate: Error creating: pods "worker-\w+-\w+" is forbidden: exceeded quota: compute, requested: requests.cpu=400m, used: requests.cpu=800m, limited: requests.cpu=1$/,
        ),
      ]),
    );
    await eventually(
      () =>
        (get('v1', 'ResourceQuota', 'compute')!.status as any)?.used?.[
          'requests.cpu'
        ] === '800m',
    );
  });

  it('deletes the ReplicaSets and pods of a deleted Deployment', async () => {
    apply(workload('Deployment', 'web', { replicas: 2 }));
    await eventually(() => pods().length === 2);
    control().deleteObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NS,
      name: 'web',
    });
    await eventually(
      () => pods().length === 0 && list('apps/v1', 'ReplicaSet').length === 0,
    );
  });
});
