import { TestDatabases } from '@backstage/backend-test-utils';
import { servicesWithOneDeployment } from './__testUtils__/oneDeployment';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const ACTOR = 'user:default/alice';

describe.each(databases.eachSupportedId())(
  'the database migration state of the engine on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const { services, db, record } = await servicesWithOneDeployment(
        knex,
        ACTOR,
      );
      return { db, id: record.id, services };
    }

    it('gives no lease on a Deployment deleted while its reconcile was queued', async () => {
      const { db } = await setup();
      const gone = '4f1c2b3a-0000-4000-8000-000000000000';
      await expect(
        db.engineState.tryAcquireLease(gone, 'backend-a', new Date(), 5000),
      ).resolves.toBe(false);
      expect(await db.engineState.leases()).toEqual([]);
    });

    it('has none until recorded, then keeps the release and a held failure', async () => {
      const { db, id } = await setup();
      expect((await db.engineState.get(id)).databaseMigration).toBeUndefined();
      expect(await db.engineState.requestMigrationRetry(id)).toBe(false);

      await db.engineState.recordDatabaseMigration(id, {
        airflowVersion: '3.0.6',
        image: 'apache/airflow:3.0.6',
        failure: {
          targetVersion: '3.1.3',
          jobName: 'migrate-db-abc',
          reason: 'BackoffLimitExceeded',
          logTail: 'line 1\nline 2',
          failedAt: '2026-12-02T12:00:00.000Z',
        },
      });
      expect(await db.engineState.requestMigrationRetry(id)).toBe(true);
      const state = await db.engineState.get(id);
      expect(state.databaseMigration).toEqual({
        airflowVersion: '3.0.6',
        image: 'apache/airflow:3.0.6',
        failure: {
          targetVersion: '3.1.3',
          jobName: 'migrate-db-abc',
          reason: 'BackoffLimitExceeded',
          logTail: 'line 1\nline 2',
          failedAt: '2026-12-02T12:00:00.000Z',
          retryRequested: true,
        },
      });
      // Other engine bookkeeping leaves it alone.
      await db.engineState.recordConverged(
        id,
        { hash: 'h', generation: 1, objects: {} },
        new Date(),
      );
      expect(
        (await db.engineState.get(id)).databaseMigration?.failure,
      ).toMatchObject({ retryRequested: true });
    });

    it('refuses a retry through the API when nothing failed, and accepts one when a failure is held', async () => {
      const { db, id, services } = await setup();
      await expect(
        services.deployments.retryMigration(ACTOR, 'acme', 'etl'),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await db.engineState.recordDatabaseMigration(id, {
        airflowVersion: '2.11.0',
        image: 'apache/airflow:2.11.0',
        failure: {
          targetVersion: '3.1.3',
          jobName: 'migrate-db-abc',
          reason: 'BackoffLimitExceeded',
          logTail: '',
          failedAt: '2026-12-02T12:00:00.000Z',
        },
      });
      await services.deployments.retryMigration(ACTOR, 'acme', 'etl');
      expect(
        (await db.engineState.get(id)).databaseMigration?.failure
          ?.retryRequested,
      ).toBe(true);
    });
  },
);
