import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import { httpClient } from '../__testUtils__/http';

describe('the HTTP control API under /simulator/v1', () => {
  let simulator: KubernetesSimulator;
  let http: ReturnType<typeof httpClient>;

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({ keda: false, title: 'Sim' });
    http = httpClient(simulator);
  });

  afterEach(() => simulator.stop());

  it('requires the token', async () => {
    expect((await fetch(`${simulator.url}/simulator/v1/info`)).status).toBe(
      401,
    );
  });

  it('describes the simulator', async () => {
    expect((await http.get('/simulator/v1/info')).body).toEqual({
      driver: 'simulator',
      title: 'Sim',
      keda: false,
      kubernetesVersion: 'v1.31.0-simulator',
    });
  });

  it('sets queue depths, crash loops and failing Jobs', async () => {
    const put = await http.call(
      'PUT',
      '/simulator/v1/namespaces/a/queues/default',
      { queued: 3, running: 1 },
    );
    expect(put.body).toEqual({ queued: 3, running: 1 });
    expect(simulator.control.getQueueDepth('a', 'default')).toEqual({
      queued: 3,
      running: 1,
    });
    expect(
      (
        await http.call('PUT', '/simulator/v1/namespaces/a/queues/default', {
          queued: -1,
        })
      ).status,
    ).toBe(400);

    expect(
      (
        await http.call(
          'PUT',
          '/simulator/v1/namespaces/a/components/scheduler',
          { crashLoop: true },
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await http.call(
          'PUT',
          '/simulator/v1/namespaces/a/components/scheduler',
          { crashLoop: 'yes' },
        )
      ).status,
    ).toBe(400);

    expect(
      (await http.call('POST', '/simulator/v1/namespaces/a/jobs/fail-next', {}))
        .body,
    ).toEqual({
      namespace: 'a',
      component: 'migrate-database',
    });
  });

  it('injects faults and clears them', async () => {
    expect(
      (
        await http.call('PUT', '/simulator/v1/faults', {
          errorRates: { list: 1 },
          errorStatus: 503,
        })
      ).status,
    ).toBe(200);
    const failed = await http.get('/api/v1/namespaces');
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
    });
    expect(
      (
        await http.call('PUT', '/simulator/v1/faults', {
          errorRates: { nope: 1 },
        })
      ).status,
    ).toBe(400);
    await http.call('DELETE', '/simulator/v1/faults');
    expect((await http.get('/api/v1/namespaces')).status).toBe(200);
  });

  it('makes the API unavailable for a while, refusing connections', async () => {
    const answer = await http.call('POST', '/simulator/v1/faults/unavailable', {
      durationMs: 300,
    });
    expect(answer.status).toBe(202);
    await new Promise(resolve => setTimeout(resolve, 50));
    await expect(fetch(`${simulator.url}/version`)).rejects.toThrow();
    await simulator.control.whenAvailable();
    expect((await fetch(`${simulator.url}/version`)).status).toBe(200);
  });

  it('switches KEDA and compacts the history', async () => {
    expect((await http.get('/apis/keda.sh/v1alpha1')).status).toBe(404);
    await http.call('PUT', '/simulator/v1/keda', { enabled: true });
    expect((await http.get('/apis/keda.sh/v1alpha1')).status).toBe(200);
    expect((await http.call('POST', '/simulator/v1/compact', {})).body).toEqual(
      { compacted: true },
    );
  });

  it('reports and resets request counters, by path class, and the open watches', async () => {
    await http.get('/api/v1/namespaces');
    await http.get('/apis/apps/v1');
    await http.get('/apis/apps/v1/deployments');
    await http.call(
      'GET',
      '/api/v1/namespaces/a/services/airflow-api-server/proxy/api/v2/monitor/health',
    );
    const watch = new AbortController();
    const watching = await fetch(`${simulator.url}/api/v1/pods?watch=true`, {
      headers: { Authorization: `Bearer ${simulator.token}` },
      signal: watch.signal,
    });
    expect(watching.status).toBe(200);
    const stats = (await http.get('/simulator/v1/stats')).body;
    expect(stats.requests.list).toBe(2);
    expect(stats.byPath).toEqual({
      'list /api/v1/namespaces': 1,
      'discovery /apis/apps/v1': 1,
      'list /apis/apps/v1/deployments': 1,
      'proxy /api/v1/namespaces/{namespace}/services/{name}/proxy': 1,
      'watch /api/v1/pods': 1,
    });
    expect(stats.openWatches).toBe(1);
    watch.abort();
    await watching.body?.cancel().catch(() => undefined);
    expect((await http.call('DELETE', '/simulator/v1/stats')).body.total).toBe(
      0,
    );
  });

  it('answers 404 for unknown control paths', async () => {
    expect((await http.get('/simulator/v1/nothing')).status).toBe(404);
  });
});
