import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { StatusError } from '../api/status';
import { readManagedFields } from './managedFields';
import { applyConfiguration, recordUpdate } from './serverSideApply';

const deployment = (
  spec: Record<string, unknown>,
  labels?: Record<string, string>,
): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', ...(labels ? { labels } : {}) },
  spec,
});

function apply(
  live: KubernetesObject | undefined,
  config: KubernetesObject,
  manager: string,
  force = false,
) {
  return applyConfiguration({
    live,
    config,
    manager,
    force,
    statusSubresource: true,
  });
}

function owners(object: KubernetesObject) {
  return Object.fromEntries(
    readManagedFields(object).map(entry => [
      `${entry.manager}/${entry.operation}`,
      [...entry.fields].map(key => JSON.parse(key).join('.')).sort(),
    ]),
  );
}

function conflictOf(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a conflict');
}

describe('server-side apply', () => {
  it('creates an object owned by its applier', () => {
    const created = apply(
      undefined,
      deployment({ replicas: 2, paused: false }),
      'astro',
    );
    expect(created.spec).toEqual({ replicas: 2, paused: false });
    expect(owners(created)).toEqual({
      'astro/Apply': ['spec.paused', 'spec.replicas'],
    });
    expect(created.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'astro',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:paused': {}, 'f:replicas': {} } },
      }),
    ]);
  });

  it('removes fields its applier stopped sending, keeps fields others own', () => {
    let live = apply(
      undefined,
      deployment({ replicas: 2, paused: false }),
      'astro',
    );
    live = recordUpdate({
      live,
      next: { ...live, spec: { ...(live.spec as object), minReadySeconds: 5 } },
      manager: 'kubectl-edit',
    });
    live = apply(live, deployment({ replicas: 3 }), 'astro');
    expect(live.spec).toEqual({ replicas: 3, minReadySeconds: 5 });
    expect(owners(live)).toEqual({
      'astro/Apply': ['spec.replicas'],
      'kubectl-edit/Update': ['spec.minReadySeconds'],
    });
  });

  it('reports a conflict with the field and the other manager', () => {
    const live = apply(undefined, deployment({ replicas: 2 }), 'astro');
    const error = conflictOf(() =>
      apply(live, deployment({ replicas: 5 }), 'other'),
    );
    expect(error.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "astro" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "astro" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
  });

  it('shares ownership when two managers apply the same value', () => {
    let live = apply(undefined, deployment({ replicas: 2 }), 'astro');
    live = apply(live, deployment({ replicas: 2 }), 'other');
    expect(owners(live)).toEqual({
      'astro/Apply': ['spec.replicas'],
      'other/Apply': ['spec.replicas'],
    });
    // Dropping it from one applier keeps it: the other still owns it.
    live = apply(live, deployment({}), 'other');
    expect(live.spec).toEqual({ replicas: 2 });
  });

  it('takes fields over when forced', () => {
    let live = apply(
      undefined,
      deployment({ replicas: 2, paused: false }),
      'astro',
    );
    live = apply(live, deployment({ replicas: 5 }), 'other', true);
    expect(live.spec).toEqual({ replicas: 5, paused: false });
    expect(owners(live)).toEqual({
      'astro/Apply': ['spec.paused'],
      'other/Apply': ['spec.replicas'],
    });
  });

  it('conflicts with fields a controller changed through an update', () => {
    let live = apply(undefined, deployment({ template: {} }), 'astro');
    live = recordUpdate({
      live,
      next: { ...live, spec: { ...(live.spec as object), replicas: 4 } },
      manager: 'keda-operator',
      subresource: 'scale',
    });
    expect(() => apply(live, deployment({ replicas: 1 }), 'astro')).toThrow(
      /conflict with "keda-operator"/,
    );
    // Not sending the field leaves the controller's value alone.
    expect(
      apply(live, deployment({ template: {} }), 'astro').spec,
    ).toMatchObject({
      replicas: 4,
    });
  });

  it('ignores .status for kinds with a status subresource', () => {
    const live = apply(
      undefined,
      { ...deployment({ replicas: 1 }), status: { replicas: 9 } },
      'astro',
    );
    expect(live.status).toBeUndefined();
  });

  it('treats lists as atomic values', () => {
    const containers = (names: string[]) =>
      names.map(name => ({ name, image: 'x' }));
    let live = apply(
      undefined,
      deployment({ containers: containers(['a', 'b']) }),
      'astro',
    );
    live = apply(live, deployment({ containers: containers(['a']) }), 'astro');
    expect(live.spec).toEqual({ containers: containers(['a']) });
    expect(owners(live)).toEqual({ 'astro/Apply': ['spec.containers'] });
  });

  it('keeps the managed-fields time when an apply changes nothing', async () => {
    const live = apply(
      undefined,
      deployment({ replicas: 1 }, { a: 'b' }),
      'astro',
    );
    await new Promise(resolve => setTimeout(resolve, 1100));
    const again = apply(live, deployment({ replicas: 1 }, { a: 'b' }), 'astro');
    expect(again).toEqual(live);
  });
});
