import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

const DEPLOYMENT = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: validated
spec:
  replicas: 1
  selector: { matchLabels: { app: validated } }
  template:
    metadata: { labels: { app: validated } }
    spec:
      containers:
        - name: main
          image: nginx:1.27
${extra}`;

/** kubectl apply/create -f with validation on, and kubectl explain, read /openapi/v3. */
describe('OpenAPI: validation and explain', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('applies and creates manifests with validation on', async () => {
    expect(
      await harness.kubectl([
        'apply',
        '-f',
        await harness.file('ok.yaml', DEPLOYMENT()),
      ]),
    ).toMatch(/deployment.apps\/validated created/);
    expect(
      await harness.kubectl([
        'create',
        '-f',
        await harness.file(
          'cm.yaml',
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: created }\ndata: { mode: fast }\n',
        ),
      ]),
    ).toMatch(/configmap\/created created/);
    expect(
      await harness.kubectl([
        'apply',
        '--server-side',
        '-f',
        await harness.file(
          'ok2.yaml',
          DEPLOYMENT().replace(/validated/g, 'server-side'),
        ),
      ]),
    ).toMatch(/serverside-applied/);
  });

  it('refuses a manifest with an unknown field, naming it', async () => {
    const file = await harness.file(
      'typo.yaml',
      DEPLOYMENT('          imagePullPolicyy: Always\n').replace(
        'validated',
        'typo',
      ),
    );
    const result = await harness.run('kubectl', ['create', '-f', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /strict decoding error: unknown field "spec.template.spec.containers\[0\].imagePullPolicyy"/,
    );
    expect(
      harness.simulator.control.getObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'default',
        name: 'typo',
      }),
    ).toBeUndefined();
    const warned = await harness.run('kubectl', [
      'create',
      '--validate=warn',
      '-f',
      file,
    ]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(
      /unknown field "spec.template.spec.containers\[0\].imagePullPolicyy"/,
    );
  });

  it('explains fields from the served schemas', async () => {
    const replicas = await harness.kubectl([
      'explain',
      'deployment.spec.replicas',
    ]);
    expect(replicas).toMatch(/FIELD: replicas <integer>/);
    expect(replicas).toMatch(/Number of desired pods/);
    const containers = await harness.kubectl([
      'explain',
      'pods.spec.containers',
    ]);
    expect(containers).toMatch(/FIELD: containers <\[\]Container>/);
    expect(containers).toMatch(/image\s+<string>/);
    expect(containers).toMatch(/name\s+<string> -required-/);
    const cm = await harness.kubectl(['explain', 'configmap']);
    expect(cm).toMatch(/KIND:\s+ConfigMap/);
    expect(cm).toMatch(/data\s+<map\[string\]string>/);
  });

  it('serves the v3 index, per group version documents and /openapi/v2 in JSON', async () => {
    const index = JSON.parse(
      await harness.kubectl(['get', '--raw', '/openapi/v3']),
    );
    expect(Object.keys(index.paths)).toEqual(
      expect.arrayContaining([
        'api/v1',
        'apis/apps/v1',
        'apis/batch/v1',
        'apis/keda.sh/v1alpha1',
      ]),
    );
    const apps = JSON.parse(
      await harness.kubectl([
        'get',
        '--raw',
        index.paths['apis/apps/v1'].serverRelativeURL,
      ]),
    );
    const deployment = apps.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(
      apps.components.schemas['io.k8s.api.core.v1.PodSpec'].properties
        .containers,
    ).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    const v2 = await fetch(`${harness.simulator.url}/openapi/v2`, {
      headers: {
        Authorization: `Bearer ${harness.simulator.token}`,
        Accept: 'application/json',
      },
    });
    expect(v2.status).toBe(200);
    const swagger = await v2.json();
    expect(swagger.swagger).toBe('2.0');
    expect(
      swagger.definitions['io.k8s.api.apps.v1.Deployment'].properties.spec
        .allOf[0].$ref,
    ).toBe('#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    const protobufOnly = await fetch(`${harness.simulator.url}/openapi/v2`, {
      headers: {
        Authorization: `Bearer ${harness.simulator.token}`,
        Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      },
    });
    expect(protobufOnly.status).toBe(406);
  });
});
