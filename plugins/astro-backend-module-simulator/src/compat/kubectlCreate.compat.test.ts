import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

/**
 * `kubectl create <kind>` and `kubectl auth can-i` send protobuf bodies
 * (`application/vnd.kubernetes.protobuf`); the simulator decodes them.
 */
describe('kubectl create and auth can-i (protobuf bodies)', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const stored = (kind: string, name: string, namespace?: string) =>
    harness.simulator.control.getObject({
      apiVersion:
        {
          Deployment: 'apps/v1',
          Job: 'batch/v1',
          CronJob: 'batch/v1',
          Role: 'rbac.authorization.k8s.io/v1',
          RoleBinding: 'rbac.authorization.k8s.io/v1',
          PodDisruptionBudget: 'policy/v1',
        }[kind] ?? 'v1',
      kind,
      name,
      namespace,
    });

  it('creates a namespace, a configmap and secrets', async () => {
    await harness.kubectl(['create', 'namespace', 'created']);
    expect(stored('Namespace', 'created')?.status).toEqual({ phase: 'Active' });
    await harness.kubectl([
      'create',
      'configmap',
      'settings',
      '-n',
      'created',
      '--from-literal=mode=fast',
      '--from-literal=empty=',
    ]);
    expect(stored('ConfigMap', 'settings', 'created')).toMatchObject({
      data: { mode: 'fast', empty: '' },
    });
    await harness.kubectl([
      'create',
      'secret',
      'generic',
      'credentials',
      '-n',
      'created',
      '--from-literal=password=s3cr3t',
    ]);
    expect(stored('Secret', 'credentials', 'created')).toMatchObject({
      type: 'Opaque',
      data: { password: Buffer.from('s3cr3t').toString('base64') },
    });
    await harness.kubectl([
      'create',
      'secret',
      'docker-registry',
      'registry',
      '-n',
      'created',
      '--docker-server=registry.example',
      '--docker-username=u',
      '--docker-password=p',
    ]);
    expect(stored('Secret', 'registry', 'created')?.type).toBe(
      'kubernetes.io/dockerconfigjson',
    );
  });

  it('creates a deployment whose pods run, keeping an explicit zero', async () => {
    await harness.kubectl([
      'create',
      'deployment',
      'web',
      '--image=nginx:1.27',
      '--replicas=2',
      '--port=8080',
    ]);
    const deployment = stored('Deployment', 'web', 'default');
    expect(deployment?.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 8080 }],
            },
          ],
        },
      },
    });
    await harness.kubectl([
      'rollout',
      'status',
      'deployment/web',
      '--timeout=20s',
    ]);
    await harness.kubectl([
      'create',
      'deployment',
      'idle',
      '--image=nginx',
      '--replicas=0',
    ]);
    expect(stored('Deployment', 'idle', 'default')?.spec).toMatchObject({
      replicas: 0,
    });
  });

  it('creates a job, a cronjob, a service account, a service, RBAC, a quota and a PDB', async () => {
    await harness.kubectl([
      'create',
      'job',
      'once',
      '--image=busybox',
      '--',
      'echo',
      'hi',
    ]);
    expect(stored('Job', 'once', 'default')?.spec).toMatchObject({
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            { name: 'once', image: 'busybox', command: ['echo', 'hi'] },
          ],
        },
      },
    });
    await harness.kubectl([
      'create',
      'cronjob',
      'nightly',
      '--image=busybox',
      '--schedule=0 3 * * *',
    ]);
    expect(stored('CronJob', 'nightly', 'default')?.spec).toMatchObject({
      schedule: '0 3 * * *',
    });
    await harness.kubectl(['create', 'serviceaccount', 'robot']);
    expect(stored('ServiceAccount', 'robot', 'default')).toBeDefined();
    await harness.kubectl([
      'create',
      'service',
      'clusterip',
      'web',
      '--tcp=80:8080',
    ]);
    expect(stored('Service', 'web', 'default')?.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    await harness.kubectl([
      'create',
      'role',
      'reader',
      '--verb=get,list',
      '--resource=pods',
    ]);
    expect(stored('Role', 'reader', 'default')).toMatchObject({
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    });
    await harness.kubectl([
      'create',
      'rolebinding',
      'reader',
      '--role=reader',
      '--serviceaccount=default:robot',
    ]);
    expect(stored('RoleBinding', 'reader', 'default')).toMatchObject({
      roleRef: { kind: 'Role', name: 'reader' },
      subjects: [
        { kind: 'ServiceAccount', name: 'robot', namespace: 'default' },
      ],
    });
    await harness.kubectl(['create', 'quota', 'small', '--hard=pods=30,cpu=4']);
    expect(stored('ResourceQuota', 'small', 'default')?.spec).toEqual({
      hard: { pods: '30', cpu: '4' },
    });
    await harness.kubectl([
      'create',
      'pdb',
      'web',
      '--selector=app=web',
      '--min-available=50%',
    ]);
    expect(stored('PodDisruptionBudget', 'web', 'default')?.spec).toMatchObject(
      {
        minAvailable: '50%',
        selector: { matchLabels: { app: 'web' } },
      },
    );
  });

  it('answers auth can-i with yes for everything', async () => {
    expect(
      (
        await harness.kubectl([
          'auth',
          'can-i',
          'delete',
          'deployments',
          '-n',
          'kube-system',
        ])
      ).trim(),
    ).toBe('yes');
    expect(
      (await harness.kubectl(['auth', 'can-i', 'get', '/healthz'])).trim(),
    ).toBe('yes');
    expect(await harness.kubectl(['auth', 'can-i', '--list'])).toMatch(
      /\*\.\*/,
    );
  });
});
