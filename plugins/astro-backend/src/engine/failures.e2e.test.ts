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

describe('the engine under faults', () => {
  let simulator: KubernetesSimulator;
  let backend: Awaited<ReturnType<typeof startEngineTestBackend>>;
  let api: request.Agent;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    backend = await startEngineTestBackend({
      knex: await databases.init('SQLITE_3'),
      simulator,
      encryptionKey: testEncryptionKey(),
      config: {
        kubernetesDriver: { requestTimeoutMs: 2000 },
        // So that a quota too small for the settings can be written.
        deployments: { allowQuotaOversubscription: true },
      },
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

  const get = async (name: string) => (await api.get(`${DEPS}/${name}`)).body;
  const waitUntil = (
    name: string,
    predicate: (d: any) => boolean,
    what: string,
  ) =>
    waitFor(
      async () => {
        const deployment = await get(name);
        return predicate(deployment) ? deployment : undefined;
      },
      { what: `${name} ${what}`, timeoutMs: 60_000 },
    );
  const healthy = (d: any) =>
    d.status === 'HEALTHY' && d.observedGeneration === d.generation;

  async function create(name: string) {
    const created = await api
      .post(DEPS)
      .send({ name, workspace: 'data-eng', cluster: SIM_CLUSTER })
      .expect(201);
    return created.body.namespace as string;
  }

  it('reports a crash-looping scheduler as UNHEALTHY with an incident, and recovers', async () => {
    const namespace = await create('crashy');
    await waitUntil('crashy', healthy, 'HEALTHY');

    simulator.control.setCrashLoop(namespace, 'scheduler');
    const unhealthy = await waitUntil(
      'crashy',
      d => d.status === 'UNHEALTHY',
      'UNHEALTHY',
    );
    expect(unhealthy.statusReason).toMatch(/scheduler: CrashLoopBackOff/);
    // The monitoring pass (every second here) opens the keyed incident.
    const open = await waitFor(
      async () => {
        const { body } = await api.get(`${DEPS}/crashy/incidents`).expect(200);
        return body.items.length > 0 && body;
      },
      { what: 'the crash-loop incident' },
    );
    expect(open.items).toEqual([
      expect.objectContaining({
        kind: 'crash-loop',
        subject: 'scheduler',
        state: 'open',
        component: 'scheduler',
        severity: 'critical',
      }),
    ]);

    const organizationWide = await api
      .get('/api/astro/organizations/acme/incidents?state=open')
      .expect(200);
    expect(organizationWide.body.items).toEqual([
      expect.objectContaining({ deployment: 'crashy', state: 'open' }),
    ]);

    simulator.control.setCrashLoop(namespace, 'scheduler', false);
    await waitUntil('crashy', healthy, 'HEALTHY again');
    const resolved = await waitFor(
      async () => {
        const { body } = await api.get(`${DEPS}/crashy/incidents`).expect(200);
        return body.items[0]?.state === 'resolved' && body.items[0];
      },
      { what: 'the crash-loop incident to be resolved' },
    );
    expect(resolved.resolvedAt).toBeDefined();
  });

  it('retries a failed database migration with backoff', async () => {
    simulator.control.failNextJob();
    await create('migrates');
    const failed = await waitUntil(
      'migrates',
      d => d.status === 'UNHEALTHY',
      'UNHEALTHY',
    );
    expect(failed.statusReason).toMatch(/migration Job .* failed/);
    await waitUntil('migrates', healthy, 'HEALTHY after the retry');
  });

  it('sends no object twice when applies fail in the middle of a pass', async () => {
    simulator.control.resetStats();
    // One apply in five fails while the first passes run.
    simulator.control.setFaults({
      errorRates: { apply: 0.2 },
      errorStatus: 503,
    });
    const namespace = await create('flaky');
    await new Promise(resolve => setTimeout(resolve, 3000));
    simulator.control.clearFaults();
    await waitUntil('flaky', healthy, 'HEALTHY');
    const stats = simulator.control.stats();
    const applies = stats.writes.filter(
      w => w.verb === 'apply' && w.namespace === namespace && !w.dryRun,
    );
    // Faults did cut passes short (injected failures never reach the write
    // log, so more applies were sent than logged) ...
    expect(stats.requests.apply).toBeGreaterThan(applies.length);
    // ... and every object the engine had applied before a failure was
    // known as applied afterwards: no apply found its content stored.
    expect(
      applies.filter(w => w.status < 300 && !w.changed).map(w => w.kind),
    ).toEqual([]);
  });

  it('shows an unreachable cluster as UNKNOWN and converges once it is back', async () => {
    await create('patient');
    await waitUntil('patient', healthy, 'HEALTHY');

    await simulator.control.makeUnavailable(6000);
    await api
      .patch(`${DEPS}/patient`)
      .send({ settings: { schedulerSize: 'MEDIUM' } })
      .expect(200);
    const unknown = await waitUntil(
      'patient',
      d => d.status === 'UNKNOWN',
      'UNKNOWN',
    );
    expect(unknown.statusReason).toMatch(/unreachable/);

    await simulator.control.whenAvailable();
    const back = await waitUntil(
      'patient',
      d => healthy(d) && d.generation === 2,
      'converged on generation 2',
    );
    expect(back.settings.schedulerSize).toBe('MEDIUM');
  });

  it('explains a Deployment its resource quota cannot hold', async () => {
    await create('starved');
    await waitUntil('starved', healthy, 'HEALTHY');

    // Two workers of 1 CPU do not fit a quota of 1.5 CPU next to the rest.
    await api
      .patch(`${DEPS}/starved`)
      .send({
        settings: {
          resourceQuota: { cpu: '1500m', memory: '40Gi' },
          workerQueues: [
            { name: 'default', isDefault: true, minWorkers: 2, maxWorkers: 4 },
          ],
        },
      })
      .expect(200);
    const starved = await waitUntil(
      'starved',
      d => d.status === 'UNHEALTHY',
      'UNHEALTHY',
    );
    expect(starved.statusReason).toMatch(/Resource quota exceeded/);
    // The renderer said so before the cluster did.
    expect(starved.conditions).toContainEqual(
      expect.objectContaining({
        type: 'QuotaTooSmall',
        status: 'True',
        message: expect.stringMatching(
          /^settings\.resourceQuota\.cpu: 1500m is less than the /,
        ),
      }),
    );
  });

  it('reports a field another manager took over as a conflict instead of forcing it', async () => {
    const namespace = await create('contested');
    await waitUntil('contested', healthy, 'HEALTHY');

    // Someone else takes over the scheduler's replicas with kubectl-style force.
    const scheduler = simulator.control.getObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: 'scheduler',
    })!;
    simulator.control.applyObject(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'scheduler', namespace },
        spec: { ...(scheduler.spec as object), replicas: 3 },
      },
      { fieldManager: 'kubectl', force: true },
    );

    const conflicted = await waitUntil(
      'contested',
      d => d.status === 'UNHEALTHY',
      'UNHEALTHY',
    );
    expect(conflicted.statusReason).toMatch(
      /Conflict with another field manager/,
    );
    expect(conflicted.statusReason).toMatch(/kubectl/);
  });
});

describe('the engine with astro.reconciler.forceConflicts', () => {
  let simulator: KubernetesSimulator;
  let backend: Awaited<ReturnType<typeof startEngineTestBackend>>;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    backend = await startEngineTestBackend({
      knex: await databases.init('SQLITE_3'),
      simulator,
      encryptionKey: testEncryptionKey(),
      config: { reconciler: { forceConflicts: true } },
    });
    await backend.api
      .post('/api/astro/organizations')
      .send({ name: 'acme' })
      .expect(201);
    await backend.api
      .post('/api/astro/organizations/acme/workspaces')
      .send({ name: 'data-eng' })
      .expect(201);
  });

  afterAll(async () => {
    await backend.stop();
    await simulator.stop();
  });

  it('takes a field another manager took over back instead of reporting a conflict', async () => {
    const { api } = backend;
    const created = await api
      .post(DEPS)
      .send({ name: 'contested', workspace: 'data-eng', cluster: SIM_CLUSTER })
      .expect(201);
    const namespace: string = created.body.namespace;
    await waitFor(
      async () => {
        const d = (await api.get(`${DEPS}/contested`)).body;
        return d.status === 'HEALTHY' && d.observedGeneration === d.generation;
      },
      { what: 'contested HEALTHY', timeoutMs: 60_000 },
    );
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: 'scheduler',
    };
    const scheduler = simulator.control.getObject(ref)!;
    const replicas = (scheduler.spec as { replicas: number }).replicas;

    // The same takeover as above: kubectl forces the scheduler's replicas.
    simulator.control.applyObject(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'scheduler', namespace },
        spec: { ...(scheduler.spec as object), replicas: replicas + 2 },
      },
      { fieldManager: 'kubectl', force: true },
    );

    // The engine sees its fields drift and forces them back.
    const restored = await waitFor(
      async () => {
        const current = simulator.control.getObject(ref);
        return (current?.spec as { replicas?: number } | undefined)
          ?.replicas === replicas
          ? current
          : undefined;
      },
      { what: 'the scheduler replicas to be restored', timeoutMs: 60_000 },
    );
    const managers = (restored.metadata.managedFields ?? []).map(
      field => field.manager,
    );
    expect(managers).toContain('airflow-portal');
    // Back to HEALTHY once the extra scheduler pods are gone (the status
    // follows the watch events of that scale-down, not the restore itself).
    const deployment = await waitFor(
      async () => {
        const d = (await api.get(`${DEPS}/contested`)).body;
        return d.status === 'HEALTHY' ? d : undefined;
      },
      { what: 'contested to be HEALTHY again', timeoutMs: 30_000 },
    );
    expect(deployment.status).toBe('HEALTHY');
    const events = (await api.get(`${DEPS}/contested/events`)).body.items;
    expect(
      events.filter((e: { message: string }) => /Conflict/.test(e.message)),
    ).toEqual([]);
  });
});
