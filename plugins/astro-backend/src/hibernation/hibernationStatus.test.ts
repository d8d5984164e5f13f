import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { hibernationVerdict } from './hibernationStatus';

function workload(name: string, component: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { [ASTRO_LABELS.component]: component } },
    spec: { replicas },
  } as KubernetesObject;
}

function pod(name: string, component: string, deleting = false) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { [ASTRO_LABELS.component]: component },
      ...(deleting ? { deletionTimestamp: '2026-12-02T20:00:00Z' } : {}),
    },
  } as KubernetesObject;
}

const live = (...objects: KubernetesObject[]) =>
  new Map(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));

describe('hibernationVerdict', () => {
  it('says nothing without a plan, or for an awake Deployment that runs', () => {
    expect(hibernationVerdict(undefined, live())).toBeUndefined();
    expect(
      hibernationVerdict(
        { hibernating: false, reason: 'Awake' },
        live(workload('scheduler', 'scheduler', 1)),
      ),
    ).toBeUndefined();
  });

  it('is HIBERNATING while pods still stop, then says until when', () => {
    const input = {
      hibernating: true,
      reason: 'Hibernating by override',
      nextWakeAt: '2026-12-03T07:00:00.000Z',
    };
    expect(
      hibernationVerdict(
        input,
        live(
          workload('scheduler', 'scheduler', 0),
          pod('scheduler-1', 'scheduler'),
          pod('worker-1', 'worker'),
          pod('scheduler-2', 'scheduler', true),
          // The database keeps running and does not count.
          pod('postgresql-0', 'postgresql'),
        ),
      ),
    ).toEqual({
      phase: 'hibernating',
      status: 'HIBERNATING',
      reason: 'Hibernating by override: scaling to zero, 2 pods still running',
    });
    expect(
      hibernationVerdict(
        input,
        live(
          workload('scheduler', 'scheduler', 0),
          pod('postgresql-0', 'postgresql'),
        ),
      ),
    ).toEqual({
      phase: 'hibernating',
      status: 'HIBERNATING',
      reason:
        'Hibernating by override: every component is scaled to zero until 2026-12-03T07:00:00.000Z',
    });
  });

  it('is DEPLOYING while an awake Deployment still has components at zero; workers at zero are normal', () => {
    expect(
      hibernationVerdict(
        { hibernating: false, reason: 'Awake' },
        live(
          workload('triggerer', 'triggerer', 0),
          workload('scheduler', 'scheduler', 0),
          workload('worker-default', 'worker', 0),
        ),
      ),
    ).toEqual({
      phase: 'waking',
      status: 'DEPLOYING',
      reason:
        'Waking up from hibernation: scheduler, triggerer still scaled to zero',
    });
    expect(
      hibernationVerdict(
        { hibernating: false, reason: 'Awake' },
        live(
          workload('scheduler', 'scheduler', 1),
          workload('worker-default', 'worker', 0),
        ),
      ),
    ).toBeUndefined();
  });
});
