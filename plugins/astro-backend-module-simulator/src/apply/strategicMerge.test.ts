import { StatusError } from '../api/status';
import { patchSchemaOf } from './patchSchema';
import { strategicMergePatch } from './strategicMerge';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'team',
    labels: { app: 'web' },
    finalizers: ['a.example/x'],
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            args: ['--one'],
          },
          { name: 'sidecar', image: 'busybox:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

const DEPLOYMENT = patchSchemaOf('Deployment');
const patched = (patch: Record<string, unknown>) =>
  strategicMergePatch(deployment(), patch, DEPLOYMENT) as any;

function failure(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the patch to fail');
}

describe('strategic merge patch', () => {
  it('sets an image the way kubectl set image does, keeping env, ports and the other container', () => {
    const result = patched({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [
              { name: 'web' },
              { name: 'sidecar' },
            ],
            containers: [{ image: 'nginx:2', name: 'web' }],
          },
        },
      },
    });
    expect(result.spec.template.spec.containers).toEqual([
      {
        name: 'web',
        image: 'nginx:2',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        args: ['--one'],
      },
      { name: 'sidecar', image: 'busybox:1' },
    ]);
    expect(JSON.stringify(result)).not.toContain('$setElementOrder');
  });

  it('applies a client-side apply patch: changed env, an added port, a deleted container', () => {
    const result = patched({
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
      },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                '$setElementOrder/ports': [
                  { containerPort: 80 },
                  { containerPort: 9090 },
                ],
                env: [
                  { name: 'C', value: '3' },
                  { $patch: 'delete', name: 'B' },
                ],
                name: 'web',
                ports: [{ containerPort: 9090, name: 'metrics' }],
              },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    });
    const [web, ...others] = result.spec.template.spec.containers;
    expect(others).toEqual([]);
    expect(web.env).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
    ]);
    expect(web.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 9090, name: 'metrics' },
    ]);
    expect(web.image).toBe('nginx:1');
    expect(result.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    });
  });

  it('keeps live elements the order list does not name in their place', () => {
    const result = patched({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'init' }, { name: 'web' }],
            containers: [{ name: 'init', image: 'alpine' }],
          },
        },
      },
    });
    expect(
      result.spec.template.spec.containers.map((c: any) => c.name),
    ).toEqual(['init', 'web', 'sidecar']);
  });

  it('appends new elements of a merged list and merges existing ones by key', () => {
    const result = patched({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'web', env: [{ name: 'B', value: 'two' }] },
              { name: 'new', image: 'redis' },
            ],
            volumes: [{ name: 'cache', emptyDir: {} }],
          },
        },
      },
    });
    const spec = result.spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual([
      'web',
      'new',
      'sidecar',
    ]);
    expect(spec.containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
    ]);
    // As on a real server, a new element without a live position goes
    // before the live-only ones that follow it.
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['cache', 'data']);
  });

  it('replaces lists without a merge strategy (args) and removes nulls', () => {
    const result = patched({
      spec: {
        replicas: null,
        template: {
          spec: { containers: [{ name: 'web', args: ['--two'], image: null }] },
        },
      },
    });
    expect(result.spec.replicas).toBeUndefined();
    expect(result.spec.template.spec.containers[0].args).toEqual(['--two']);
    expect(result.spec.template.spec.containers[0]).not.toHaveProperty('image');
  });

  it('honours $patch: replace on a list and on a map, $patch: delete on a map', () => {
    const list = patched({
      spec: {
        template: {
          spec: {
            containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }],
          },
        },
      },
    });
    expect(list.spec.template.spec.containers).toEqual([
      { name: 'only', image: 'x' },
    ]);
    const map = patched({
      spec: { selector: { $patch: 'replace', matchLabels: { app: 'other' } } },
    });
    expect(map.spec.selector).toEqual({ matchLabels: { app: 'other' } });
    const deleted = patched({ spec: { strategy: { $patch: 'delete' } } });
    expect(deleted.spec.strategy).toEqual({});
  });

  it('drops the keys $retainKeys does not list (kubectl apply changing the strategy type)', () => {
    const result = patched({
      spec: {
        strategy: {
          $retainKeys: ['type'],
          type: 'Recreate',
          rollingUpdate: null,
        },
      },
    });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
    expect(
      failure(() =>
        patched({ spec: { strategy: { $retainKeys: [], type: 'Recreate' } } }),
      ).code,
    ).toBe(400);
  });

  it('merges primitive lists with a merge strategy as sets and deletes from them', () => {
    const added = patched({ metadata: { finalizers: ['b.example/y'] } });
    expect(added.metadata.finalizers).toEqual(['b.example/y', 'a.example/x']);
    const removed = patched({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/x'] },
    });
    expect(removed.metadata.finalizers).toEqual([]);
    const ordered = patched({
      metadata: {
        '$setElementOrder/finalizers': ['b.example/y', 'a.example/x'],
        finalizers: ['b.example/y'],
      },
    });
    expect(ordered.metadata.finalizers).toEqual(['b.example/y', 'a.example/x']);
  });

  it('merges Service ports by port and replaces a PodDisruptionBudget selector', () => {
    const service = strategicMergePatch(
      {
        spec: {
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'https', port: 443 },
          ],
        },
      },
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      patchSchemaOf('Service'),
    ) as any;
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 9090 },
      { name: 'https', port: 443 },
    ]);
    const pdb = strategicMergePatch(
      { spec: { selector: { matchLabels: { a: '1', b: '2' } } } },
      { spec: { selector: { matchLabels: { a: '3' } } } },
      patchSchemaOf('PodDisruptionBudget'),
    ) as any;
    expect(pdb.spec.selector).toEqual({ matchLabels: { a: '3' } });
  });

  it('answers 400 for malformed directives and elements without their merge key', () => {
    expect(
      failure(() =>
        patched({
          spec: { template: { spec: { containers: [{ image: 'x' }] } } },
        }),
      ).status,
    ).toMatchObject({
      code: 400,
      message: expect.stringContaining('merge key name'),
    });
    expect(failure(() => patched({ spec: { $patch: 'explode' } })).code).toBe(
      400,
    );
    expect(
      failure(() =>
        patched({
          spec: {
            template: {
              spec: {
                '$setElementOrder/containers': [{ name: 'web' }],
                containers: [{ name: 'sidecar', image: 'x' }],
              },
            },
          },
        }),
      ).code,
    ).toBe(400);
  });

  it('does not change its arguments', () => {
    const original = deployment();
    const patch = {
      spec: {
        template: { spec: { containers: [{ name: 'web', image: 'x' }] } },
      },
    };
    const before = JSON.stringify({ original, patch });
    strategicMergePatch(original, patch, DEPLOYMENT);
    expect(JSON.stringify({ original, patch })).toBe(before);
  });
});
