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
import { ManualClock } from '../__testUtils__/ManualClock';
import { KEDA_PAUSED_REPLICAS_ANNOTATION } from './hibernateRender';

jest.setTimeout(240_000);

const databases = TestDatabases.create();

const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

/** The Airflow components every awake Deployment runs (Airflow 3). */
const COMPONENTS = ['api-server', 'dag-processor', 'scheduler', 'triggerer'];

async function createTenancy(api: request.Agent) {
  await api.post('/api/astro/organizations').send({ name: 'acme' }).expect(201);
  await api.post(`${ORG}/workspaces`).send({ name: 'data-eng' }).expect(201);
}

async function waitForDeployment(
  api: request.Agent,
  name: string,
  predicate: (deployment: any) => boolean,
  what: string,
) {
  return waitFor(
    async () => {
      const response = await api.get(`${DEPS}/${name}`);
      return response.status === 200 && predicate(response.body)
        ? response.body
        : undefined;
    },
    { what: `${name} ${what}`, timeoutMs: 60_000 },
  );
}

const healthy = (d: any) =>
  d.status === 'HEALTHY' && d.observedGeneration === d.generation;

function workloads(simulator: KubernetesSimulator, namespace: string) {
  return [
    ...simulator.control.listObjects({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
    }),
    ...simulator.control.listObjects({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      namespace,
    }),
  ];
}

/** spec.replicas of each Deployment and StatefulSet, by name. */
function replicas(simulator: KubernetesSimulator, namespace: string) {
  return Object.fromEntries(
    workloads(simulator, namespace).map(w => [
      w.metadata.name,
      (w.spec as any).replicas,
    ]),
  );
}

function podsOf(
  simulator: KubernetesSimulator,
  namespace: string,
  component: string,
) {
  return simulator.control
    .listObjects({ apiVersion: 'v1', kind: 'Pod', namespace })
    .filter(
      p =>
        p.metadata.labels?.['app.kubernetes.io/component'] === component &&
        !p.metadata.deletionTimestamp,
    );
}

/** The statuses a Deployment went through, oldest first. */
/**
 * Expects the Deployment's statuses from its first HEALTHY on to be
 * `expected`; a mismatch names each status with its reason.
 */
async function expectStatusHistory(
  api: request.Agent,
  name: string,
  expected: string[],
) {
  const events = await api
    .get(`${DEPS}/${name}/events`)
    .query({ limit: 200 })
    .expect(200);
  const changes: Array<{ status: string; statusReason?: string }> =
    events.body.items
      .filter((e: any) => e.action === 'status-changed')
      .map((e: any) => e.after)
      .reverse();
  const statuses = changes.map(c => c.status);
  const fromHealthy = statuses.slice(statuses.indexOf('HEALTHY'));
  if (JSON.stringify(fromHealthy) !== JSON.stringify(expected)) {
    throw new Error(
      `Expected the statuses ${expected.join(
        ', ',
      )} from HEALTHY on, got:\n${changes
        .map(c => `  ${c.status}: ${c.statusReason ?? ''}`)
        .join('\n')}`,
    );
  }
}

/** Waits for the engine to have armed its timer for `time`. */
async function waitForTimer(clock: ManualClock, time: string) {
  await waitFor(async () => clock.nextTimerAt?.toISOString() === time, {
    what: `a hibernation timer at ${time} (armed: ${clock.nextTimerAt?.toISOString()})`,
  });
}

describe.each(databases.eachSupportedId())('hibernation on %s', databaseId => {
  let simulator: KubernetesSimulator;

  afterEach(async () => {
    await simulator?.stop();
  });

  it('hibernates and wakes a Deployment on its schedule, lets an override win until its time, and refuses high availability', async () => {
    simulator = await startTestSimulator();
    const knex = await databases.init(databaseId);
    // Wednesday, 19:00 UTC: an hour before the schedule's bedtime.
    const clock = new ManualClock('2026-12-02T19:00:00Z');
    const backend = await startEngineTestBackend({
      knex,
      simulator,
      encryptionKey: testEncryptionKey(),
      clock,
    });
    const { api } = backend;
    try {
      await createTenancy(api);
      const created = await api
        .post(DEPS)
        .send({
          name: 'etl',
          workspace: 'data-eng',
          cluster: SIM_CLUSTER,
          settings: {
            hibernation: {
              schedules: [
                {
                  hibernateAt: '0 20 * * *',
                  wakeAt: '0 7 * * *',
                  description: 'Nights off',
                },
              ],
            },
          },
        })
        .expect(201);
      const namespace: string = created.body.namespace;
      const awake = await waitForDeployment(api, 'etl', healthy, 'HEALTHY');
      expect(awake.settings.hibernation.schedules[0].timeZone).toBe('UTC');
      expect(awake.hibernation).toEqual({
        isHibernating: false,
        reason: 'Awake: no hibernation schedule is in its sleeping period',
        nextHibernateAt: '2026-12-02T20:00:00.000Z',
        nextWakeAt: '2026-12-03T07:00:00.000Z',
        nextTransitions: [
          { at: '2026-12-02T20:00:00.000Z', action: 'HIBERNATE' },
          { at: '2026-12-03T07:00:00.000Z', action: 'WAKE' },
          { at: '2026-12-03T20:00:00.000Z', action: 'HIBERNATE' },
          { at: '2026-12-04T07:00:00.000Z', action: 'WAKE' },
        ],
      });
      const awakeReplicas = replicas(simulator, namespace);
      for (const component of COMPONENTS) {
        expect(awakeReplicas[component]).toBe(1);
      }

      // 20:00: the timer the engine armed from the plan fires.
      await waitForTimer(clock, '2026-12-02T20:00:00.000Z');
      clock.set('2026-12-02T20:00:00Z');
      const asleep = await waitForDeployment(
        api,
        'etl',
        d =>
          d.status === 'HIBERNATING' &&
          /every component is scaled to zero/.test(d.statusReason),
        'HIBERNATING with every component at zero',
      );
      expect(asleep.statusReason).toBe(
        'Hibernating by hibernation schedule "Nights off" (0 20 * * * → 0 7 * * *, UTC): every component is scaled to zero until 2026-12-03T07:00:00.000Z',
      );
      expect(asleep.hibernation).toMatchObject({
        isHibernating: true,
        nextWakeAt: '2026-12-03T07:00:00.000Z',
      });
      const asleepReplicas = replicas(simulator, namespace);
      for (const component of COMPONENTS) {
        expect(asleepReplicas[component]).toBe(0);
        expect(podsOf(simulator, namespace, component)).toEqual([]);
      }
      // KEDA is paused with zero workers.
      const scaledObject = simulator.control.getObject({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        namespace,
        name: 'worker-default',
      })!;
      expect(
        scaledObject.metadata.annotations?.[KEDA_PAUSED_REPLICAS_ANNOTATION],
      ).toBe('0');
      expect(asleepReplicas['worker-default']).toBe(0);
      expect(asleep.conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'Hibernating', status: 'True' }),
        ]),
      );
      // What the Deployment keeps while asleep: its namespace, secrets,
      // metadata database (with pgbouncer and the broker) and migration Job.
      expect(asleepReplicas.postgresql).toBe(1);
      expect(asleepReplicas.redis).toBe(1);
      expect(asleepReplicas.pgbouncer).toBe(1);
      expect(
        simulator.control.getObject({
          apiVersion: 'v1',
          kind: 'Namespace',
          name: namespace,
        }),
      ).toBeDefined();
      expect(
        simulator.control
          .listObjects({ apiVersion: 'v1', kind: 'Secret', namespace })
          .map(s => s.metadata.name),
      ).toEqual(expect.arrayContaining(['airflow-metadata']));
      expect(
        simulator.control.listObjects({
          apiVersion: 'batch/v1',
          kind: 'Job',
          namespace,
        }),
      ).toHaveLength(1);

      // High availability is refused while it hibernates on a schedule.
      const ha = await api
        .patch(`${DEPS}/etl`)
        .send({ settings: { highAvailability: true } })
        .expect(400);
      expect(ha.body.error.message).toContain(
        'settings.hibernation.schedules[0]',
      );
      expect(ha.body.error.message).toContain(
        'cannot be enabled together with high availability',
      );

      // An override keeps it awake until 22:00, against the schedule.
      const override = await api
        .post(`${DEPS}/etl/hibernation-override`)
        .send({ isHibernating: false, overrideUntil: '2026-12-02T22:00:00Z' })
        .expect(200);
      expect(override.body).toMatchObject({
        isHibernating: false,
        reason: 'Kept awake by override until 2026-12-02T22:00:00.000Z',
        override: {
          isHibernating: false,
          overrideUntil: '2026-12-02T22:00:00.000Z',
          createdBy: expect.stringMatching(/^user:/),
        },
        nextHibernateAt: '2026-12-02T22:00:00.000Z',
      });
      await waitForDeployment(api, 'etl', healthy, 'awake by override');
      const overridden = replicas(simulator, namespace);
      for (const component of COMPONENTS) {
        expect(overridden[component]).toBe(1);
      }

      // At 22:00 the override expires by itself and the schedule rules again.
      await waitForTimer(clock, '2026-12-02T22:00:00.000Z');
      clock.set('2026-12-02T22:00:00Z');
      await waitForDeployment(
        api,
        'etl',
        d =>
          d.status === 'HIBERNATING' &&
          d.hibernation.override === undefined &&
          /scaled to zero/.test(d.statusReason),
        'HIBERNATING again after the override expired',
      );

      // 07:00: it wakes; the replicas come back and the pause is lifted.
      await waitForTimer(clock, '2026-12-03T07:00:00.000Z');
      clock.set('2026-12-03T07:00:00Z');
      const woken = await waitForDeployment(api, 'etl', healthy, 'woken up');
      expect(woken.hibernation).toMatchObject({
        isHibernating: false,
        nextHibernateAt: '2026-12-03T20:00:00.000Z',
      });
      const wokenReplicas = replicas(simulator, namespace);
      for (const component of COMPONENTS) {
        expect(wokenReplicas[component]).toBe(1);
        expect(podsOf(simulator, namespace, component)).toHaveLength(1);
      }
      expect(
        simulator.control.getObject({
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          namespace,
          name: 'worker-default',
        })!.metadata.annotations?.[KEDA_PAUSED_REPLICAS_ANNOTATION],
      ).toBeUndefined();

      await expectStatusHistory(api, 'etl', [
        'HEALTHY',
        'HIBERNATING',
        'DEPLOYING',
        'HEALTHY',
        'HIBERNATING',
        'DEPLOYING',
        'HEALTHY',
      ]);
      const audit = await api
        .get(`${DEPS}/etl/events`)
        .query({ limit: 200 })
        .expect(200);
      expect(audit.body.items.map((e: any) => e.action)).toContain(
        'hibernation-override-set',
      );

      // A Deployment with high availability cannot be hibernated by hand.
      await api
        .post(DEPS)
        .send({
          name: 'critical',
          workspace: 'data-eng',
          cluster: SIM_CLUSTER,
          settings: { highAvailability: true },
        })
        .expect(201);
      const refused = await api
        .post(`${DEPS}/critical/hibernation-override`)
        .send({ isHibernating: true })
        .expect(400);
      expect(refused.body.error.message).toMatch(
        /^isHibernating: .*settings\.highAvailability: true/,
      );
    } finally {
      await backend.stop();
    }
  });

  it('without KEDA scales workers to zero past the HPA and gives them back to it on waking, also across a restart', async () => {
    simulator = await startTestSimulator({ keda: false });
    const knex = await databases.init(databaseId);
    const encryptionKey = testEncryptionKey();
    const clock = new ManualClock('2026-12-02T12:00:00Z');
    const first = await startEngineTestBackend({
      knex,
      simulator,
      encryptionKey,
      clock,
    });
    let namespace = '';
    try {
      await createTenancy(first.api);
      const created = await first.api
        .post(DEPS)
        .send({ name: 'etl', workspace: 'data-eng', cluster: SIM_CLUSTER })
        .expect(201);
      namespace = created.body.namespace;
      await waitForDeployment(first.api, 'etl', healthy, 'HEALTHY');
      const hpa = () =>
        simulator.control.getObject({
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          namespace,
          name: 'worker-default',
        });
      expect(hpa()).toBeDefined();
      expect(replicas(simulator, namespace)['worker-default']).toBe(1);

      // Hibernate by hand until 14:00.
      await first.api
        .post(`${DEPS}/etl/hibernation-override`)
        .send({ isHibernating: true, overrideUntil: '2026-12-02T14:00:00Z' })
        .expect(200);
      await waitForDeployment(
        first.api,
        'etl',
        d =>
          d.status === 'HIBERNATING' && /scaled to zero/.test(d.statusReason),
        'HIBERNATING',
      );
      // The HPA (which never goes below one) is gone; the workers are at 0.
      expect(hpa()).toBeUndefined();
      expect(replicas(simulator, namespace)['worker-default']).toBe(0);
      expect(podsOf(simulator, namespace, 'worker')).toEqual([]);
    } finally {
      await first.stop();
    }

    // The backend is down when the override expires; the next one wakes
    // the Deployment from what is stored.
    clock.set('2026-12-02T14:30:00Z');
    const second = await startEngineTestBackend({
      knex,
      simulator,
      encryptionKey,
      clock,
    });
    try {
      await waitForDeployment(second.api, 'etl', healthy, 'woken up');
      const hpa = simulator.control.getObject({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace,
        name: 'worker-default',
      }) as any;
      expect(hpa.spec.minReplicas).toBe(1);
      await waitFor(
        async () => replicas(simulator, namespace)['worker-default'] === 1,
        { what: 'the HPA to bring the worker back to its minimum' },
      );
      for (const component of COMPONENTS) {
        expect(replicas(simulator, namespace)[component]).toBe(1);
      }
      await expectStatusHistory(second.api, 'etl', [
        'HEALTHY',
        'HIBERNATING',
        'DEPLOYING',
        'HEALTHY',
      ]);
    } finally {
      await second.stop();
    }
  });
});
