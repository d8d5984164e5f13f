/**
 * The simulator's strategic merge patch against the real one: kubectl 1.32
 * applies the same patches locally (`kubectl patch --local`, the
 * apimachinery code the API server runs, no server needed) and both results
 * must be the same object.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { patchSchemaOf } from '../apply/patchSchema';
import { strategicMergePatch } from '../apply/strategicMerge';
import { installKubeClients } from '../__testUtils__/kubeClients';

const run = promisify(execFile);

jest.setTimeout(120_000);

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    labels: { app: 'web' },
    finalizers: ['a.example/x', 'b.example/y'],
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        initContainers: [{ name: 'init', image: 'alpine' }],
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            ports: [
              { containerPort: 80, name: 'http' },
              { containerPort: 443, name: 'https' },
            ],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
              { name: 'C', value: '3' },
            ],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
          { name: 'sidecar', image: 'busybox:1', args: ['sleep', '1'] },
        ],
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'config', configMap: { name: 'cfg' } },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    },
  },
};

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: {
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ],
  },
};

const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> =
  [
    [
      'set image with an order list',
      deployment,
      {
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
      },
    ],
    [
      'client-side apply: deletions, new elements, reordering',
      deployment,
      {
        metadata: { annotations: { note: 'x' } },
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [
                { name: 'sidecar' },
                { name: 'web' },
                { name: 'metrics' },
              ],
              containers: [
                {
                  '$setElementOrder/env': [
                    { name: 'C' },
                    { name: 'D' },
                    { name: 'A' },
                  ],
                  '$setElementOrder/ports': [{ containerPort: 443 }],
                  env: [
                    { name: 'D', value: '4' },
                    { $patch: 'delete', name: 'B' },
                  ],
                  name: 'web',
                  ports: [{ $patch: 'delete', containerPort: 80 }],
                },
                { name: 'metrics', image: 'prom' },
              ],
              '$setElementOrder/volumes': [{ name: 'config' }],
              volumes: [{ $patch: 'delete', name: 'data' }],
            },
          },
        },
      },
    ],
    [
      'new elements among live-only ones',
      deployment,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'new', image: 'x' },
                { name: 'sidecar', image: 'busybox:2' },
              ],
              volumes: [{ name: 'cache', emptyDir: {} }],
            },
          },
        },
      },
    ],
    [
      'retainKeys, null and replace directives',
      deployment,
      {
        spec: {
          replicas: null,
          strategy: { $retainKeys: ['type'], type: 'Recreate' },
          selector: { $patch: 'replace', matchLabels: { app: 'web' } },
          template: {
            spec: {
              initContainers: [
                { $patch: 'replace' },
                { name: 'i2', image: 'y' },
              ],
              tolerations: [{ key: 'b', operator: 'Exists' }],
            },
          },
        },
      },
    ],
    [
      'primitive lists: add, delete, order',
      deployment,
      {
        metadata: {
          '$setElementOrder/finalizers': ['c.example/z', 'b.example/y'],
          '$deleteFromPrimitiveList/finalizers': ['a.example/x'],
          finalizers: ['c.example/z'],
        },
      },
    ],
    [
      'service ports by port',
      service,
      {
        spec: {
          '$setElementOrder/ports': [{ port: 443 }, { port: 80 }],
          ports: [{ port: 443, targetPort: 9443 }],
        },
      },
    ],
  ];

describe('strategic merge patch, compared with kubectl patch --local', () => {
  let kubectl: string;
  let dir: string;

  beforeAll(async () => {
    kubectl = (await installKubeClients()).kubectl;
    dir = await mkdtemp(join(tmpdir(), 'smp-compat-'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** kubectl's local patch, decoded into the typed object as a server does. */
  async function kubectlPatch(
    object: Record<string, unknown>,
    patch: Record<string, unknown>,
    type: 'strategic' | 'merge',
  ): Promise<unknown> {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(object));
    const { stdout } = await run(kubectl, [
      'patch',
      '--local',
      '-f',
      file,
      '--type',
      type,
      '-p',
      JSON.stringify(patch),
      '-o',
      'json',
    ]);
    return JSON.parse(stdout);
  }

  it.each(cases)('%s', async (_name, object, patch) => {
    const expected = await kubectlPatch(object, patch, 'strategic');
    const ours = strategicMergePatch(
      object,
      patch,
      patchSchemaOf(String(object.kind)),
    );
    // The same typed decoding for the simulator's result.
    const normalized = await kubectlPatch(ours, {}, 'merge');
    expect(normalized).toEqual(expected);
  });
});
