import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import { createAstroServices } from '../service/createAstroServices';
import { ReconcileLoop } from './ReconcileLoop';
import { everyPrincipalExists } from '../service/__testUtils__/principals';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'ReconcileLoop on %s',
  databaseId => {
    async function setup(deployments: number) {
      const knex = await databases.init(databaseId);
      const config = new ConfigReader({
        astro: {
          secrets: { encryptionKey: randomBytes(32).toString('base64') },
        },
      });
      const logger = mockServices.logger.mock();
      const { services, db } = await createAstroServices({
        principals: everyPrincipalExists,
        config,
        logger,
        database: { getClient: async () => knex },
      });
      await services.clusters.syncDeclared([
        {
          name: 'c',
          driver: 'simulator',
          type: 'standard',
          provider: 'p',
          region: 'r',
        },
      ]);
      await services.organizations.create('user:default/a', { name: 'acme' });
      await services.workspaces.create('user:default/a', 'acme', {
        name: 'ws',
      });
      const ids: string[] = [];
      for (let i = 0; i < deployments; i++) {
        await services.deployments.create('user:default/a', 'acme', {
          name: `d${i}`,
          workspace: 'ws',
        });
        ids.push((await services.deployments.getRecord('acme', `d${i}`)).id);
      }
      return { db, knex, logger, ids };
    }

    it('never reconciles one Deployment in two backends at once', async () => {
      const { db, logger, ids } = await setup(6);
      const inFlight = new Map<string, number>();
      const passes = new Map<string, number>();
      let overlaps = 0;
      const reconciler = {
        async reconcile(id: string) {
          const now = (inFlight.get(id) ?? 0) + 1;
          inFlight.set(id, now);
          if (now > 1) {
            overlaps += 1;
          }
          await new Promise(resolve => setTimeout(resolve, 20));
          inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
          passes.set(id, (passes.get(id) ?? 0) + 1);
          return { writes: 0 };
        },
      };
      const status = { update: async () => undefined };
      const loops = [1, 2].map(
        () =>
          new ReconcileLoop({
            db,
            reconciler,
            status,
            logger,
            options: { concurrency: 6 },
          }),
      );

      for (let round = 0; round < 10; round++) {
        for (const loop of loops) {
          for (const id of ids) {
            loop.enqueue(id, { urgent: true });
          }
        }
        await Promise.all(loops.map(loop => loop.whenIdle()));
      }

      expect(overlaps).toBe(0);
      // Every Deployment was reconciled, by one backend or the other.
      for (const id of ids) {
        expect(passes.get(id)).toBeGreaterThan(0);
      }
      expect(await db.engineState.leases()).toEqual([]);
    });

    it('retries a failing Deployment with exponential backoff', async () => {
      const { db, logger, ids } = await setup(1);
      let calls = 0;
      const reconciler = {
        async reconcile() {
          calls += 1;
          throw new Error('boom');
        },
      };
      const status = { update: async () => undefined };
      const state = db.engineState;
      const loop = new ReconcileLoop({
        db,
        reconciler,
        status,
        logger,
        options: { backoffBaseMs: 60_000 },
      });

      loop.enqueue(ids[0], { urgent: true });
      await loop.whenIdle();
      // A periodic (not urgent) pass inside the backoff window does nothing.
      loop.enqueue(ids[0]);
      await loop.whenIdle();
      loop.stop();

      expect(calls).toBe(1);
      const recorded = await state.get(ids[0]);
      expect(recorded.attempts).toBe(1);
      expect(recorded.lastError).toEqual({
        message: 'boom',
        unreachable: false,
      });
      // The first retry waits the base delay, less up to half of it.
      const retryIn = recorded.nextAttemptAt!.getTime() - Date.now();
      expect(retryIn).toBeGreaterThan(25_000);
      expect(retryIn).toBeLessThanOrEqual(60_000);
    });

    it('leaves a settled Deployment to periodic passes without a lease, and reconciles it on a change', async () => {
      const { db, logger, ids } = await setup(2);
      const [settledId, otherId] = ids;
      const reconciled: string[] = [];
      const updated: string[] = [];
      const leaseHeld: boolean[] = [];
      const reconciler = {
        async settled(id: string) {
          leaseHeld.push(
            (await db.engineState.leases()).some(l => l.deploymentId === id),
          );
          return id === settledId;
        },
        async reconcile(id: string) {
          reconciled.push(id);
          return { writes: 0 };
        },
      };
      const status = {
        update: async (id: string) => {
          updated.push(id);
          return undefined;
        },
      };
      const loop = new ReconcileLoop({ db, reconciler, status, logger });

      // The periodic pass: only the Deployment that is not settled is
      // reconciled; both statuses are evaluated.
      await loop.enqueueAll();
      await loop.whenIdle();
      expect(reconciled).toEqual([otherId]);
      expect(updated.sort()).toEqual([...ids].sort());
      expect(loop.settledPasses).toBe(1);
      expect(leaseHeld).toEqual([false, false]);

      // A change (urgent) checks every object, settled or not.
      loop.enqueue(settledId, { urgent: true });
      await loop.whenIdle();
      await loop.stop();
      expect(reconciled).toEqual([otherId, settledId]);
      expect(loop.settledPasses).toBe(1);
    });
    it('renews the lease of a pass longer than its TTL, so no other backend takes it over', async () => {
      const { db, logger, ids } = await setup(1);
      const [id] = ids;
      const takenByOther: boolean[] = [];
      const reconciler = {
        async reconcile() {
          // A pass of 1.2 s against a 300 ms lease: another backend tries
          // to take the Deployment every 100 ms meanwhile.
          for (let i = 0; i < 12; i++) {
            await new Promise(resolve => setTimeout(resolve, 100));
            takenByOther.push(
              await db.engineState.tryAcquireLease(
                id,
                'other',
                new Date(),
                300,
              ),
            );
          }
          return { writes: 0 };
        },
      };
      const loop = new ReconcileLoop({
        db,
        reconciler,
        status: { update: async () => undefined },
        logger,
        options: { leaseTtlMs: 300 },
      });
      loop.enqueue(id, { urgent: true });
      await loop.whenIdle();
      await loop.stop();
      expect(takenByOther).toHaveLength(12);
      expect(takenByOther.filter(Boolean)).toEqual([]);
      expect(loop.lostLeases).toBe(0);
      expect(await db.engineState.leases()).toEqual([]);
    });

    it('stops a pass whose lease another backend took over before its next write, without counting a failure', async () => {
      const { db, knex, logger, ids } = await setup(1);
      const [id] = ids;
      let writes = 0;
      const reconciler = {
        async reconcile(_id: string, options: { signal?: AbortSignal } = {}) {
          for (let i = 0; i < 20; i++) {
            await new Promise(resolve => setTimeout(resolve, 50));
            options.signal?.throwIfAborted();
            writes += 1;
            if (i === 2) {
              // Another backend takes the lease over (as after an expiry
              // this backend missed, e.g. a long pause).
              await knex('deployment_reconciliation')
                .where({ deployment_id: id })
                .update({ lease_owner: 'other' });
            }
          }
          return { writes };
        },
      };
      let statusUpdates = 0;
      const loop = new ReconcileLoop({
        db,
        reconciler,
        status: {
          update: async () => {
            statusUpdates += 1;
            return undefined;
          },
        },
        logger,
        options: { leaseTtlMs: 300 },
      });
      loop.enqueue(id, { urgent: true });
      await loop.whenIdle();
      await loop.stop();
      // Renewals run every 100 ms: the pass stops within about two of its
      // 50 ms steps after the takeover.
      expect(writes).toBeGreaterThanOrEqual(3);
      expect(writes).toBeLessThan(10);
      expect(loop.lostLeases).toBe(1);
      expect(statusUpdates).toBe(0);
      const state = await db.engineState.get(id);
      expect(state.attempts).toBe(0);
      expect(state.lastError).toBeUndefined();
      expect(await db.engineState.leases()).toEqual([
        { deploymentId: id, owner: 'other' },
      ]);
    });
  },
);
