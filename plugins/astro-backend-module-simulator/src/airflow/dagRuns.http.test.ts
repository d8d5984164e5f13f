import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import {
  airflowComponent,
  bundleTokenSecret,
  componentService,
} from '../__testUtils__/airflowObjects';
import { BundleServer, makeBundle } from '../__testUtils__/bundles';
import {
  airflowKeysSecret,
  newJwtKey,
  signApiToken,
} from '../__testUtils__/airflowTokens';
import { eventually, httpClient } from '../__testUtils__/http';

const NS = 'astro-runs';

const HOURLY = `
from airflow import DAG
with DAG(dag_id="hourly", schedule="@hourly", is_paused_upon_creation=False,
         tags=["etl"], default_args={"owner": "data-team"}):
    pass
`;
const MANUAL = `
from airflow import DAG
with DAG(dag_id="manual", schedule=None, is_paused_upon_creation=False):
    pass
`;

/** The fields of DAGRunResponse in Airflow 3.0's v2 REST API, all required. */
const DAG_RUN_V2_FIELDS = [
  'dag_run_id',
  'dag_id',
  'logical_date',
  'queued_at',
  'start_date',
  'end_date',
  'duration',
  'data_interval_start',
  'data_interval_end',
  'run_after',
  'last_scheduling_decision',
  'run_type',
  'state',
  'triggered_by',
  'conf',
  'note',
  'dag_versions',
  'bundle_version',
  'dag_display_name',
].sort();

/** The fields of DAGRun in Airflow 2's v1 REST API. */
const DAG_RUN_V1_FIELDS = [
  'dag_run_id',
  'dag_id',
  'logical_date',
  'execution_date',
  'start_date',
  'end_date',
  'data_interval_start',
  'data_interval_end',
  'last_scheduling_decision',
  'run_type',
  'state',
  'external_trigger',
  'conf',
  'note',
].sort();

/** The fields of PoolResponse (v2) and Pool (v1). */
const POOL_FIELDS = [
  'name',
  'slots',
  'description',
  'include_deferred',
  'occupied_slots',
  'running_slots',
  'queued_slots',
  'scheduled_slots',
  'open_slots',
  'deferred_slots',
].sort();

describe('simulated DAG runs through the service proxy', () => {
  let simulator: KubernetesSimulator;
  let bundles: BundleServer;
  let jwtSecret: string;
  let adminToken: string;
  let viewerToken: string;
  let service: string;

  const apply = (...objects: KubernetesObject[]) =>
    objects.forEach(object =>
      simulator.control.applyObject(object, { fieldManager: 'astro' }),
    );
  const proxy = async (
    method: string,
    path: string,
    body?: unknown,
    token = adminToken,
  ) => {
    const response = await fetch(
      `${simulator.url}/api/v1/namespaces/${NS}/services/${service}:8080/proxy${path}`,
      {
        method,
        headers: {
          Authorization: `Bearer ${simulator.token}`,
          [AIRFLOW_ACCESS.proxyTokenHeader]: token,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      },
    );
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : text };
  };
  const readyPods = (component: string) =>
    eventually(() =>
      simulator.control
        .listObjects({ apiVersion: 'v1', kind: 'Pod', namespace: NS })
        .some(
          pod =>
            pod.metadata.labels?.app === component &&
            ((pod.status as any)?.conditions ?? []).some(
              (c: any) => c.type === 'Ready' && c.status === 'True',
            ),
        ),
    );

  async function deploy(
    ui: 'api-server' | 'webserver',
    parser: 'dag-processor' | 'scheduler',
    image: string,
  ) {
    service = ui;
    const version = bundles.publish(
      await makeBundle({ 'dags/hourly.py': HOURLY, 'dags/manual.py': MANUAL }),
    );
    apply(
      componentService(NS, ui),
      airflowComponent({
        namespace: NS,
        component: ui,
        image,
        dagSync: 'none',
      }),
      airflowComponent({
        namespace: NS,
        component: parser,
        image,
        url: bundles.url,
      }),
    );
    await readyPods(ui);
    await eventually(() =>
      simulator.control
        .dagSyncStatus(NS)
        .some(s => s.component === parser && s.version === version),
    );
  }

  beforeEach(async () => {
    bundles = await BundleServer.start();
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      dagSync: { minIntervalMs: 20 },
    });
    jwtSecret = newJwtKey();
    adminToken = await signApiToken(jwtSecret);
    viewerToken = await signApiToken(jwtSecret, { role: 'VIEWER' });
    apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      bundleTokenSecret(NS, bundles.token),
      airflowKeysSecret(NS, jwtSecret),
    );
    simulator.control.setAirflowClock({
      now: '2026-03-01T00:00:00Z',
      frozen: true,
    });
  });

  afterEach(async () => {
    await simulator.stop();
    await bundles.close();
  });

  describe('on Airflow 3 (/api/v2)', () => {
    beforeEach(() =>
      deploy('api-server', 'dag-processor', 'apache/airflow:3.0.2'),
    );

    it('produces scheduled runs on the simulated clock, in DAGRunResponse shape', async () => {
      expect((await proxy('GET', '/api/v2/dags')).body.total_entries).toBe(2);
      const http = httpClient(simulator);
      const moved = await http.call('POST', '/simulator/v1/airflow/clock', {
        advanceSeconds: 2 * 3600 + 30,
      });
      expect(moved.body).toEqual({
        now: '2026-03-01T02:00:30.000Z',
        frozen: true,
      });
      const list = await proxy('GET', '/api/v2/dags/hourly/dagRuns');
      expect(list.status).toBe(200);
      expect(list.body.total_entries).toBe(2);
      const [first, second] = list.body.dag_runs;
      expect(Object.keys(first).sort()).toEqual(DAG_RUN_V2_FIELDS);
      expect(first).toMatchObject({
        dag_run_id: 'scheduled__2026-03-01T01:00:00+00:00',
        dag_id: 'hourly',
        logical_date: '2026-03-01T01:00:00.000000Z',
        run_after: '2026-03-01T01:00:00.000000Z',
        start_date: '2026-03-01T01:00:05.000000Z',
        end_date: '2026-03-01T01:01:05.000000Z',
        duration: 60,
        state: 'success',
        run_type: 'scheduled',
        triggered_by: 'timetable',
      });
      expect(second).toMatchObject({ state: 'running', end_date: null });
      const one = await proxy(
        'GET',
        `/api/v2/dags/hourly/dagRuns/${encodeURIComponent(first.dag_run_id)}`,
      );
      expect(one.body).toEqual(first);
      const across = await proxy(
        'GET',
        '/api/v2/dags/~/dagRuns?state=running&order_by=-run_after',
      );
      expect(across.body.dag_runs.map((r: any) => r.dag_run_id)).toEqual([
        second.dag_run_id,
      ]);
      const batch = await proxy('POST', '/api/v2/dags/~/dagRuns/list', {
        dag_ids: ['hourly'],
        run_after_gte: '2026-03-01T01:30:00Z',
      });
      expect(batch.body.total_entries).toBe(1);
      const missing = await proxy('GET', '/api/v2/dags/hourly/dagRuns/nope');
      expect(missing.status).toBe(404);
    });

    it('follows a per-DAG outcome set through the control API, and clears a failed run', async () => {
      const http = httpClient(simulator);
      await proxy('GET', '/api/v2/dags');
      const set = await http.call(
        'PUT',
        `/simulator/v1/airflow/namespaces/${NS}/dags/hourly/outcome`,
        { state: 'failed', durationSeconds: 30 },
      );
      expect(set.body).toEqual({ state: 'failed', durationSeconds: 30 });
      const bad = await http.call(
        'PUT',
        `/simulator/v1/airflow/namespaces/${NS}/dags/hourly/outcome`,
        { state: 'broken' },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/state must be one of/);
      await http.call('POST', '/simulator/v1/airflow/clock', {
        advanceSeconds: 3600 + 60,
      });
      const [failed] = (await proxy('GET', '/api/v2/dags/hourly/dagRuns')).body
        .dag_runs;
      expect(failed.state).toBe('failed');
      await http.call(
        'DELETE',
        `/simulator/v1/airflow/namespaces/${NS}/dags/hourly/outcome`,
      );
      const path = `/api/v2/dags/hourly/dagRuns/${encodeURIComponent(
        failed.dag_run_id,
      )}/clear`;
      expect(
        (await proxy('POST', path, { dry_run: false }, viewerToken)).status,
      ).toBe(403);
      const dry = await proxy('POST', path, { only_failed: true });
      expect(dry.body.total_entries).toBe(1);
      expect(dry.body.task_instances[0]).toMatchObject({
        dag_run_id: failed.dag_run_id,
        state: 'failed',
      });
      const cleared = await proxy('POST', path, { dry_run: false });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ state: 'queued', end_date: null });
      await http.call('POST', '/simulator/v1/airflow/clock', {
        advanceSeconds: 120,
      });
      const again = await proxy(
        'GET',
        `/api/v2/dags/hourly/dagRuns/${encodeURIComponent(failed.dag_run_id)}`,
      );
      expect(again.body.state).toBe('success');
    });

    it('triggers runs and pauses DAGs for editing roles only', async () => {
      await proxy('GET', '/api/v2/dags');
      const refused = await proxy(
        'POST',
        '/api/v2/dags/manual/dagRuns',
        { logical_date: null },
        viewerToken,
      );
      expect(refused).toEqual({ status: 403, body: { detail: 'Forbidden' } });
      const missingDate = await proxy('POST', '/api/v2/dags/manual/dagRuns', {
        conf: {},
      });
      expect(missingDate.status).toBe(422);
      expect(missingDate.body.detail[0].loc).toEqual(['body', 'logical_date']);
      const triggered = await proxy('POST', '/api/v2/dags/manual/dagRuns', {
        logical_date: null,
        conf: { full: true },
        note: 'from a test',
      });
      expect(triggered.status).toBe(200);
      expect(triggered.body).toMatchObject({
        dag_id: 'manual',
        run_type: 'manual',
        triggered_by: 'rest_api',
        state: 'queued',
        logical_date: null,
        conf: { full: true },
        note: 'from a test',
      });
      expect(
        (
          await proxy('POST', '/api/v2/dags/manual/dagRuns', {
            logical_date: null,
            dag_run_id: triggered.body.dag_run_id,
          })
        ).status,
      ).toBe(409);

      expect(
        (
          await proxy(
            'PATCH',
            '/api/v2/dags/hourly',
            { is_paused: true },
            viewerToken,
          )
        ).status,
      ).toBe(403);
      const paused = await proxy('PATCH', '/api/v2/dags/hourly', {
        is_paused: true,
      });
      expect(paused.body).toMatchObject({ dag_id: 'hourly', is_paused: true });
      const notBoolean = await proxy('PATCH', '/api/v2/dags/hourly', {
        is_paused: 'yes',
      });
      expect(notBoolean.status).toBe(422);
      simulator.control.setAirflowClock({ advanceSeconds: 3 * 3600 });
      const runs = await proxy('GET', '/api/v2/dags/hourly/dagRuns');
      expect(runs.body.total_entries).toBe(0);
      const details = await proxy('GET', '/api/v2/dags/hourly/details');
      expect(details.body).toMatchObject({
        dag_id: 'hourly',
        owners: ['data-team'],
        timetable_summary: '@hourly',
        is_paused: true,
        tags: [{ name: 'etl', dag_id: 'hourly' }],
      });
      expect(details.body.last_parsed_time).toEqual(expect.any(String));
    });

    it('serves the default pool with slots taken by active runs', async () => {
      await proxy('GET', '/api/v2/dags');
      simulator.control.setDagOutcome(NS, 'hourly', { state: 'running' });
      simulator.control.setAirflowClock({ advanceSeconds: 3600 + 10 });
      const pools = await proxy('GET', '/api/v2/pools');
      expect(pools.body.total_entries).toBe(1);
      expect(Object.keys(pools.body.pools[0]).sort()).toEqual(POOL_FIELDS);
      expect(pools.body.pools[0]).toMatchObject({
        name: 'default_pool',
        slots: 128,
        running_slots: 1,
        open_slots: 127,
      });
      expect((await proxy('GET', '/api/v2/pools/default_pool')).body.name).toBe(
        'default_pool',
      );
      expect((await proxy('GET', '/api/v2/pools/other')).status).toBe(404);
    });

    it('counts the Airflow requests per namespace and route in the request stats', async () => {
      simulator.control.resetStats();
      await proxy('GET', '/api/v2/dags');
      await proxy('GET', '/api/v2/dags');
      await proxy('GET', '/api/v2/pools');
      expect(simulator.control.stats().airflow[NS]).toEqual({
        'GET /api/v2/dags': 2,
        'GET /api/v2/pools': 1,
      });
    });

    it('lists task instances across DAGs and runs, queue depths included, filtered by state and queue', async () => {
      const http = httpClient(simulator);
      // A triggered run is queued for 5 s (its task on queue default), plus the queue's depth.
      const triggered = await proxy('POST', '/api/v2/dags/manual/dagRuns', {
        logical_date: null,
      });
      expect(triggered.body.state).toBe('queued');
      await http.call('PUT', `/simulator/v1/namespaces/${NS}/queues/default`, {
        queued: 7,
        running: 2,
      });
      const queued = await proxy(
        'GET',
        '/api/v2/dags/~/dagRuns/~/taskInstances?state=queued&queue=default&limit=1',
      );
      expect(queued.status).toBe(200);
      expect(queued.body.total_entries).toBe(8);
      expect(queued.body.task_instances).toHaveLength(1);
      expect(queued.body.task_instances[0]).toMatchObject({
        state: 'queued',
        queue: 'default',
      });
      const otherQueue = await proxy(
        'GET',
        '/api/v2/dags/~/dagRuns/~/taskInstances?state=queued&queue=etl',
      );
      expect(otherQueue.body).toEqual({ task_instances: [], total_entries: 0 });
      const running = await proxy(
        'GET',
        '/api/v2/dags/simulated_queue_load/dagRuns/~/taskInstances?state=running',
      );
      expect(running.body.total_entries).toBe(2);
      const missing = await proxy(
        'GET',
        '/api/v2/dags/nope/dagRuns/~/taskInstances',
      );
      expect(missing.status).toBe(404);
    });

    it('lists finished runs by end date, and stops the heartbeat of a hung component', async () => {
      const http = httpClient(simulator);
      // The simulated scheduler starts from the first parse.
      expect((await proxy('GET', '/api/v2/dags')).body.total_entries).toBe(2);
      await http.call('POST', '/simulator/v1/airflow/clock', {
        advanceSeconds: 3 * 3600,
      });
      const finished = await proxy('POST', '/api/v2/dags/~/dagRuns/list', {
        order_by: 'end_date',
        states: ['success', 'failed'],
        end_date_gte: '2026-03-01T02:00:00Z',
        page_limit: 100,
      });
      expect(
        finished.body.dag_runs.map((r: { end_date: string }) => r.end_date),
      ).toEqual(['2026-03-01T02:01:05.000000Z']);

      const frozen = await http.call(
        'PUT',
        `/simulator/v1/namespaces/${NS}/components/dag-processor`,
        { heartbeatFrozen: true },
      );
      expect(frozen.status).toBe(200);
      const health = await proxy('GET', '/api/v2/monitor/health');
      const frozenAt = health.body.dag_processor.latest_dag_processor_heartbeat;
      expect(health.body.dag_processor.status).toBe('healthy');
      await new Promise(resolve => setTimeout(resolve, 20));
      const again = await proxy('GET', '/api/v2/monitor/health');
      expect(again.body.dag_processor.latest_dag_processor_heartbeat).toBe(
        frozenAt,
      );
      const bad = await http.call(
        'PUT',
        `/simulator/v1/namespaces/${NS}/components/dag-processor`,
        { heartbeatFrozen: 'yes' },
      );
      expect(bad.status).toBe(400);
    });
  });

  describe('on Airflow 2 (/api/v1)', () => {
    beforeEach(() => deploy('webserver', 'scheduler', 'apache/airflow:2.10.5'));

    it('serves runs, triggers, clears and pauses in the v1 shapes', async () => {
      await proxy('GET', '/api/v1/dags');
      simulator.control.setDagOutcome(NS, 'hourly', {
        state: 'failed',
        durationSeconds: 10,
      });
      simulator.control.setAirflowClock({ advanceSeconds: 3600 + 60 });
      const list = await proxy('GET', '/api/v1/dags/hourly/dagRuns');
      expect(list.body.total_entries).toBe(1);
      const [run] = list.body.dag_runs;
      expect(Object.keys(run).sort()).toEqual(DAG_RUN_V1_FIELDS);
      expect(run).toMatchObject({
        execution_date: '2026-03-01T00:00:00.000000+00:00',
        data_interval_end: '2026-03-01T01:00:00.000000+00:00',
        state: 'failed',
        external_trigger: false,
      });
      const refused = await proxy(
        'POST',
        '/api/v1/dags/manual/dagRuns',
        {},
        viewerToken,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.title).toBe('Forbidden');
      const triggered = await proxy('POST', '/api/v1/dags/manual/dagRuns', {
        conf: {},
      });
      expect(triggered.body).toMatchObject({
        run_type: 'manual',
        external_trigger: true,
        state: 'queued',
      });
      const cleared = await proxy(
        'POST',
        '/api/v1/dags/hourly/clearTaskInstances',
        {
          dry_run: false,
          only_failed: true,
        },
      );
      expect(cleared.body.task_instances).toEqual([
        {
          task_id: 'simulated_task',
          dag_id: 'hourly',
          execution_date: run.execution_date,
          dag_run_id: run.dag_run_id,
        },
      ]);
      const paused = await proxy(
        'PATCH',
        '/api/v1/dags/hourly?update_mask=is_paused',
        {
          is_paused: true,
        },
      );
      expect(paused.body.is_paused).toBe(true);
      const pools = await proxy('GET', '/api/v1/pools');
      expect(Object.keys(pools.body.pools[0]).sort()).toEqual(POOL_FIELDS);
    });
  });
});
