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
  signInToSimulatedAirflow,
} from '../__testUtils__/airflowTokens';
import { eventually } from '../__testUtils__/http';
import { SIMULATED_NOTE } from './dagFiles';

const NS = 'astro-dags';

/** The fields of Airflow 3's DAGResponse (v2 REST API), all required. */
const DAG_RESPONSE_FIELDS = [
  'dag_id',
  'dag_display_name',
  'is_paused',
  'is_stale',
  'last_parsed_time',
  'last_expired',
  'bundle_name',
  'bundle_version',
  'relative_fileloc',
  'fileloc',
  'description',
  'timetable_summary',
  'timetable_description',
  'tags',
  'max_active_tasks',
  'max_active_runs',
  'max_consecutive_failed_dag_runs',
  'has_task_concurrency_limits',
  'has_import_errors',
  'next_dagrun_logical_date',
  'next_dagrun_data_interval_start',
  'next_dagrun_data_interval_end',
  'next_dagrun_run_after',
  'owners',
  'file_token',
].sort();

/** The fields of Airflow 2's DAG schema (v1 REST API). */
const DAG_V1_FIELDS = [
  'dag_id',
  'dag_display_name',
  'is_paused',
  'is_active',
  'last_parsed_time',
  'last_pickled',
  'last_expired',
  'scheduler_lock',
  'pickle_id',
  'default_view',
  'fileloc',
  'file_token',
  'owners',
  'description',
  'schedule_interval',
  'timetable_description',
  'tags',
  'max_active_tasks',
  'max_active_runs',
  'has_task_concurrency_limits',
  'has_import_errors',
  'next_dagrun',
  'next_dagrun_data_interval_start',
  'next_dagrun_data_interval_end',
  'next_dagrun_create_after',
  'max_consecutive_failed_dag_runs',
].sort();

const ETL = `
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG(
    dag_id="etl",
    description="Nightly load",
    schedule="0 3 * * *",
    tags=["team-a", "etl"],
    default_args={"owner": "data-team"},
):
    EmptyOperator(task_id="start")
`;
const TASKFLOW = `
from airflow.decorators import dag, task

@dag(schedule=None, tags=["example"])
def taskflow_example():
    @task
    def hello():
        print("hi")
    hello()

taskflow_example()
`;
const BROKEN =
  'from airflow import DAG\n\nwith DAG("broken",\n    schedule=None:\n    pass\n';

const microsZ = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const microsOffset = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;

describe('the simulated Airflow DAG listing', () => {
  let simulator: KubernetesSimulator;
  let bundles: BundleServer;
  let jwtSecret: string;
  let apiToken: string;

  const apply = (...objects: KubernetesObject[]) =>
    objects.forEach(object =>
      simulator.control.applyObject(object, { fieldManager: 'astro' }),
    );
  /** A GET through the service proxy, with the backend's Airflow API token. */
  const proxy = async (service: string, path: string) => {
    const response = await fetch(
      `${simulator.url}/api/v1/namespaces/${NS}/services/${service}:8080/proxy${path}`,
      {
        headers: {
          Authorization: `Bearer ${simulator.token}`,
          [AIRFLOW_ACCESS.proxyTokenHeader]: apiToken,
        },
      },
    );
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : text };
  };
  const servedBy = (component: string, version: string) =>
    eventually(() =>
      simulator.control
        .dagSyncStatus(NS)
        .some(s => s.component === component && s.version === version),
    );
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

  beforeEach(async () => {
    bundles = await BundleServer.start();
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      dagSync: { minIntervalMs: 20 },
    });
    jwtSecret = newJwtKey();
    apiToken = await signApiToken(jwtSecret);
    apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      bundleTokenSecret(NS, bundles.token),
      airflowKeysSecret(NS, jwtSecret),
    );
  });

  afterEach(async () => {
    await simulator.stop();
    await bundles.close();
  });

  describe('on Airflow 3 (/api/v2)', () => {
    const image = 'apache/airflow:3.1.3';

    async function deployAirflow3(version: string) {
      apply(
        componentService(NS, 'api-server'),
        airflowComponent({
          namespace: NS,
          component: 'api-server',
          image,
          dagSync: 'none',
        }),
        airflowComponent({
          namespace: NS,
          component: 'dag-processor',
          image,
          url: bundles.url,
        }),
      );
      await readyPods('api-server');
      await readyPods('dag-processor');
      await servedBy('dag-processor', version);
    }

    it('lists the DAGs of the bundle the dag-processor serves, in DAGResponse shape', async () => {
      const version = bundles.publish(
        await makeBundle({
          'dags/etl.py': ETL,
          'dags/taskflow.py': TASKFLOW,
          'dags/broken.py': BROKEN,
          'dags/util/helpers.py': 'def helper():\n    return 42\n',
        }),
      );
      await deployAirflow3(version);

      const answer = await proxy('api-server', '/api/v2/dags');
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).sort()).toEqual([
        'dags',
        'total_entries',
      ]);
      expect(answer.body.total_entries).toBe(2);
      expect(answer.body.dags.map((d: any) => d.dag_id)).toEqual([
        'etl',
        'taskflow_example',
      ]);
      const [etl, taskflow] = answer.body.dags;
      expect(Object.keys(etl).sort()).toEqual(DAG_RESPONSE_FIELDS);
      expect(etl).toEqual({
        dag_id: 'etl',
        dag_display_name: 'etl',
        is_paused: true,
        is_stale: false,
        last_parsed_time: expect.stringMatching(microsZ),
        last_expired: null,
        bundle_name: 'dags-folder',
        bundle_version: null,
        relative_fileloc: 'dags/etl.py',
        fileloc: '/opt/airflow/dags/current/dags/etl.py',
        description: 'Nightly load',
        timetable_summary: '0 3 * * *',
        timetable_description: null,
        tags: [
          { name: 'team-a', dag_id: 'etl', dag_display_name: 'etl' },
          { name: 'etl', dag_id: 'etl', dag_display_name: 'etl' },
        ],
        max_active_tasks: 16,
        max_active_runs: 16,
        max_consecutive_failed_dag_runs: 0,
        has_task_concurrency_limits: false,
        has_import_errors: false,
        next_dagrun_logical_date: null,
        next_dagrun_data_interval_start: null,
        next_dagrun_data_interval_end: null,
        next_dagrun_run_after: null,
        owners: ['data-team'],
        file_token: expect.any(String),
      });
      expect(taskflow).toMatchObject({
        dag_id: 'taskflow_example',
        timetable_summary: null,
        owners: ['airflow'],
        relative_fileloc: 'dags/taskflow.py',
      });

      const errors = await proxy('api-server', '/api/v2/importErrors');
      expect(errors.status).toBe(200);
      expect(errors.body).toEqual({
        import_errors: [
          {
            import_error_id: 1,
            timestamp: expect.stringMatching(microsZ),
            filename: 'dags/broken.py',
            bundle_name: 'dags-folder',
            stack_trace: [
              'Traceback (most recent call last):',
              '  File "/opt/airflow/dags/current/dags/broken.py", line 3',
              '    with DAG("broken",',
              "SyntaxError: '(' was never closed",
              SIMULATED_NOTE,
            ].join('\n'),
          },
        ],
        total_entries: 1,
      });

      const one = await proxy('api-server', '/api/v2/dags/etl');
      expect(one.body).toEqual(etl);
      expect(await proxy('api-server', '/api/v2/dags/nope')).toMatchObject({
        status: 404,
        body: { detail: 'Dag with id nope was not found' },
      });
    });

    it('reads the DAGs of the dag-processor, not of other components', async () => {
      const other = await BundleServer.start({
        deploymentId: 'other',
        token: bundles.token,
      });
      try {
        other.publish(
          await makeBundle({
            'x.py': 'from airflow import DAG\nDAG("scheduler_only")\n',
          }),
        );
        apply(
          airflowComponent({
            namespace: NS,
            component: 'scheduler',
            image,
            url: other.url,
          }),
        );
        const version = bundles.publish(
          await makeBundle({
            'a.py': 'from airflow import DAG\nDAG("processor")\n',
          }),
        );
        await deployAirflow3(version);
        await eventually(() =>
          simulator.control
            .dagSyncStatus(NS)
            .some(s => s.component === 'scheduler' && s.version),
        );
        const answer = await proxy('api-server', '/api/v2/dags');
        expect(answer.body.dags.map((d: any) => d.dag_id)).toEqual([
          'processor',
        ]);
      } finally {
        await other.close();
      }
    });

    it('keeps paused states, marks removed DAGs stale and follows the paused-at-creation setting', async () => {
      const first = bundles.publish(
        await makeBundle({ 'dags/etl.py': ETL, 'dags/taskflow.py': TASKFLOW }),
      );
      apply(
        componentService(NS, 'api-server'),
        airflowComponent({
          namespace: NS,
          component: 'api-server',
          image,
          dagSync: 'none',
        }),
        airflowComponent({
          namespace: NS,
          component: 'dag-processor',
          image,
          url: bundles.url,
          airflowEnv: [
            {
              name: 'AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION',
              value: 'False',
            },
          ],
        }),
      );
      await readyPods('api-server');
      await servedBy('dag-processor', first);
      const listed = await proxy('api-server', '/api/v2/dags');
      expect(listed.body.dags.map((d: any) => [d.dag_id, d.is_paused])).toEqual(
        [
          ['etl', false],
          ['taskflow_example', false],
        ],
      );

      const second = bundles.publish(
        await makeBundle({
          'dags/taskflow.py': TASKFLOW,
          'dags/new.py':
            'from airflow import DAG\nDAG("new", is_paused_upon_creation=True)\n',
        }),
      );
      await servedBy('dag-processor', second);
      const after = await proxy('api-server', '/api/v2/dags');
      expect(after.body.dags.map((d: any) => [d.dag_id, d.is_paused])).toEqual([
        ['new', true],
        ['taskflow_example', false],
      ]);
      const all = await proxy(
        'api-server',
        '/api/v2/dags?exclude_stale=false&order_by=-dag_id',
      );
      expect(all.body.dags.map((d: any) => [d.dag_id, d.is_stale])).toEqual([
        ['taskflow_example', false],
        ['new', false],
        ['etl', true],
      ]);
    });

    it('pages, filters and rejects bad parameters like FastAPI', async () => {
      const version = bundles.publish(
        await makeBundle({
          'a.py':
            'from airflow import DAG\nDAG("alpha", tags=["x"])\nDAG("beta")\nDAG("gamma", tags=["x"])\n',
        }),
      );
      await deployAirflow3(version);
      const page = await proxy('api-server', '/api/v2/dags?limit=1&offset=1');
      expect(page.body.total_entries).toBe(3);
      expect(page.body.dags.map((d: any) => d.dag_id)).toEqual(['beta']);
      expect(
        (
          await proxy('api-server', '/api/v2/dags?tags=x&dag_id_pattern=amm')
        ).body.dags.map((d: any) => d.dag_id),
      ).toEqual(['gamma']);
      expect(
        (await proxy('api-server', '/api/v2/dags?paused=false')).body
          .total_entries,
      ).toBe(0);
      expect(await proxy('api-server', '/api/v2/dags?limit=many')).toEqual(
        expect.objectContaining({
          status: 422,
          body: {
            detail: [
              expect.objectContaining({
                type: 'int_parsing',
                loc: ['query', 'limit'],
                input: 'many',
              }),
            ],
          },
        }),
      );
      expect(
        (await proxy('api-server', '/api/v2/dags?order_by=owner_links')).status,
      ).toBe(400);
    });

    it('omits the display name of tags on Airflow 3.0', async () => {
      const version = bundles.publish(await makeBundle({ 'dags/etl.py': ETL }));
      apply(
        componentService(NS, 'api-server'),
        airflowComponent({
          namespace: NS,
          component: 'api-server',
          image: 'apache/airflow:3.0.6',
          dagSync: 'none',
        }),
        airflowComponent({
          namespace: NS,
          component: 'dag-processor',
          image: 'apache/airflow:3.0.6',
          url: bundles.url,
        }),
      );
      await readyPods('api-server');
      await servedBy('dag-processor', version);
      const answer = await proxy('api-server', '/api/v2/dags');
      expect(answer.body.dags[0].tags).toEqual([
        { name: 'team-a', dag_id: 'etl' },
        { name: 'etl', dag_id: 'etl' },
      ]);
    });

    it('keeps listing the last parsed DAGs while the dag-processor is down', async () => {
      const version = bundles.publish(await makeBundle({ 'dags/etl.py': ETL }));
      await deployAirflow3(version);
      expect(
        (await proxy('api-server', '/api/v2/dags')).body.total_entries,
      ).toBe(1);
      simulator.control.setCrashLoop(NS, 'dag-processor');
      await eventually(() =>
        simulator.control
          .listObjects({ apiVersion: 'v1', kind: 'Pod', namespace: NS })
          .filter(pod => pod.metadata.labels?.app === 'dag-processor')
          .every(pod =>
            ((pod.status as any)?.conditions ?? []).some(
              (c: any) => c.type === 'Ready' && c.status === 'False',
            ),
          ),
      );
      expect(
        (await proxy('api-server', '/api/v2/dags')).body.total_entries,
      ).toBe(1);
    });
  });

  describe('on Airflow 2 (/api/v1)', () => {
    const image = 'apache/airflow:2.10.5';

    it('lists the DAGs the scheduler parses, in the DAG schema of the v1 API', async () => {
      const version = bundles.publish(
        await makeBundle({
          'dags/etl.py': ETL,
          'dags/taskflow.py': TASKFLOW,
          'dags/legacy.py':
            'from airflow import DAG\nDAG("legacy", schedule_interval="@hourly")\nDAG("default_schedule")\n',
          'dags/broken.py': BROKEN,
        }),
      );
      apply(
        componentService(NS, 'webserver'),
        airflowComponent({
          namespace: NS,
          component: 'webserver',
          image,
          dagSync: 'none',
        }),
        airflowComponent({
          namespace: NS,
          component: 'scheduler',
          image,
          url: bundles.url,
        }),
      );
      await readyPods('webserver');
      await servedBy('scheduler', version);

      expect((await proxy('webserver', '/api/v2/dags')).status).toBe(404);
      const answer = await proxy('webserver', '/api/v1/dags');
      expect(answer.status).toBe(200);
      expect(answer.body.total_entries).toBe(4);
      const byId = Object.fromEntries(
        answer.body.dags.map((d: any) => [d.dag_id, d]),
      );
      expect(Object.keys(byId).sort()).toEqual([
        'default_schedule',
        'etl',
        'legacy',
        'taskflow_example',
      ]);
      expect(Object.keys(byId.etl).sort()).toEqual(DAG_V1_FIELDS);
      expect(byId.etl).toEqual({
        dag_id: 'etl',
        dag_display_name: 'etl',
        is_paused: true,
        is_active: true,
        last_parsed_time: expect.stringMatching(microsOffset),
        last_pickled: null,
        last_expired: null,
        scheduler_lock: null,
        pickle_id: null,
        default_view: 'grid',
        fileloc: '/opt/airflow/dags/current/dags/etl.py',
        file_token: expect.any(String),
        owners: ['data-team'],
        description: 'Nightly load',
        schedule_interval: { __type: 'CronExpression', value: '0 3 * * *' },
        timetable_description: null,
        tags: [{ name: 'team-a' }, { name: 'etl' }],
        max_active_tasks: 16,
        max_active_runs: 16,
        has_task_concurrency_limits: false,
        has_import_errors: false,
        next_dagrun: null,
        next_dagrun_data_interval_start: null,
        next_dagrun_data_interval_end: null,
        next_dagrun_create_after: null,
        max_consecutive_failed_dag_runs: 0,
      });
      expect(byId.legacy.schedule_interval).toEqual({
        __type: 'CronExpression',
        value: '@hourly',
      });
      expect(byId.default_schedule.schedule_interval).toEqual({
        __type: 'TimeDelta',
        days: 1,
        seconds: 0,
        microseconds: 0,
      });
      expect(byId.taskflow_example.schedule_interval).toBeNull();

      const errors = await proxy('webserver', '/api/v1/importErrors');
      expect(errors.body).toEqual({
        import_errors: [
          {
            import_error_id: 1,
            timestamp: expect.stringMatching(microsOffset),
            filename: '/opt/airflow/dags/current/dags/broken.py',
            stack_trace: expect.stringContaining(
              "SyntaxError: '(' was never closed",
            ),
          },
        ],
        total_entries: 1,
      });
      expect(await proxy('webserver', '/api/v1/dags?limit=-1')).toMatchObject({
        status: 400,
        body: { status: 400, title: 'Bad Request' },
      });
      expect(await proxy('webserver', '/api/v1/dags/nope')).toMatchObject({
        status: 404,
        body: {
          detail: 'The DAG with dag_id: nope was not found',
          status: 404,
        },
      });
    });

    it('reads a standalone dag-processor instead of the scheduler', async () => {
      const other = await BundleServer.start({
        deploymentId: 'other',
        token: bundles.token,
      });
      try {
        other.publish(
          await makeBundle({
            'x.py': 'from airflow import DAG\nDAG("from_scheduler")\n',
          }),
        );
        const version = bundles.publish(
          await makeBundle({
            'a.py': 'from airflow import DAG\nDAG("from_processor")\n',
          }),
        );
        apply(
          componentService(NS, 'webserver'),
          airflowComponent({
            namespace: NS,
            component: 'webserver',
            image,
            dagSync: 'none',
          }),
          airflowComponent({
            namespace: NS,
            component: 'scheduler',
            image,
            url: other.url,
          }),
          airflowComponent({
            namespace: NS,
            component: 'dag-processor',
            image,
            url: bundles.url,
          }),
        );
        await readyPods('webserver');
        await servedBy('dag-processor', version);
        const answer = await proxy('webserver', '/api/v1/dags');
        expect(answer.body.dags.map((d: any) => d.dag_id)).toEqual([
          'from_processor',
        ]);
      } finally {
        await other.close();
      }
    });
  });

  it('lists no DAGs before any bundle was served, and shows them on the simulated UI page', async () => {
    apply(
      componentService(NS, 'api-server'),
      airflowComponent({
        namespace: NS,
        component: 'api-server',
        dagSync: 'none',
      }),
      airflowComponent({
        namespace: NS,
        component: 'dag-processor',
        url: bundles.url,
      }),
    );
    await readyPods('api-server');
    expect((await proxy('api-server', '/api/v2/dags')).body).toEqual({
      dags: [],
      total_entries: 0,
    });
    const version = bundles.publish(await makeBundle({ 'dags/etl.py': ETL }));
    await servedBy('dag-processor', version);
    const cookie = await signInToSimulatedAirflow(simulator.url, NS, jwtSecret);
    const page = await fetch(`${simulator.url}/airflow/${NS}/`, {
      headers: { cookie },
    });
    const html = await page.text();
    expect(html).toContain('Simulated DAGs');
    expect(html).toContain('<th scope="row">etl</th><td>paused</td>');
  });
});
