import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import { httpClient, readWatch } from '../__testUtils__/http';

const ns = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});
const configMap = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'team', labels },
  data: { a: '1' },
});

describe('the simulated Kubernetes API over HTTP', () => {
  let simulator: KubernetesSimulator;
  let http: ReturnType<typeof httpClient>;

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 10,
      bookmarkIntervalMs: 50,
    });
    http = httpClient(simulator);
    await http.apply('/api/v1/namespaces/team', ns('team'));
  });

  afterEach(() => simulator.stop());

  it('requires the bearer token, except for /version', async () => {
    const anonymous = await fetch(`${simulator.url}/api/v1/namespaces`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
    const version = await fetch(`${simulator.url}/version`);
    expect(await version.json()).toMatchObject({
      major: '1',
      gitVersion: expect.stringContaining('simulator'),
    });
  });

  it('serves discovery for the core group and the named groups', async () => {
    expect((await http.get('/api')).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const groups = (await http.get('/apis')).body.groups.map(
      (g: any) => g.preferredVersion.groupVersion,
    );
    expect(groups).toEqual(
      expect.arrayContaining([
        'apps/v1',
        'batch/v1',
        'policy/v1',
        'autoscaling/v2',
        'networking.k8s.io/v1',
        'rbac.authorization.k8s.io/v1',
        'keda.sh/v1alpha1',
      ]),
    );
    const apps = (await http.get('/apis/apps/v1')).body;
    expect(apps.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'deployments',
          kind: 'Deployment',
          namespaced: true,
        }),
        expect.objectContaining({ name: 'deployments/status' }),
      ]),
    );
    expect((await http.get('/apis/example.com/v1')).status).toBe(404);
  });

  it('lists every kind Backstage’s Kubernetes plugin fetches by default', async () => {
    const paths = [
      '/api/v1/namespaces/team/pods',
      '/api/v1/namespaces/team/services',
      '/api/v1/namespaces/team/configmaps',
      '/api/v1/namespaces/team/limitranges',
      '/api/v1/namespaces/team/resourcequotas',
      '/apis/apps/v1/namespaces/team/deployments',
      '/apis/apps/v1/namespaces/team/replicasets',
      '/apis/autoscaling/v2/namespaces/team/horizontalpodautoscalers',
      '/apis/batch/v1/namespaces/team/jobs',
      '/apis/batch/v1/namespaces/team/cronjobs',
      '/apis/networking.k8s.io/v1/namespaces/team/ingresses',
      '/apis/apps/v1/namespaces/team/statefulsets',
      '/apis/apps/v1/namespaces/team/daemonsets',
      '/api/v1/pods',
    ];
    for (const path of paths) {
      const answer = await http.get(
        `${path}?labelSelector=backstage.io%2Fkubernetes-id%3Dteam`,
      );
      expect({ path, status: answer.status, items: answer.body.items }).toEqual(
        {
          path,
          status: 200,
          items: [],
        },
      );
    }
  });

  it('answers a missing object with a NotFound status', async () => {
    const answer = await http.get(
      '/apis/apps/v1/namespaces/team/deployments/nope',
    );
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it('applies: 201 on create, 200 after, and lists items without apiVersion and kind', async () => {
    const created = await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    expect(created.status).toBe(201);
    const again = await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(
      created.body.metadata.resourceVersion,
    );

    const list = await http.get('/api/v1/namespaces/team/configmaps');
    expect(list.body).toMatchObject({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.any(String) },
    });
    expect(list.body.items[0].apiVersion).toBeUndefined();
    expect(list.body.items[0].metadata.name).toBe('one');
  });

  it('rejects bodies that do not match the URL, missing namespaces and apply without a manager', async () => {
    expect(
      (
        await http.apply(
          '/api/v1/namespaces/team/configmaps/one',
          configMap('two'),
        )
      ).status,
    ).toBe(400);
    const missing = await http.apply(
      '/api/v1/namespaces/nowhere/configmaps/one',
      {
        ...configMap('one'),
        metadata: { name: 'one', namespace: 'nowhere' },
      },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('namespaces "nowhere" not found');
    const unmanaged = await http.call(
      'PATCH',
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
      'application/apply-patch+yaml',
    );
    expect(unmanaged.status).toBe(422);
  });

  it('answers 422 Invalid naming the missing fields', async () => {
    const answer = await http.apply(
      '/apis/batch/v1/namespaces/team/jobs/migrate',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'migrate', namespace: 'team' },
        spec: { template: { spec: { containers: [{ name: 'migrate' }] } } },
      },
    );
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('Invalid');
    expect(answer.body.details.causes.map((c: any) => c.field)).toEqual([
      'spec.template.spec.containers[0].image',
      'spec.template.spec.restartPolicy',
    ]);
  });

  it('keeps a Job template immutable', async () => {
    const job = (image: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'team' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'm', image }] },
        },
      },
    });
    expect(
      (
        await http.apply(
          '/apis/batch/v1/namespaces/team/jobs/migrate',
          job('a'),
        )
      ).status,
    ).toBe(201);
    const changed = await http.apply(
      '/apis/batch/v1/namespaces/team/jobs/migrate',
      job('b'),
    );
    expect(changed.status).toBe(422);
    expect(changed.body.message).toContain('spec.template: field is immutable');
  });

  it('supports dry runs of apply and delete', async () => {
    const dry = await http.apply(
      '/api/v1/namespaces/team/configmaps/one?dryRun=All',
      configMap('one'),
    );
    expect(dry.status).toBe(201);
    expect(dry.body.metadata.uid).toBeTruthy();
    expect(
      (await http.get('/api/v1/namespaces/team/configmaps/one')).status,
    ).toBe(404);
    await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    expect(
      (await http.delete('/api/v1/namespaces/team/configmaps/one?dryRun=All'))
        .status,
    ).toBe(200);
    expect(
      (await http.get('/api/v1/namespaces/team/configmaps/one')).status,
    ).toBe(200);
  });

  it('creates with POST and merge-patches, recording the managers', async () => {
    const created = await http.call(
      'POST',
      '/api/v1/namespaces/team/configmaps?fieldManager=kubectl',
      configMap('posted'),
    );
    expect(created.status).toBe(201);
    expect(
      (
        await http.call(
          'POST',
          '/api/v1/namespaces/team/configmaps',
          configMap('posted'),
        )
      ).status,
    ).toBe(409);
    const patched = await http.call(
      'PATCH',
      '/api/v1/namespaces/team/configmaps/posted?fieldManager=editor',
      { data: { a: null, b: '2' } },
      'application/merge-patch+json',
    );
    expect(patched.body.data).toEqual({ b: '2' });
    expect(
      patched.body.metadata.managedFields.map((m: any) => m.manager),
    ).toEqual(['kubectl', 'editor']);
  });

  it('streams a watch: current objects first, then changes, filtered by labels', async () => {
    await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one', { pick: 'yes' }),
    );
    const events = readWatch(
      `${simulator.url}/api/v1/namespaces/team/configmaps?watch=true&labelSelector=pick%3Dyes`,
      simulator.token,
      4,
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    await http.apply(
      '/api/v1/namespaces/team/configmaps/two',
      configMap('two', { pick: 'no' }),
    );
    await http.apply(
      '/api/v1/namespaces/team/configmaps/two',
      configMap('two', { pick: 'yes' }),
    );
    await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one', { pick: 'no' }),
    );
    await http.delete('/api/v1/namespaces/team/configmaps/two');
    expect(
      (await events).map(e => `${e.type} ${e.object.metadata.name}`),
    ).toEqual(['ADDED one', 'ADDED two', 'DELETED one', 'DELETED two']);
  });

  it('resumes a watch from a resource version, and answers 410 in the stream once it is compacted', async () => {
    const first = await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    await http.apply(
      '/api/v1/namespaces/team/configmaps/two',
      configMap('two'),
    );
    const rv = first.body.metadata.resourceVersion;
    const url = `${simulator.url}/api/v1/namespaces/team/configmaps?watch=1&resourceVersion=${rv}`;
    expect(
      (await readWatch(url, simulator.token, 1)).map(
        e => `${e.type} ${e.object.metadata.name}`,
      ),
    ).toEqual(['ADDED two']);
    simulator.control.compactHistory();
    const gone = await readWatch(url, simulator.token, 1);
    expect(gone).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
        }),
      },
    ]);
  });

  it('sends bookmarks when asked, and ends a watch after timeoutSeconds', async () => {
    const events = await readWatch(
      `${
        simulator.url
      }/api/v1/namespaces/team/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${
        (
          await http.get('/api/v1/namespaces/team/configmaps')
        ).body.metadata.resourceVersion
      }`,
      simulator.token,
      1,
    );
    expect(events[0]).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: expect.any(String) },
      },
    });
    const started = Date.now();
    const ended = await readWatch(
      `${simulator.url}/api/v1/namespaces/team/configmaps?watch=true&timeoutSeconds=1`,
      simulator.token,
      100,
      5000,
    );
    expect(ended).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('deletes a namespace: Terminating at first, then gone with its contents', async () => {
    await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    const deleted = await http.delete('/api/v1/namespaces/team');
    expect(deleted.status).toBe(200);
    expect(deleted.body.status.phase).toBe('Terminating');
    const refused = await http.apply(
      '/api/v1/namespaces/team/configmaps/two',
      configMap('two'),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('because it is being terminated');
    for (let i = 0; i < 100; i++) {
      if ((await http.get('/api/v1/namespaces/team')).status === 404) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect((await http.get('/api/v1/namespaces/team')).status).toBe(404);
    expect((await http.get('/api/v1/configmaps')).body.items).toEqual([]);
  });

  it('counts requests per verb and logs writes', async () => {
    simulator.control.resetStats();
    await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    // The same content again: answered, but nothing changes.
    await http.apply(
      '/api/v1/namespaces/team/configmaps/one',
      configMap('one'),
    );
    await http.get('/api/v1/namespaces/team/configmaps/one');
    await http.get('/api/v1/namespaces/team/configmaps');
    await http.delete('/api/v1/namespaces/team/configmaps/one');
    const stats = simulator.control.stats();
    expect(stats.requests).toMatchObject({
      apply: 2,
      get: 1,
      list: 1,
      delete: 1,
    });
    expect(stats.total).toBe(5);
    expect(stats.byPath).toEqual({
      'apply /api/v1/namespaces/{namespace}/configmaps/{name}': 2,
      'get /api/v1/namespaces/{namespace}/configmaps/{name}': 1,
      'list /api/v1/namespaces/{namespace}/configmaps': 1,
      'delete /api/v1/namespaces/{namespace}/configmaps/{name}': 1,
    });
    expect(stats.writes).toEqual([
      {
        verb: 'apply',
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team',
        name: 'one',
        dryRun: false,
        status: 201,
        changed: true,
      },
      {
        verb: 'apply',
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team',
        name: 'one',
        dryRun: false,
        status: 200,
        changed: false,
      },
      {
        verb: 'delete',
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team',
        name: 'one',
        dryRun: false,
        status: 200,
        changed: true,
      },
    ]);
  });
});
