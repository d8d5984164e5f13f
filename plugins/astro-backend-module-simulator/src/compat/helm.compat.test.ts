/**
 * The real helm 3.17 against the simulator: install (waiting for the
 * workload), upgrade and uninstall of a small chart written for this test.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(180_000);

const NS = 'charts';

const CHART = {
  'Chart.yaml': `apiVersion: v2
name: greeter
description: A Deployment, a Service and a ConfigMap, for the simulator's compatibility tests
version: 0.1.0
appVersion: "1.0"
`,
  'values.yaml': `replicas: 1
image: nginx:1
greeting: hello
`,
  'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
data:
  greeting: {{ .Values.greeting | quote }}
`,
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels:
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
          ports:
            - containerPort: 80
          env:
            - name: GREETING
              valueFrom:
                configMapKeyRef:
                  name: {{ .Release.Name }}-greeting
                  key: greeting
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: 80
      targetPort: 80
`,
};

describe('helm against the simulator', () => {
  let harness: CompatHarness;
  let chart: string;

  const get = (kind: string, name: string) =>
    harness.simulator.control.getObject({
      apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
      kind,
      namespace: NS,
      name,
    });

  beforeAll(async () => {
    harness = await startCompatHarness();
    chart = join(harness.dir, 'greeter');
    await mkdir(join(chart, 'templates'), { recursive: true });
    for (const [path, content] of Object.entries(CHART)) {
      await harness.file(join('greeter', path), content);
    }
    await harness.simulator.control.applyObject(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      { fieldManager: 'test' },
    );
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /**
   * What helm needs of the simulator beyond this suite's items: OpenAPI
   * documents to validate manifests against, and protobuf request bodies
   * (its release Secrets are written with a typed client). `undefined` when
   * both are served.
   */
  async function missingForHelm(): Promise<string | undefined> {
    const missing: string[] = [];
    const openapi = await harness.run('kubectl', [
      'get',
      '--raw',
      '/openapi/v2',
    ]);
    if (openapi.code !== 0) {
      missing.push('GET /openapi/v2');
    }
    // kubectl create <kind> sends protobuf, as helm's release storage does.
    const protobuf = await harness.run('kubectl', [
      'create',
      'secret',
      'generic',
      'protobuf-probe',
      '-n',
      NS,
      '--from-literal=a=b',
    ]);
    if (protobuf.code !== 0) {
      missing.push('protobuf request bodies');
    }
    return missing.length > 0 ? missing.join(' and ') : undefined;
  }

  it('installs with --wait, upgrades and uninstalls a chart', async () => {
    // helm needs the server's OpenAPI documents and protobuf bodies.
    expect(await missingForHelm()).toBeUndefined();
    const installed = await harness.helm([
      'install',
      'hello',
      chart,
      '-n',
      NS,
      '--wait',
      '--timeout',
      '60s',
    ]);
    expect(installed).toContain('STATUS: deployed');
    const deployment = get('Deployment', 'hello-web');
    expect(deployment?.status).toMatchObject({ readyReplicas: 1 });
    expect(get('ConfigMap', 'hello-greeting')?.data).toEqual({
      greeting: 'hello',
    });
    expect(get('Service', 'hello-web')?.spec).toMatchObject({
      ports: [{ port: 80, targetPort: 80 }],
    });

    const upgraded = await harness.helm([
      'upgrade',
      'hello',
      chart,
      '-n',
      NS,
      '--set',
      'replicas=2,image=nginx:2,greeting=bonjour',
      '--wait',
      '--timeout',
      '60s',
    ]);
    expect(upgraded).toContain('REVISION: 2');
    const after = get('Deployment', 'hello-web');
    expect(after?.spec).toMatchObject({ replicas: 2 });
    expect(after?.status).toMatchObject({ readyReplicas: 2 });
    const [web] = (after?.spec as any).template.spec.containers;
    expect(web).toMatchObject({
      image: 'nginx:2',
      ports: [{ containerPort: 80 }],
      env: [{ name: 'GREETING' }],
    });
    expect(get('ConfigMap', 'hello-greeting')?.data).toEqual({
      greeting: 'bonjour',
    });
    const history = await harness.helm(['history', 'hello', '-n', NS]);
    expect(history).toMatch(/1\s.*superseded/i);
    expect(history).toMatch(/2\s.*deployed/i);

    expect(
      await harness.helm(['uninstall', 'hello', '-n', NS, '--wait']),
    ).toContain('uninstalled');
    expect(get('Deployment', 'hello-web')).toBeUndefined();
    expect(get('Service', 'hello-web')).toBeUndefined();
    expect(get('ConfigMap', 'hello-greeting')).toBeUndefined();
    expect(await harness.helm(['list', '-n', NS, '-q'])).toBe('');
  });
});
