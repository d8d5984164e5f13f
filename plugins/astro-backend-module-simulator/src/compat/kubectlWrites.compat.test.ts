/**
 * The write commands of the real kubectl 1.32 against the simulator:
 * client- and server-side apply, the three patch types, set image, edit,
 * scale, rollout restart/undo/history and server-side dry-run deletes.
 */
import { chmod } from 'node:fs/promises';
import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(180_000);

const NS = 'writes';

function manifest(options: {
  image: string;
  env: Array<{ name: string; value: string }>;
  ports: number[];
  sidecar?: boolean;
}) {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: options.image,
              env: options.env,
              ports: options.ports.map(containerPort => ({ containerPort })),
            },
            ...(options.sidecar ? [{ name: 'sidecar', image: 'busybox' }] : []),
          ],
        },
      },
    },
  });
}

describe('kubectl writes against the simulator', () => {
  let harness: CompatHarness;
  let kubectl: CompatHarness['kubectl'];

  const getJson = async (...resource: string[]) =>
    JSON.parse(await kubectl(['get', '-n', NS, ...resource, '-o', 'json']));
  const containers = async () =>
    (await getJson('deployment/web')).spec.template.spec.containers;

  beforeAll(async () => {
    harness = await startCompatHarness();
    kubectl = harness.kubectl;
    await harness.simulator.control.applyObject(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      { fieldManager: 'test' },
    );
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('client-side applies a changed manifest: containers, env and ports survive, no directive is stored', async () => {
    const first = await harness.file(
      'v1.json',
      manifest({
        image: 'nginx:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [80, 443],
        sidecar: true,
      }),
    );
    await kubectl(['apply', '-f', first]);
    // Someone else adds an env var: client-side apply keeps it.
    await kubectl([
      'set',
      'env',
      '-n',
      NS,
      'deployment/web',
      '-c',
      'web',
      'EXTRA=x',
    ]);
    const second = await harness.file(
      'v2.json',
      manifest({
        image: 'nginx:2',
        env: [
          { name: 'C', value: '3' },
          { name: 'A', value: '1' },
        ],
        ports: [80, 9090],
        sidecar: true,
      }),
    );
    expect(await kubectl(['apply', '-f', second])).toContain(
      'deployment.apps/web configured',
    );
    const [web, sidecar] = await containers();
    expect(web.image).toBe('nginx:2');
    expect(web.env).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
      { name: 'EXTRA', value: 'x' },
    ]);
    expect(web.ports.map((p: any) => p.containerPort)).toEqual([80, 9090]);
    // Everything of the manifest, plus what a real API server fills in
    // (an untagged image is pulled Always, a tagged one IfNotPresent).
    expect(sidecar).toEqual({
      name: 'sidecar',
      image: 'busybox',
      imagePullPolicy: 'Always',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(web).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
    });
    expect(web.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 9090, protocol: 'TCP' },
    ]);
    const text = await kubectl([
      'get',
      '-n',
      NS,
      'deployment/web',
      '-o',
      'json',
    ]);
    expect(text).not.toContain('$setElementOrder');
    expect(text).not.toContain('$patch');

    // Dropping the sidecar from the manifest removes it.
    const third = await harness.file(
      'v3.json',
      manifest({
        image: 'nginx:2',
        env: [{ name: 'A', value: '1' }],
        ports: [80],
      }),
    );
    await kubectl(['apply', '-f', third]);
    expect((await containers()).map((c: any) => c.name)).toEqual(['web']);
  });

  it('server-side applies with kubectl, with conflicts and --force-conflicts', async () => {
    const file = await harness.file(
      'ssa.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: NS },
        data: { a: '1' },
      }),
    );
    expect(await kubectl(['apply', '--server-side', '-f', file])).toContain(
      'serverside-applied',
    );
    await kubectl([
      'patch',
      '-n',
      NS,
      'configmap/settings',
      '--type',
      'merge',
      '-p',
      '{"data":{"a":"2"}}',
    ]);
    const conflict = await harness.run('kubectl', [
      'apply',
      '--server-side',
      '-f',
      file,
    ]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('conflict');
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', file]);
    expect((await getJson('configmap/settings')).data).toEqual({ a: '1' });
  });

  it('server-side applies a manifest first applied client-side: containers merge by name, no conflict with the defaults', async () => {
    const api = (env: Array<{ name: string; value: string }>) =>
      manifest({ image: 'nginx:1', env, ports: [8080], sidecar: true })
        .replace(/"web"/g, '"api"')
        .replace('"name":"api","image"', '"name":"web","image"');
    const first = await harness.file(
      'api-v1.json',
      api([
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]),
    );
    await kubectl(['apply', '-f', first]);
    await kubectl([
      'set',
      'env',
      '-n',
      NS,
      'deployment/api',
      '-c',
      'web',
      'EXTRA=x',
    ]);
    const stored = async () =>
      (await getJson('deployment/api')).spec.template.spec.containers;
    const before = await stored();

    // The same manifest, server-side: kubectl moves the client-side apply's
    // ownership to its own manager, and nothing conflicts or changes.
    expect(await kubectl(['apply', '--server-side', '-f', first])).toContain(
      'serverside-applied',
    );
    expect(await stored()).toEqual(before);
    const managers = (
      await getJson('deployment/api', '--show-managed-fields')
    ).metadata.managedFields.map(
      (entry: any) => `${entry.manager}/${entry.operation}`,
    );
    expect(managers).toContain('kubectl/Apply');
    expect(managers).not.toContain('kubectl-client-side-apply/Update');

    // Dropping B from the manifest removes it; EXTRA (kubectl set's) stays.
    const second = await harness.file(
      'api-v2.json',
      api([{ name: 'A', value: '1' }]),
    );
    await kubectl(['apply', '--server-side', '-f', second]);
    const [web, sidecar] = await stored();
    expect(web.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'EXTRA', value: 'x' },
    ]);
    expect(web.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(sidecar).toMatchObject({
      name: 'sidecar',
      imagePullPolicy: 'Always',
    });

    // Another manager applying only its own container leaves ours alone.
    const mesh = await harness.file(
      'api-mesh.json',
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: NS },
        spec: {
          template: {
            spec: { containers: [{ name: 'proxy', image: 'envoy:1' }] },
          },
        },
      }),
    );
    await kubectl([
      'apply',
      '--server-side',
      '--field-manager=mesh',
      '-f',
      mesh,
    ]);
    expect((await stored()).map((c: any) => c.name)).toEqual([
      'web',
      'sidecar',
      'proxy',
    ]);
    await kubectl(['delete', '-n', NS, 'deployment/api']);
  });

  it('patches with all three types', async () => {
    await kubectl([
      'patch',
      '-n',
      NS,
      'deployment/web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"S","value":"strategic"}]}]}}}}',
    ]);
    const [web] = await containers();
    expect(web.env.map((e: any) => e.name)).toEqual(['S', 'A', 'EXTRA']);
    expect(web.image).toBe('nginx:2');

    await kubectl([
      'patch',
      '-n',
      NS,
      'deployment/web',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"labels":{"tier":"front"}}}',
    ]);
    expect((await getJson('deployment/web')).metadata.labels).toEqual({
      tier: 'front',
    });

    await kubectl([
      'patch',
      '-n',
      NS,
      'deployment/web',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:json"}]',
    ]);
    expect((await containers())[0].image).toBe('nginx:json');
    const failed = await harness.run('kubectl', [
      'patch',
      '-n',
      NS,
      'deployment/web',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":99}]',
    ]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('is invalid');
  });

  it('sets an image and edits through KUBE_EDITOR, keeping the rest of the container', async () => {
    await kubectl(['set', 'image', '-n', NS, 'deployment/web', 'web=nginx:3']);
    let [web] = await containers();
    expect(web).toMatchObject({
      image: 'nginx:3',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(web.env.map((e: any) => e.name)).toEqual(['S', 'A', 'EXTRA']);

    const editor = await harness.file(
      'editor.sh',
      '#!/bin/sh\nsed -i -e "s/nginx:3/nginx:edited/" -e "s/value: strategic/value: edited/" "$1"\n',
    );
    await chmod(editor, 0o755);
    expect(
      await kubectl(['edit', '-n', NS, 'deployment/web'], {
        env: { KUBE_EDITOR: editor },
      }),
    ).toContain('edited');
    [web] = await containers();
    expect(web.image).toBe('nginx:edited');
    expect(web.env[0]).toEqual({ name: 'S', value: 'edited' });
    expect(web.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('scales Deployments and StatefulSets through the scale subresource', async () => {
    expect(
      await kubectl(['scale', '-n', NS, 'deployment/web', '--replicas=3']),
    ).toContain('scaled');
    expect((await getJson('deployment/web')).spec.replicas).toBe(3);
    await kubectl([
      'scale',
      '-n',
      NS,
      'deployment/web',
      '--current-replicas=3',
      '--replicas=2',
    ]);
    expect((await getJson('deployment/web')).spec.replicas).toBe(2);
    const wrong = await harness.run('kubectl', [
      'scale',
      '-n',
      NS,
      'deployment/web',
      '--current-replicas=7',
      '--replicas=1',
    ]);
    expect(wrong.code).not.toBe(0);

    const sts = await harness.file(
      'sts.json',
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: NS },
        spec: {
          serviceName: 'db',
          replicas: 1,
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'postgres' }] },
          },
        },
      }),
    );
    await kubectl(['apply', '-f', sts]);
    await kubectl(['scale', '-n', NS, 'statefulset/db', '--replicas=2']);
    expect((await getJson('statefulset/db')).spec.replicas).toBe(2);
  });

  it('restarts, lists the history and undoes a rollout', async () => {
    await kubectl([
      'rollout',
      'status',
      '-n',
      NS,
      'deployment/web',
      '--timeout=30s',
    ]);
    const before = await kubectl([
      'rollout',
      'history',
      '-n',
      NS,
      'deployment/web',
    ]);
    const revisions = (text: string) =>
      text
        .split('\n')
        .map(line => line.trim().split(/\s+/)[0])
        .filter(token => /^\d+$/.test(token))
        .map(Number);
    const known = revisions(before);
    expect(known.length).toBeGreaterThanOrEqual(4);

    await kubectl(['rollout', 'restart', '-n', NS, 'deployment/web']);
    const restarted = await getJson('deployment/web');
    expect(
      restarted.spec.template.metadata.annotations[
        'kubectl.kubernetes.io/restartedAt'
      ],
    ).toBeDefined();
    await kubectl([
      'rollout',
      'status',
      '-n',
      NS,
      'deployment/web',
      '--timeout=30s',
    ]);
    const latest = Math.max(
      ...revisions(
        await kubectl(['rollout', 'history', '-n', NS, 'deployment/web']),
      ),
    );
    expect(latest).toBe(Math.max(...known) + 1);

    expect(
      await kubectl(['rollout', 'undo', '-n', NS, 'deployment/web']),
    ).toContain('rolled back');
    await kubectl([
      'rollout',
      'status',
      '-n',
      NS,
      'deployment/web',
      '--timeout=30s',
    ]);
    const undone = await getJson('deployment/web');
    expect(undone.spec.template.metadata.annotations ?? {}).not.toHaveProperty(
      'kubectl.kubernetes.io/restartedAt',
    );
    expect(undone.spec.template.spec.containers[0].image).toBe('nginx:edited');
    expect(
      undone.metadata.annotations['deployment.kubernetes.io/revision'],
    ).toBe(String(latest + 1));
    const history = revisions(
      await kubectl(['rollout', 'history', '-n', NS, 'deployment/web']),
    );
    expect(history).toContain(latest + 1);
    expect(history).not.toContain(latest - 1);

    const image = async (revision: number) =>
      (
        await kubectl([
          'rollout',
          'history',
          '-n',
          NS,
          'deployment/web',
          `--revision=${revision}`,
        ])
      ).match(/Image:\s+(\S+)/)?.[1];
    expect(await image(1)).toBe('nginx:1');
    await kubectl([
      'rollout',
      'undo',
      '-n',
      NS,
      'deployment/web',
      '--to-revision=1',
    ]);
    expect((await containers())[0].image).toBe('nginx:1');
  });

  it('deletes with --dry-run=server without deleting, also a namespace', async () => {
    expect(
      await kubectl(['delete', '-n', NS, 'deployment/web', '--dry-run=server']),
    ).toContain('(server dry run)');
    expect(
      await kubectl(['delete', 'namespace', NS, '--dry-run=server']),
    ).toContain('(server dry run)');
    await new Promise(resolve => setTimeout(resolve, 200));
    const namespace = JSON.parse(
      await kubectl(['get', 'namespace', NS, '-o', 'json']),
    );
    expect(namespace.status.phase).toBe('Active');
    expect((await getJson('deployment/web')).metadata.name).toBe('web');
    expect((await getJson('configmap/settings')).metadata.name).toBe(
      'settings',
    );

    await kubectl(['delete', '-n', NS, 'configmap/settings']);
    const gone = await harness.run('kubectl', [
      'get',
      '-n',
      NS,
      'configmap/settings',
    ]);
    expect(gone.stderr).toContain('NotFound');
  });
});
