import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import { eventually, httpClient } from '../__testUtils__/http';

const NS = 'airflow-1';

function component(
  name: string,
  image = 'apache/airflow:3.0.2',
): KubernetesObject[] {
  const labels = { app: name, [ASTRO_LABELS.component]: name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name, image }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NS, labels },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
    },
  ];
}

describe('the simulated Airflow API behind the service proxy', () => {
  let simulator: KubernetesSimulator;
  let http: ReturnType<typeof httpClient>;
  const apply = (objects: KubernetesObject[]) =>
    objects.forEach(o =>
      simulator.control.applyObject(o, { fieldManager: 'astro' }),
    );
  const health = (service = 'api-server', path = '/api/v2/monitor/health') =>
    http.get(`/api/v1/namespaces/${NS}/services/${service}:8080/proxy${path}`);
  const readyPods = (name: string) =>
    simulator.control
      .listObjects({ apiVersion: 'v1', kind: 'Pod', namespace: NS })
      .filter(
        pod =>
          pod.metadata.labels?.app === name &&
          ((pod.status as any)?.conditions ?? []).some(
            (c: any) => c.type === 'Ready' && c.status === 'True',
          ),
      ).length;

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({ podReadyDelayMs: 20 });
    http = httpClient(simulator);
    apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
  });

  afterEach(() => simulator.stop());

  it('answers 404 for an unknown service and 503 without ready endpoints', async () => {
    const missing = await health('nothing');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    apply(component('api-server'));
    const early = await health();
    expect(early.status).toBe(503);
    expect(early.body.message).toBe(
      'no endpoints available for service "api-server"',
    );
  });

  it('reports Airflow 3 health from the pods of each component', async () => {
    apply([
      ...component('api-server'),
      ...component('scheduler'),
      ...component('triggerer'),
      ...component('dag-processor'),
    ]);
    await eventually(() =>
      ['api-server', 'scheduler', 'triggerer', 'dag-processor'].every(
        c => readyPods(c) === 1,
      ),
    );
    const answer = await health();
    expect(answer.status).toBe(200);
    const iso = expect.stringMatching(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/,
    );
    expect(answer.body).toEqual({
      metadatabase: { status: 'healthy' },
      scheduler: { status: 'healthy', latest_scheduler_heartbeat: iso },
      triggerer: { status: 'healthy', latest_triggerer_heartbeat: iso },
      dag_processor: { status: 'healthy', latest_dag_processor_heartbeat: iso },
    });
    expect((await health('api-server', '/api/v2/version')).body).toEqual({
      version: '3.0.2',
      git_version: null,
    });
    expect((await health('api-server', '/nothing')).status).toBe(404);
  });

  it('turns a scheduler that is down into an unhealthy heartbeat', async () => {
    apply([...component('api-server'), ...component('scheduler')]);
    await eventually(
      () => readyPods('api-server') === 1 && readyPods('scheduler') === 1,
    );
    simulator.control.setCrashLoop(NS, 'scheduler');
    await eventually(() => readyPods('scheduler') === 0);
    const answer = await health();
    expect(answer.body.scheduler).toEqual({
      status: 'unhealthy',
      latest_scheduler_heartbeat: expect.stringMatching(/\+00:00$/),
    });
    expect(answer.body.triggerer).toEqual({
      status: null,
      latest_triggerer_heartbeat: null,
    });
  });

  it('serves /health for an Airflow 2 webserver, also without the port in the path', async () => {
    apply([
      ...component('webserver', 'apache/airflow:2.10.5'),
      ...component('scheduler'),
    ]);
    await eventually(
      () => readyPods('webserver') === 1 && readyPods('scheduler') === 1,
    );
    const answer = await http.get(
      `/api/v1/namespaces/${NS}/services/webserver/proxy/health`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.scheduler.status).toBe('healthy');
    expect((await health('webserver', '/api/v1/version')).body.version).toBe(
      '2.10.5',
    );
  });

  it('reports an unready metadata database', async () => {
    apply([...component('api-server'), ...component('pgbouncer')]);
    await eventually(
      () => readyPods('api-server') === 1 && readyPods('pgbouncer') === 1,
    );
    simulator.control.setCrashLoop(NS, 'pgbouncer');
    await eventually(() => readyPods('pgbouncer') === 0);
    expect((await health()).body.metadatabase).toEqual({ status: 'unhealthy' });
  });
});
