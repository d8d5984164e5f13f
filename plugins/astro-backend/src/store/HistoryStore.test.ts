import { TestDatabases } from '@backstage/backend-test-utils';
import { servicesWithOneDeployment } from './__testUtils__/oneDeployment';
import { HistoryObservation } from './HistoryStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const ACTOR = 'user:default/alice';
const T0 = new Date('2026-12-01T12:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const healthy = (
  bucketStart: Date,
  overrides: Partial<HistoryObservation> = {},
): HistoryObservation => ({
  bucketStart,
  status: 'HEALTHY',
  heartbeatAgeSeconds: { scheduler: 3, triggerer: 2 },
  workers: { desired: 2, ready: 2 },
  ...overrides,
});

describe.each(databases.eachSupportedId())('history on %s', databaseId => {
  async function setup() {
    const knex = await databases.init(databaseId);
    const { db, record, services } = await servicesWithOneDeployment(
      knex,
      ACTOR,
    );
    return { knex, db, id: record.id, services };
  }

  it('records an observation as a point with every series', async () => {
    const { db, id } = await setup();
    await db.history.recordObservation(id, healthy(at(0)), at(1));
    expect(await db.history.range(id, at(-60), at(60))).toEqual([
      {
        bucketStart: T0.toISOString(),
        status: 'HEALTHY',
        observations: 1,
        healthyObservations: 1,
        schedulerHeartbeatAgeSeconds: 3,
        triggererHeartbeatAgeSeconds: 2,
        dagRunsSuccess: 0,
        dagRunsFailed: 0,
        workersDesired: 2,
        workersReady: 2,
      },
    ]);
  });

  it('merges observations of one bucket into one point: latest status and workers, oldest heartbeat age', async () => {
    const { db, id } = await setup();
    await db.history.recordObservation(id, healthy(at(0)), at(1));
    await db.history.recordObservation(
      id,
      healthy(at(0), {
        status: 'UNHEALTHY',
        heartbeatAgeSeconds: { scheduler: 240 },
        workers: { desired: 4, ready: 1 },
      }),
      at(2),
    );
    // Not read this time: the stored ages stay.
    await db.history.recordObservation(
      id,
      healthy(at(0), { heartbeatAgeSeconds: {} }),
      at(3),
    );
    const [point, ...rest] = await db.history.range(id, at(-60), at(60));
    expect(rest).toEqual([]);
    expect(point).toEqual({
      bucketStart: T0.toISOString(),
      status: 'HEALTHY',
      observations: 3,
      healthyObservations: 2,
      schedulerHeartbeatAgeSeconds: 240,
      triggererHeartbeatAgeSeconds: 2,
      dagRunsSuccess: 0,
      dagRunsFailed: 0,
      workersDesired: 2,
      workersReady: 2,
    });
  });

  it('accumulates finished runs into their buckets, with or without an observation there', async () => {
    const { db, id } = await setup();
    await db.history.recordObservation(id, healthy(at(0)), at(1));
    await db.history.addRuns(
      id,
      [
        { bucketStart: at(0), success: 2, failed: 1 },
        { bucketStart: at(-5), success: 1, failed: 0 },
      ],
      at(1),
    );
    await db.history.addRuns(
      id,
      [{ bucketStart: at(0), success: 3, failed: 2 }],
      at(2),
    );
    const points = await db.history.range(id, at(-60), at(60));
    expect(points).toEqual([
      {
        bucketStart: at(-5).toISOString(),
        observations: 0,
        healthyObservations: 0,
        dagRunsSuccess: 1,
        dagRunsFailed: 0,
      },
      expect.objectContaining({
        bucketStart: T0.toISOString(),
        status: 'HEALTHY',
        observations: 1,
        dagRunsSuccess: 5,
        dagRunsFailed: 3,
      }),
    ]);
    // An observation after the runs keeps their counts.
    await db.history.recordObservation(id, healthy(at(-5)), at(3));
    expect((await db.history.range(id, at(-5), at(-4)))[0]).toMatchObject({
      status: 'HEALTHY',
      observations: 1,
      dagRunsSuccess: 1,
    });
  });

  it('serves a range oldest first, start inclusive and end exclusive, of one Deployment only', async () => {
    const { db, id, services } = await setup();
    await services.deployments.create(ACTOR, 'acme', {
      name: 'other',
      workspace: 'a',
    });
    const other = await services.deployments.getRecord('acme', 'other');
    for (const minute of [20, 0, 10, 5, 15]) {
      await db.history.recordObservation(id, healthy(at(minute)), at(minute));
    }
    await db.history.recordObservation(other.id, healthy(at(10)), at(10));
    const points = await db.history.range(id, at(5), at(15));
    expect(points.map(p => p.bucketStart)).toEqual([
      at(5).toISOString(),
      at(10).toISOString(),
    ]);
  });

  it('deletes points older than the retention, across Deployments, and with their Deployment', async () => {
    const { db, knex, id } = await setup();
    for (const minute of [-3000, -2000, 0]) {
      await db.history.recordObservation(id, healthy(at(minute)), at(minute));
    }
    expect(await db.history.deleteBefore(at(-2000))).toBe(1);
    expect(
      (await db.history.range(id, at(-5000), at(60))).map(p => p.bucketStart),
    ).toEqual([at(-2000).toISOString(), at(0).toISOString()]);
    // The foreign key cascades: a deleted Deployment leaves no history.
    await knex('deployments').where({ id }).delete();
    const [{ n }] = await knex('deployment_history').count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
});
