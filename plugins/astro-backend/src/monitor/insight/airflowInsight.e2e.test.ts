/*
 * Airflow insight end to end: the backend reads DAGs, runs, import
 * errors, pools and heartbeats from the simulated Airflow of Deployments
 * it provisioned on the simulator, through the production Kubernetes
 * driver's service proxy with its service credential, and acts on them
 * (pause, trigger, clear). The simulated Airflow's clock drives the runs.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../../__testUtils__/engineTestBackend';
import { makeBundle } from '../../deploys/__testUtils__/bundles';

jest.setTimeout(180_000);

const ORG = '/api/astro/organizations/acme';
const HOURLY = `from airflow import DAG
with DAG(dag_id="hourly", schedule="@hourly", is_paused_upon_creation=False,
         tags=["etl"], default_args={"owner": "data-team"}):
    pass
`;
const MANUAL = `from airflow import DAG
with DAG(dag_id="manual", schedule=None, is_paused_upon_creation=False):
    pass
`;
const BROKEN = `# simulated-import-error: ModuleNotFoundError: No module named 'pandas'
from airflow import DAG
`;
const HOUR = 3600;

describe('Airflow insight through the backend on the simulator', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let simulator: KubernetesSimulator;
  let api: request.Agent;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    const backend = await startEngineTestBackend({
      knex: await databases.init('SQLITE_3'),
      simulator,
      encryptionKey: testEncryptionKey(),
      bundleBaseUrl: 'discovered',
      config: {
        deploys: { syncIntervalSeconds: 1, timeoutSeconds: 60 },
        monitor: {
          schedule: { frequency: { seconds: 1 }, timeout: { seconds: 30 } },
          airflowInsight: { cacheSeconds: 1 },
        },
      },
    });
    api = backend.api;
    stop = backend.stop;
    await api
      .post('/api/astro/organizations')
      .send({ name: 'acme' })
      .expect(201);
    await api.post(`${ORG}/workspaces`).send({ name: 'data-eng' }).expect(201);
  });

  afterAll(async () => {
    await stop?.();
    await simulator?.stop();
  });

  /** Creates a Deployment, waits until it is healthy; its namespace. */
  async function healthyDeployment(
    name: string,
    settings: Record<string, unknown> = {},
  ): Promise<string> {
    const created = await api
      .post(`${ORG}/deployments`)
      .send({ name, workspace: 'data-eng', cluster: SIM_CLUSTER, settings })
      .expect(201);
    // Not provisioned yet: Airflow is not running.
    const early = await api.get(`${ORG}/deployments/${name}/airflow/dags`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/is not running/);
    await waitFor(
      async () => {
        const { body } = await api.get(`${ORG}/deployments/${name}`);
        return body.status === 'HEALTHY' && body.airflowUrl;
      },
      { what: `Deployment ${name} to be HEALTHY`, timeoutMs: 90_000 },
    );
    return created.body.namespace;
  }

  async function deployDags(name: string, files: Record<string, string>) {
    const bundle = await makeBundle([
      { name: 'dags', type: 'directory' },
      ...Object.entries(files).map(([file, content]) => ({
        name: `dags/${file}`,
        content,
      })),
    ]);
    await api
      .post(`${ORG}/deployments/${name}/deploys`)
      .query({ checksum: bundle.checksum })
      .set('Content-Type', 'application/gzip')
      .send(bundle.bytes)
      .expect(201);
  }

  const dagIds = async (name: string) => {
    const { status, body } = await api.get(
      `${ORG}/deployments/${name}/airflow/dags`,
    );
    return status === 200 && body.items.length > 0
      ? (body.items.map((d: { dagId: string }) => d.dagId) as string[])
      : undefined;
  };

  it('shows deployed DAGs, runs from the simulated clock, failures with links, pause, trigger and clear', async () => {
    const DEP = `${ORG}/deployments/etl`;
    // The simulated scheduler starts three hours ago, on the hour.
    const start = Math.floor(Date.now() / (HOUR * 1000)) * HOUR * 1000;
    simulator.control.setAirflowClock({
      now: new Date(start - 3 * HOUR * 1000).toISOString(),
      frozen: true,
    });
    const namespace = await healthyDeployment('etl');
    await deployDags('etl', {
      'hourly.py': HOURLY,
      'manual.py': MANUAL,
      'broken.py': BROKEN,
    });
    expect(
      await waitFor(() => dagIds('etl'), {
        what: 'the deployed DAGs through the backend',
        timeoutMs: 60_000,
      }),
    ).toEqual(['hourly', 'manual']);
    const listed = await api.get(`${DEP}/airflow/dags`).expect(200);
    expect(listed.body.airflowApi).toBe('v2');
    expect(listed.body.items[0]).toMatchObject({
      dagId: 'hourly',
      isPaused: false,
      schedule: '@hourly',
      owners: ['data-team'],
      tags: ['etl'],
      lastParsedAt: expect.any(String),
      lastRunState: null,
    });

    const errors = await api.get(`${DEP}/airflow/import-errors`).expect(200);
    expect(errors.body.items).toEqual([
      expect.objectContaining({
        filename: expect.stringContaining('broken.py'),
        stackTrace: expect.stringContaining('pandas'),
      }),
    ]);
    const pools = await api.get(`${DEP}/airflow/pools`).expect(200);
    expect(pools.body.items[0]).toMatchObject({
      name: 'default_pool',
      slots: 128,
    });
    const beats = await api.get(`${DEP}/airflow/heartbeats`).expect(200);
    expect(beats.body).toMatchObject({
      metadatabase: 'healthy',
      scheduler: { status: 'healthy', latestHeartbeat: expect.any(String) },
      dagProcessor: { status: 'healthy' },
    });

    // Two hours pass: two successful hourly runs.
    simulator.control.setAirflowClock({ advanceSeconds: 2 * HOUR + 120 });
    const summary = await waitFor(
      async () => {
        const { body } = await api.get(`${DEP}/airflow/runs/summary`);
        return body.last24h?.success === 2 ? body : undefined;
      },
      { what: 'two successful runs in the summary' },
    );
    expect(summary).toMatchObject({
      last24h: { success: 2, failed: 0, running: 0, queued: 0 },
      last7d: { success: 2 },
      lastFailures: [],
      truncated: false,
      airflowApi: 'v2',
    });

    // The next run fails: it shows with a link into the Airflow UI.
    simulator.control.setDagOutcome(namespace, 'hourly', {
      state: 'failed',
      durationSeconds: 30,
    });
    simulator.control.setAirflowClock({ advanceSeconds: HOUR });
    const failing = await waitFor(
      async () => {
        const { body } = await api.get(`${DEP}/airflow/runs/summary`);
        return body.last24h?.failed === 1 ? body : undefined;
      },
      { what: 'the failed run in the summary' },
    );
    const [failure] = failing.lastFailures;
    expect(failure).toMatchObject({ dagId: 'hourly', state: 'failed' });
    const { airflowUrl } = (await api.get(DEP).expect(200)).body;
    expect(failure.url).toBe(
      `${airflowUrl}/dags/hourly/runs/${encodeURIComponent(failure.runId)}`,
    );
    const dags = (await api.get(`${DEP}/airflow/dags`).expect(200)).body;
    expect(dags.items[0]).toMatchObject({
      lastRunState: 'failed',
      runs24h: { success: 2, failed: 1 },
    });

    // Clearing a run that did not fail is refused; clearing the failed one re-runs it.
    simulator.control.clearDagOutcome(namespace, 'hourly');
    const runPath = (runId: string) =>
      `${DEP}/airflow/dags/hourly/runs/${encodeURIComponent(runId)}/clear`;
    const cleared = await api.post(runPath(failure.runId)).expect(200);
    expect(cleared.body).toMatchObject({
      runId: failure.runId,
      state: 'queued',
    });
    const again = await api.post(runPath(failure.runId));
    expect(again.status).toBe(409);
    simulator.control.setAirflowClock({ advanceSeconds: 120 });
    await waitFor(
      async () => {
        const { body } = await api.get(`${DEP}/airflow/runs/summary`);
        return body.last24h?.failed === 0 && body.last24h?.success === 3;
      },
      { what: 'the cleared run to succeed' },
    );

    // Paused, the DAG makes no runs.
    const paused = await api
      .patch(`${DEP}/airflow/dags/hourly`)
      .send({ isPaused: true })
      .expect(200);
    expect(paused.body).toMatchObject({ dagId: 'hourly', isPaused: true });
    expect(
      (await api.get(`${DEP}/airflow/dags`).expect(200)).body.items[0].isPaused,
    ).toBe(true);
    simulator.control.setAirflowClock({ advanceSeconds: 3 * HOUR });
    await new Promise(resolve => setTimeout(resolve, 1100));
    const whilePaused = (
      await api.get(`${DEP}/airflow/runs/summary`).expect(200)
    ).body;
    expect(whilePaused.last7d.success + whilePaused.last7d.failed).toBe(3);
    await api
      .patch(`${DEP}/airflow/dags/hourly`)
      .send({ isPaused: false })
      .expect(200);

    // A trigger creates a run with its conf.
    const triggered = await api
      .post(`${DEP}/airflow/dags/manual/runs`)
      .send({ conf: { full_refresh: true } })
      .expect(201);
    expect(triggered.body).toMatchObject({
      dagId: 'manual',
      runType: 'manual',
      state: 'queued',
      url: expect.stringContaining('/dags/manual/runs/'),
    });
    const manual = (await api.get(`${DEP}/airflow/dags`).expect(200)).body
      .items[1];
    expect(manual).toMatchObject({ dagId: 'manual', lastRunState: 'queued' });
    const unknown = await api.post(`${DEP}/airflow/dags/nope/runs`).send({});
    expect(unknown.status).toBe(404);
    const badBody = await api
      .post(`${DEP}/airflow/dags/manual/runs`)
      .send({ conf: 'yes' });
    expect(badBody.status).toBe(400);

    // Every action is in the Deployment's history, naming the actor.
    const events = (await api.get(`${DEP}/events`).expect(200)).body.items;
    const actions = events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'airflow-dag-run-cleared',
        'airflow-dag-paused',
        'airflow-dag-unpaused',
        'airflow-dag-run-triggered',
      ]),
    );
    expect(
      events.find((e: { action: string }) => e.action === 'airflow-dag-paused')
        .actor,
    ).toBe('user:default/mock');
  });

  it('sends one request to Airflow for many concurrent page views', async () => {
    const DEP = `${ORG}/deployments/etl`;
    await new Promise(resolve => setTimeout(resolve, 1100));
    simulator.control.resetStats();
    const views = await Promise.all(
      Array.from({ length: 20 }, () => api.get(`${DEP}/airflow/dags`)),
    );
    expect(views.map(v => v.status)).toEqual(Array(20).fill(200));
    const namespace = (await api.get(DEP).expect(200)).body.namespace;
    const routes = simulator.control.stats().airflow[namespace];
    expect(routes['GET /api/v2/dags']).toBe(1);
    expect(routes['POST /api/v2/dags/~/dagRuns/list']).toBe(1);
  });

  it('answers 503 naming what failed when Airflow answers an error, without the credential', async () => {
    const DEP = `${ORG}/deployments/etl`;
    await new Promise(resolve => setTimeout(resolve, 1100));
    simulator.control.setFaults({ errorRates: { proxy: 1 }, errorStatus: 500 });
    try {
      const answer = await api.get(`${DEP}/airflow/pools`);
      expect(answer.status).toBe(503);
      expect(answer.body.error.name).toBe('ServiceUnavailableError');
      expect(answer.body.error.message).toMatch(
        /The Airflow of Deployment "acme\/etl" answered 500 to GET \/api\/v2\/pools/,
      );
      expect(JSON.stringify(answer.body)).not.toMatch(/eyJ/);
    } finally {
      simulator.control.clearFaults();
    }
  });

  it('reads an Airflow 2 Deployment through the v1 API', async () => {
    const namespace = await healthyDeployment('legacy', {
      airflowVersion: '2.10.5',
    });
    await deployDags('legacy', { 'hourly.py': HOURLY });
    expect(
      await waitFor(() => dagIds('legacy'), {
        what: 'the DAGs of the Airflow 2 Deployment',
        timeoutMs: 60_000,
      }),
    ).toEqual(['hourly']);
    const DEP = `${ORG}/deployments/legacy`;
    expect(
      (await api.get(`${DEP}/airflow/dags`).expect(200)).body,
    ).toMatchObject({
      airflowApi: 'v1',
      items: [{ dagId: 'hourly', schedule: '@hourly', owners: ['data-team'] }],
    });
    simulator.control.setDagOutcome(namespace, 'hourly', {
      state: 'failed',
      durationSeconds: 10,
    });
    simulator.control.setAirflowClock({ advanceSeconds: HOUR + 60 });
    const summary = await waitFor(
      async () => {
        const { body } = await api.get(`${DEP}/airflow/runs/summary`);
        return body.last7d?.failed === 1 ? body : undefined;
      },
      { what: 'the failed Airflow 2 run' },
    );
    expect(summary.airflowApi).toBe('v1');
    expect(summary.lastFailures[0].url).toMatch(
      /\/dags\/hourly\/grid\?dag_run_id=/,
    );
    const heartbeats = await api.get(`${DEP}/airflow/heartbeats`).expect(200);
    expect(heartbeats.body.scheduler.status).toBe('healthy');
  });
});
