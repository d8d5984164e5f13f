import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const DEPS = '/api/astro/organizations/acme/deployments';

const healthyOn = (version: string) => (d: any) =>
  d.status === 'HEALTHY' &&
  d.observedGeneration === d.generation &&
  d.settings.airflowVersion === version &&
  d.conditions.some(
    (c: any) =>
      c.type === 'DatabaseMigration' &&
      c.status === 'True' &&
      c.message.includes(version),
  );

const conditionOf = (d: any, type: string) =>
  d.conditions.find((c: any) => c.type === type);

describe('Airflow upgrades on the simulator', () => {
  let simulator: KubernetesSimulator;
  let backend: Awaited<ReturnType<typeof startEngineTestBackend>>;
  let api: request.Agent;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    backend = await startEngineTestBackend({
      knex: await databases.init('SQLITE_3'),
      simulator,
      encryptionKey: testEncryptionKey(),
    });
    api = backend.api;
    await api
      .post('/api/astro/organizations')
      .send({ name: 'acme' })
      .expect(201);
    await api
      .post('/api/astro/organizations/acme/workspaces')
      .send({ name: 'data-eng' })
      .expect(201);
  });

  afterAll(async () => {
    await backend.stop();
    await simulator.stop();
  });

  const waitUntil = (
    name: string,
    predicate: (d: any) => boolean,
    what: string,
  ) =>
    waitFor(
      async () => {
        const response = await api.get(`${DEPS}/${name}`);
        return response.status === 200 && predicate(response.body)
          ? response.body
          : undefined;
      },
      { what: `${name} ${what}`, timeoutMs: 60_000 },
    );

  async function create(name: string, airflowVersion: string) {
    const created = await api
      .post(DEPS)
      .send({
        name,
        workspace: 'data-eng',
        cluster: SIM_CLUSTER,
        settings: { airflowVersion },
      })
      .expect(201);
    await waitUntil(
      name,
      healthyOn(airflowVersion),
      `HEALTHY on ${airflowVersion}`,
    );
    return created.body.namespace as string;
  }

  const deployment = (namespace: string, name: string) =>
    simulator.control.getObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name,
    }) as any;
  const imageOf = (namespace: string, name: string) =>
    deployment(namespace, name)?.spec.template.spec.containers[0].image;
  const migrationJobs = (namespace: string) =>
    simulator.control
      .listObjects({ apiVersion: 'batch/v1', kind: 'Job', namespace })
      .map((job: any) => job);

  it('upgrades 2.11 to 3.x: migrates with the old components running, then switches the webserver to the api-server', async () => {
    const namespace = await create('legacy', '2.11.0');
    expect(imageOf(namespace, 'webserver')).toBe('apache/airflow:2.11.0');
    expect(deployment(namespace, 'api-server')).toBeUndefined();
    const before = await api.get(`${DEPS}/legacy`).expect(200);
    // 2.11.0 is deprecated in the default catalog.
    expect(conditionOf(before.body, 'AirflowVersionSupported')).toMatchObject({
      status: 'False',
      reason: 'Deprecated',
    });
    simulator.control.resetStats();

    await api
      .patch(`${DEPS}/legacy`)
      .send({ settings: { airflowVersion: '3.1.3' } })
      .expect(200);
    const upgraded = await waitUntil(
      'legacy',
      d => healthyOn('3.1.3')(d) && !deployment(namespace, 'webserver'),
      'HEALTHY on 3.1.3 without the webserver',
    );
    expect(conditionOf(upgraded, 'AirflowVersionSupported')).toMatchObject({
      status: 'True',
    });
    expect(imageOf(namespace, 'api-server')).toBe('apache/airflow:3.1.3');
    expect(imageOf(namespace, 'scheduler')).toBe('apache/airflow:3.1.3');
    expect(imageOf(namespace, 'dag-processor')).toBe('apache/airflow:3.1.3');
    const jwt = deployment(
      namespace,
      'api-server',
    ).spec.template.spec.containers[0].env.find(
      (e: any) => e.name === 'AIRFLOW__API_AUTH__JWT_SECRET',
    );
    expect(jwt.valueFrom.secretKeyRef.key).toBe('jwt-secret');

    // Order of the writes: the new Job first, then the 3.x components, and
    // the webserver goes only after the api-server was applied.
    const writes = simulator.control
      .stats()
      .writes.filter(w => w.namespace === namespace && w.status < 300)
      .map(w => `${w.verb} ${w.kind}/${w.name}`);
    const job = writes.findIndex(w => /^apply Job\/migrate-db-/.test(w));
    const apiServer = writes.indexOf('apply Deployment/api-server');
    const scheduler = writes.indexOf('apply Deployment/scheduler');
    const webserverGone = writes.indexOf('delete Deployment/webserver');
    expect(job).toBeGreaterThanOrEqual(0);
    expect(apiServer).toBeGreaterThan(job);
    expect(scheduler).toBeGreaterThan(job);
    expect(webserverGone).toBeGreaterThan(apiServer);
    // One Job is left: the old release's was pruned after the switch.
    expect(migrationJobs(namespace)).toHaveLength(1);
  });

  it('keeps the old release running when the migration Job fails, shows why, and rolls after a retry', async () => {
    const namespace = await create('fragile', '3.0.6');
    simulator.control.failNextJob({ namespace });

    await api
      .patch(`${DEPS}/fragile`)
      .send({ settings: { airflowVersion: '3.1.3' } })
      .expect(200);
    const failed = await waitUntil(
      'fragile',
      d =>
        d.status === 'UNHEALTHY' &&
        conditionOf(d, 'DatabaseMigration')?.reason === 'MigrationFailed',
      'UNHEALTHY with a failed migration',
    );
    expect(failed.statusReason).toMatch(
      /Moving to Airflow 3\.1\.3 failed: the migration Job migrate-db-\w+ failed \(BackoffLimitExceeded/,
    );
    expect(failed.statusReason).toMatch(/Airflow 3\.0\.6 keeps running/);
    const migration = conditionOf(failed, 'DatabaseMigration');
    // The tail of the migration pod's log, read through the pod log endpoint.
    expect(migration.message).toMatch(/Last lines of the migration log/);
    expect(migration.message).toMatch(/\[simulated\] exited with code 1/);
    // The components still run the old release, and stay on it.
    expect(imageOf(namespace, 'scheduler')).toBe('apache/airflow:3.0.6');
    expect(imageOf(namespace, 'api-server')).toBe('apache/airflow:3.0.6');
    // The move failing opens one migration-failed incident (monitoring pass).
    const open = await waitFor(
      async () => {
        const { body } = await api.get(`${DEPS}/fragile/incidents`).expect(200);
        const items = body.items.filter((i: any) => i.state === 'open');
        return items.length > 0 && items;
      },
      { what: 'the migration-failed incident' },
    );
    expect(open.map((i: any) => i.kind)).toEqual(['migration-failed']);
    await new Promise(resolve => setTimeout(resolve, 2500));
    expect(imageOf(namespace, 'scheduler')).toBe('apache/airflow:3.0.6');
    expect((await api.get(`${DEPS}/fragile`)).body.status).toBe('UNHEALTHY');

    // The simulator fails one Job only: the retry's Job succeeds.
    await api.post(`${DEPS}/fragile/migration/retry`).expect(202);
    await waitUntil('fragile', healthyOn('3.1.3'), 'HEALTHY on 3.1.3');
    expect(imageOf(namespace, 'scheduler')).toBe('apache/airflow:3.1.3');
    expect(imageOf(namespace, 'api-server')).toBe('apache/airflow:3.1.3');
    const nothingToRetry = await api
      .post(`${DEPS}/fragile/migration/retry`)
      .expect(409);
    expect(nothingToRetry.body.error.message).toMatch(
      /no failed database migration/,
    );
  });

  it('reverts a failed upgrade by setting the old version back, without force', async () => {
    const namespace = await create('revert', '3.0.6');
    simulator.control.failNextJob({ namespace });
    await api
      .patch(`${DEPS}/revert`)
      .send({ settings: { airflowVersion: '3.1.3' } })
      .expect(200);
    await waitUntil(
      'revert',
      d => d.status === 'UNHEALTHY',
      'UNHEALTHY with a failed migration',
    );
    // The database is still at 3.0.6: going back is no downgrade.
    await api
      .patch(`${DEPS}/revert`)
      .send({ settings: { airflowVersion: '3.0.6' } })
      .expect(200);
    await waitUntil('revert', healthyOn('3.0.6'), 'HEALTHY on 3.0.6 again');
    expect(imageOf(namespace, 'scheduler')).toBe('apache/airflow:3.0.6');
    // The failed Job was pruned.
    expect(migrationJobs(namespace)).toHaveLength(1);
  });

  it('refuses a downgrade across a migration without force and runs airflow db downgrade with it', async () => {
    const namespace = await create('newest', '3.1.3');
    const refused = await api
      .patch(`${DEPS}/newest`)
      .send({ settings: { airflowVersion: '3.0.6' } })
      .expect(400);
    expect(refused.body.error.message).toMatch(/settings\.airflowVersion/);
    expect(refused.body.error.message).toMatch(/force=true/);

    simulator.control.resetStats();
    await api
      .patch(`${DEPS}/newest?force=true`)
      .send({ settings: { airflowVersion: '3.0.6' } })
      .expect(200);
    await waitUntil('newest', healthyOn('3.0.6'), 'HEALTHY on 3.0.6');
    expect(imageOf(namespace, 'scheduler')).toBe('apache/airflow:3.0.6');
    // A downgrade Job ran first (then pruned), then the 3.0.6 release's
    // own Job (a no-op migrate at its head) before the components rolled.
    const jobWrites = simulator.control
      .stats()
      .writes.filter(
        w => w.namespace === namespace && w.kind === 'Job' && w.status < 300,
      )
      .map(w => `${w.verb} ${w.name}`);
    const applied = jobWrites.filter(w => w.startsWith('apply '));
    expect(new Set(applied).size).toBe(2);
    const [downgradeJob] = applied[0].split(' ').slice(1);
    expect(jobWrites).toContain(`delete ${downgradeJob}`);
    const events = await api.get(`${DEPS}/newest/events`).expect(200);
    expect(events.body.items.map((e: any) => e.message)).toContainEqual(
      `Metadata database downgraded from Airflow 3.1.3 to 3.0.6 (Job ${downgradeJob}); rolling the components`,
    );
  });
});
