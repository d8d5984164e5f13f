import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import {
  airflowComponent,
  bundleTokenSecret,
} from '../__testUtils__/airflowObjects';
import { BundleServer, makeBundle } from '../__testUtils__/bundles';
import { eventually, httpClient } from '../__testUtils__/http';

const NS = 'astro-sync';

describe('the simulated DAG sync', () => {
  let simulator: KubernetesSimulator;
  let bundles: BundleServer;
  let warnings: string[];

  const apply = (...objects: KubernetesObject[]) =>
    objects.forEach(object =>
      simulator.control.applyObject(object, { fieldManager: 'astro' }),
    );
  const podsOf = (component: string) =>
    simulator.control
      .listObjects({ apiVersion: 'v1', kind: 'Pod', namespace: NS })
      .filter(pod => pod.metadata.labels?.app === component);
  const runningPod = (component: string) =>
    eventually(() =>
      podsOf(component).find(pod => (pod.status as any)?.phase === 'Running'),
    );
  const served = (pod: string) =>
    simulator.control.podDagSync(NS, pod)?.version ?? null;

  beforeEach(async () => {
    warnings = [];
    bundles = await BundleServer.start();
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      dagSync: { minIntervalMs: 20 },
      logger: { warn: message => warnings.push(message) },
    });
    apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      bundleTokenSecret(NS, bundles.token),
    );
  });

  afterEach(async () => {
    await simulator.stop();
    await bundles.close();
  });

  it('downloads the current bundle into a pod with dag-sync, serves it and reports it', async () => {
    const version = bundles.publish(
      await makeBundle({
        'dags/etl.py': 'from airflow import DAG\nDAG("etl")\n',
        'README.md': 'hello',
      }),
      { deployId: 'deploy-1' },
    );
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const pod = await runningPod('scheduler');
    const name = pod.metadata.name;
    await eventually(() => bundles.reportsOf(name).length > 0);

    expect(bundles.reportsOf(name)[0].body).toEqual({ version });
    // The token came from the Secret, the pod name from the fieldRef.
    expect(
      bundles.requests.every(
        r => r.authorization === `Bearer ${bundles.token}`,
      ),
    ).toBe(true);
    expect(bundles.countOf('GET', `/versions/${version}`)).toBe(1);
    expect(simulator.control.podDagSync(NS, name)).toMatchObject({
      uid: pod.metadata.uid,
      component: 'scheduler',
      mode: 'sidecar',
      url: bundles.url,
      intervalMs: 50,
      version,
      deployId: 'deploy-1',
      files: 2,
      switches: 1,
      downloads: 1,
      lastError: null,
    });
    const files = simulator.control.podBundleFiles(NS, name)!;
    expect([...files.keys()]).toEqual(['README.md', 'dags/etl.py']);
    expect(files.get('dags/etl.py')!.toString()).toContain('DAG("etl")');

    // The sidecar keeps polling but downloads only when the version changes.
    await eventually(() => simulator.control.podDagSync(NS, name)!.syncs >= 4);
    expect(bundles.countOf('GET', `/versions/${version}`)).toBe(1);
    expect(bundles.reportsOf(name)).toHaveLength(1);

    const stats = simulator.control.stats().dagSync;
    expect(stats.download).toBe(1);
    expect(stats.report).toBe(1);
    expect(stats.current).toBeGreaterThanOrEqual(4);
    expect(stats.failed).toBe(0);
  });

  it('switches to a new version without touching the pod', async () => {
    const first = bundles.publish(await makeBundle({ 'a.py': 'one' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const pod = await runningPod('scheduler');
    const name = pod.metadata.name;
    await eventually(() => served(name) === first);
    const before = simulator.control.getObject({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: NS,
      name,
    })!;

    const second = bundles.publish(
      await makeBundle({ 'a.py': 'two', 'b.py': 'three' }),
    );
    await eventually(() => served(name) === second);
    // The pod reports once it switched.
    await eventually(() => bundles.reportsOf(name).length === 2);

    const after = simulator.control.getObject({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: NS,
      name,
    })!;
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect(
      (after.status as any).containerStatuses.map((c: any) => c.restartCount),
    ).toEqual([0, 0]);
    expect(podsOf('scheduler')).toHaveLength(1);
    expect(
      simulator.control.podBundleFiles(NS, name)!.get('a.py')!.toString(),
    ).toBe('two');
    expect(bundles.reportsOf(name).map(r => r.body)).toEqual([
      { version: first },
      { version: second },
    ]);
    expect(simulator.control.podDagSync(NS, name)!.switches).toBe(2);
  });

  it('reports a bad checksum and keeps serving the old version', async () => {
    const good = bundles.publish(await makeBundle({ 'a.py': 'good' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => served(name) === good);

    const bad = bundles.publish(await makeBundle({ 'a.py': 'bad' }), {
      corrupt: true,
    });
    await eventually(() => bundles.reportsOf(name).length >= 2);
    await eventually(
      () =>
        typeof simulator.control.podDagSync(NS, name)!.lastError === 'string',
    );

    const report = bundles.reportsOf(name)[1].body;
    expect(report.version).toBe(good);
    expect(report.error).toMatch(
      new RegExp(
        `^checksum mismatch: expected ${bad}, got sha256:[0-9a-f]{64}$`,
      ),
    );
    expect(served(name)).toBe(good);
    expect(
      simulator.control.podBundleFiles(NS, name)!.get('a.py')!.toString(),
    ).toBe('good');
    expect(simulator.control.podDagSync(NS, name)!.lastError).toMatch(
      /^checksum mismatch/,
    );
    expect(warnings.some(w => w.includes('checksum mismatch'))).toBe(true);
  });

  it('refuses a bundle with a member outside the bundle and keeps the old one', async () => {
    const good = bundles.publish(await makeBundle({ 'a.py': 'good' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => served(name) === good);

    bundles.publish(
      await makeBundle({
        'a.py': 'new',
        'link.py': { type: 'symlink', linkname: '../../etc/passwd' },
      }),
    );
    await eventually(() => bundles.reportsOf(name).length >= 2);
    expect(bundles.reportsOf(name)[1].body).toEqual({
      version: good,
      error: expect.stringMatching(
        /^refused bundle sha256:[0-9a-f]+: refused link "link\.py"/,
      ),
    });
    expect(served(name)).toBe(good);
  });

  it('leaves pods without dag-sync alone and runs an init container once', async () => {
    const version = bundles.publish(await makeBundle({ 'a.py': 'x' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'api-server',
        url: bundles.url,
        dagSync: 'none',
      }),
      airflowComponent({
        namespace: NS,
        component: 'task',
        url: bundles.url,
        dagSync: 'init',
      }),
    );
    const plain = await runningPod('api-server');
    const task = await runningPod('task');
    await eventually(() => served(task.metadata.name) === version);
    await new Promise(resolve => setTimeout(resolve, 200));

    expect(
      simulator.control.podDagSync(NS, plain.metadata.name),
    ).toBeUndefined();
    expect(simulator.control.dagSyncStatus(NS).map(s => s.pod)).toEqual([
      task.metadata.name,
    ]);
    expect(simulator.control.podDagSync(NS, task.metadata.name)).toMatchObject({
      mode: 'init',
      syncs: 1,
    });
    expect(bundles.countOf('GET', '/current')).toBe(1);
    expect(bundles.reportsOf(task.metadata.name)).toHaveLength(1);
  });

  it('syncs nothing and reports nothing while the Deployment has no bundle', async () => {
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => simulator.control.podDagSync(NS, name)!.syncs >= 2);
    expect(bundles.reports).toEqual([]);
    expect(simulator.control.podDagSync(NS, name)).toMatchObject({
      version: null,
      lastError: null,
    });
    const version = bundles.publish(await makeBundle({ 'a.py': 'late' }));
    await eventually(() => served(name) === version);
  });

  it("logs the server's 401 for a wrong token and keeps running", async () => {
    const good = bundles.publish(await makeBundle({ 'a.py': 'x' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => served(name) === good);

    // The token is rotated in the Secret but not at the server.
    apply(bundleTokenSecret(NS, 'a-wrong-token'));
    await eventually(() =>
      simulator.control
        .podDagSync(NS, name)!
        .lastError?.startsWith('GET /current answered 401'),
    );
    expect(simulator.control.podDagSync(NS, name)!.lastError).toBe(
      'GET /current answered 401: invalid bundle token',
    );
    // Logged once, without the token.
    await eventually(() => simulator.control.podDagSync(NS, name)!.errors >= 3);
    const logged = warnings.filter(w => w.includes('401'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`pod ${NS}/${name}`);
    expect(warnings.join('\n')).not.toContain('a-wrong-token');
    expect(warnings.join('\n')).not.toContain(bundles.token);
    // The report of the failure was refused as well; the pod still serves its bundle.
    expect(
      bundles.requests.filter(
        r => r.method === 'PUT' && r.authorization === 'Bearer a-wrong-token',
      ).length,
    ).toBeGreaterThan(0);
    expect(served(name)).toBe(good);
    expect(simulator.control.stats().dagSync.failed).toBeGreaterThan(0);

    // Fixing the Secret heals it.
    apply(bundleTokenSecret(NS, bundles.token));
    await eventually(
      () => simulator.control.podDagSync(NS, name)!.lastError === null,
    );
  });

  it('reports a missing Secret like the kubelet, without sending requests', async () => {
    simulator.control.deleteObject({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: NS,
      name: 'astro-dag-sync',
    });
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => simulator.control.podDagSync(NS, name)!.errors >= 1);
    expect(simulator.control.podDagSync(NS, name)!.lastError).toBe(
      'CreateContainerConfigError: secret "astro-dag-sync" not found',
    );
    expect(bundles.requests).toEqual([]);
  });

  it('starts a replacement pod empty and syncs it again', async () => {
    const version = bundles.publish(await makeBundle({ 'a.py': 'x' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const first = await runningPod('scheduler');
    await eventually(() => served(first.metadata.name) === version);

    simulator.control.deleteObject({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: NS,
      name: first.metadata.name,
    });
    const second = await eventually(() =>
      podsOf('scheduler').find(
        pod =>
          pod.metadata.uid !== first.metadata.uid &&
          (pod.status as any)?.phase === 'Running',
      ),
    );
    expect(
      simulator.control.podDagSync(NS, first.metadata.name),
    ).toBeUndefined();
    await eventually(() => served(second.metadata.name) === version);
    expect(
      simulator.control.podDagSync(NS, second.metadata.name),
    ).toMatchObject({
      uid: second.metadata.uid,
      switches: 1,
    });
    expect(bundles.countOf('GET', `/versions/${version}`)).toBe(2);
  });

  it('pauses the sidecar while the pod crash-loops and keeps its DAGs folder', async () => {
    const version = bundles.publish(await makeBundle({ 'a.py': 'x' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => served(name) === version);

    simulator.control.setCrashLoop(NS, 'scheduler');
    await eventually(
      () =>
        (podsOf('scheduler')[0].status as any).containerStatuses[1].state
          .waiting !== undefined,
    );
    // Let a sync under way when the pod crashed finish.
    await new Promise(resolve => setTimeout(resolve, 200));
    const paused = simulator.control.podDagSync(NS, name)!.syncs;
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(simulator.control.podDagSync(NS, name)!.syncs).toBe(paused);
    expect(served(name)).toBe(version);

    simulator.control.setCrashLoop(NS, 'scheduler', false);
    await eventually(
      () => simulator.control.podDagSync(NS, name)!.syncs > paused,
    );
  });

  it('syncs on demand and serves the state over the control API', async () => {
    const version = bundles.publish(await makeBundle({ 'dags/a.py': 'x' }));
    await simulator.stop();
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      dagSync: { intervalMs: 60_000 },
    });
    apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      bundleTokenSecret(NS, bundles.token),
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    const name = (await runningPod('scheduler')).metadata.name;
    await eventually(() => served(name) === version);
    const second = bundles.publish(await makeBundle({ 'dags/b.py': 'y' }));

    const http = httpClient(simulator);
    expect(
      (await http.call('POST', '/simulator/v1/dag-sync/sync-now', {})).body,
    ).toEqual({ synced: 1 });
    expect(served(name)).toBe(second);

    const one = await http.get(
      `/simulator/v1/namespaces/${NS}/pods/${name}/dag-sync`,
    );
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      namespace: NS,
      pod: name,
      version: second,
      intervalMs: 60_000,
      paths: ['dags/b.py'],
    });
    expect((await http.get('/simulator/v1/dag-sync')).body.pods).toHaveLength(
      1,
    );
    expect(
      (await http.get(`/simulator/v1/namespaces/${NS}/dag-sync`)).body.pods[0]
        .pod,
    ).toBe(name);
    expect(
      (await http.get(`/simulator/v1/namespaces/${NS}/pods/nothing/dag-sync`))
        .status,
    ).toBe(404);
    expect((await http.get('/simulator/v1/stats')).body.dagSync).toMatchObject({
      download: 2,
      report: 2,
    });
  });

  it('drives many pods from one timer, a bounded number at a time', async () => {
    const version = bundles.publish(await makeBundle({ 'a.py': 'x' }));
    const timers = () =>
      process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
    apply(
      airflowComponent({
        namespace: NS,
        component: 'worker',
        url: bundles.url,
        replicas: 40,
      }),
    );
    await eventually(
      () =>
        simulator.control.dagSyncStatus(NS).filter(s => s.version === version)
          .length === 40,
      5000,
    );
    const before = simulator.control
      .dagSyncStatus(NS)
      .reduce((sum, s) => sum + s.syncs, 0);
    await new Promise(resolve => setTimeout(resolve, 150));
    const statuses = simulator.control.dagSyncStatus(NS);
    // Every pod kept polling at its interval...
    expect(statuses.reduce((sum, s) => sum + s.syncs, 0)).toBeGreaterThan(
      before + 40,
    );
    // ...without a timer per pod.
    expect(timers()).toBeLessThan(10);
    expect(bundles.countOf('GET', `/versions/${version}`)).toBe(40);
  });

  it('stops cleanly with requests under way', async () => {
    bundles.publish(await makeBundle({ 'a.py': 'x' }));
    apply(
      airflowComponent({
        namespace: NS,
        component: 'scheduler',
        url: bundles.url,
      }),
    );
    bundles.hold();
    await runningPod('scheduler');
    await eventually(() => bundles.requests.length > 0);
    const started = Date.now();
    await simulator.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    const count = bundles.requests.length;
    bundles.release();
    await new Promise(resolve => setTimeout(resolve, 150));
    expect(bundles.requests).toHaveLength(count);
  });
});
