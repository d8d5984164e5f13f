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
      [...entry.fields]
        .map(key =>
          JSON.parse(key)
            .map((element: string) => element.replace(/^f:/, ''))
            .join('.'),
        )
        .sort(),
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

  it('treats lists without merge keys as atomic values', () => {
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

  describe('associative lists', () => {
    const withContainers = (containers: unknown[]) =>
      deployment({ template: { spec: { containers } } });
    const containersOf = (object: KubernetesObject) =>
      (object.spec as any).template.spec.containers;

    it('lets managers own different containers of one list', () => {
      let live = apply(
        undefined,
        withContainers([{ name: 'web', image: 'nginx' }]),
        'astro',
      );
      live = apply(
        live,
        withContainers([{ name: 'sidecar', image: 'busybox' }]),
        'mesh',
      );
      expect(containersOf(live)).toEqual([
        { name: 'web', image: 'nginx' },
        { name: 'sidecar', image: 'busybox' },
      ]);
      expect(live.metadata.managedFields?.map(entry => entry.fieldsV1)).toEqual(
        [
          {
            'f:spec': {
              'f:template': {
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"web"}': {
                      '.': {},
                      'f:image': {},
                      'f:name': {},
                    },
                  },
                },
              },
            },
          },
          {
            'f:spec': {
              'f:template': {
                'f:spec': {
                  'f:containers': {
                    'k:{"name":"sidecar"}': {
                      '.': {},
                      'f:image': {},
                      'f:name': {},
                    },
                  },
                },
              },
            },
          },
        ],
      );
      // The sidecar's manager drops it: only the sidecar goes.
      live = apply(live, withContainers([]), 'mesh');
      expect(containersOf(live)).toEqual([{ name: 'web', image: 'nginx' }]);
    });

    it('does not conflict on fields the server or others added to an element', () => {
      // Created through an update (client-side apply), with server defaults.
      let live = recordUpdate({
        live: undefined,
        next: withContainers([
          {
            name: 'web',
            image: 'nginx',
            imagePullPolicy: 'Always',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', value: '1' }],
          },
        ]),
        manager: 'kubectl-client-side-apply',
      });
      live = apply(
        live,
        withContainers([
          {
            name: 'web',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
        ]),
        'kubectl',
      );
      expect(containersOf(live)).toEqual([
        {
          name: 'web',
          image: 'nginx',
          imagePullPolicy: 'Always',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ]);
      expect(owners(live)['kubectl/Apply']).toContain(
        'spec.template.spec.containers.k:{"name":"web"}.ports.k:{"containerPort":80,"protocol":"TCP"}.containerPort',
      );
    });

    it('names the element of a conflicting field', () => {
      const live = apply(
        undefined,
        withContainers([{ name: 'web', image: 'nginx:1' }]),
        'astro',
      );
      expect(() =>
        apply(live, withContainers([{ name: 'web', image: 'nginx:2' }]), 'x'),
      ).toThrow(
        'conflict with "astro" using apps/v1: .spec.template.spec.containers[name="web"].image',
      );
    });

    it('removes an element its applier stopped sending unless another manager owns part of it', () => {
      let live = apply(
        undefined,
        withContainers([
          { name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] },
          { name: 'old', image: 'x' },
        ]),
        'astro',
      );
      live = recordUpdate({
        live,
        next: withContainers([
          {
            name: 'web',
            image: 'nginx',
            env: [
              { name: 'A', value: '1' },
              { name: 'EXTRA', value: 'x' },
            ],
          },
          { name: 'old', image: 'x' },
        ]),
        manager: 'kubectl-set',
      });
      live = apply(
        live,
        withContainers([{ name: 'web', image: 'nginx', env: [] }]),
        'astro',
      );
      // `old` was astro's alone; EXTRA is kubectl-set's.
      const extra = [{ name: 'EXTRA', value: 'x' }];
      expect(containersOf(live)).toEqual([
        { name: 'web', image: 'nginx', env: extra },
      ]);
      live = apply(
        live,
        withContainers([{ name: 'web', image: 'nginx' }]),
        'astro',
      );
      expect(containersOf(live)).toEqual([
        { name: 'web', image: 'nginx', env: extra },
      ]);
    });

    it('treats finalizers as a set', () => {
      const withFinalizers = (finalizers: string[]): KubernetesObject => ({
        ...deployment({}),
        metadata: { name: 'web', namespace: 'ns', finalizers },
      });
      let live = apply(undefined, withFinalizers(['a/x']), 'astro');
      live = apply(live, withFinalizers(['b/y']), 'other');
      expect(live.metadata.finalizers).toEqual(['a/x', 'b/y']);
      live = apply(live, withFinalizers([]), 'astro');
      expect(live.metadata.finalizers).toEqual(['b/y']);
    });
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
