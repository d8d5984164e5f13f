import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LoggerService } from '@backstage/backend-plugin-api';
import { backoffDelay } from '../lib/backoff';
import { AstroDatabase } from '../store';
import { DeploymentReconciler, ReconcileOutcome } from './DeploymentReconciler';
import { StatusWriter } from './StatusWriter';
import { describeFailure } from './describeFailure';
import { ClusterAvailability } from './ClusterAvailability';
import { holdLease } from './DeploymentLease';
import { isClusterWide } from './WatchedClusters';

/** Tuning of the loop. */
export interface ReconcileLoopOptions {
  /** Deployments reconciled at once by this backend. */
  concurrency: number;
  /** How long a lease is valid; a crashed backend's leases expire after it. */
  leaseTtlMs: number;
  /**
   * First retry delay after a failure; doubles per attempt, with up to half
   * of it taken off at random (see `backoffDelay`).
   */
  backoffBaseMs: number;
  /** Longest retry delay. */
  backoffMaxMs: number;
}

/** Default tuning. */
export const DEFAULT_LOOP_OPTIONS: ReconcileLoopOptions = {
  concurrency: 4,
  leaseTtlMs: 60_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 300_000,
};

interface QueueItem {
  /** Skip the failure backoff: something changed. */
  urgent: boolean;
}

/**
 * Decides when Deployments are reconciled and makes sure no two backends
 * work on the same one at once. Work arrives from changes (a new
 * generation, a deletion request), from periodic drift passes and from
 * passes that wait on a gate. Each Deployment is reconciled under a lease
 * in the shared database; failures are retried with exponential backoff.
 */
export class ReconcileLoop {
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(4).toString(
    'hex',
  )}`;
  private readonly queue = new Map<string, QueueItem>();
  private readonly running = new Set<string>();
  /** At most one pending re-check or retry per Deployment. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Deployments whose last pass waits on the cluster (a Job, a deletion). */
  private readonly waiting = new Set<string>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopped = false;
  /** Cluster write requests sent, for benchmarks. */
  writes = 0;
  /** Passes stopped because another backend took their lease over, for tests. */
  lostLeases = 0;
  /** Periodic passes that found a Deployment settled and left it alone, for benchmarks and tests. */
  settledPasses = 0;

  constructor(
    private readonly deps: {
      db: AstroDatabase;
      reconciler: Pick<DeploymentReconciler, 'reconcile'> &
        Partial<Pick<DeploymentReconciler, 'settled'>>;
      status: Pick<StatusWriter, 'update'>;
      logger: LoggerService;
      /**
       * Clusters that do not answer: their Deployments wait for them
       * instead of each backing off (see {@link ClusterAvailability}).
       */
      availability?: Pick<
        ClusterAvailability,
        'isDown' | 'anyDown' | 'reportFailure'
      >;
      /** Clusters this backend leaves alone (a differing declaration). */
      ownership?: {
        drives(clusterName: string): boolean;
        readonly leavesAny: boolean;
      };
      options?: Partial<ReconcileLoopOptions>;
      clock?: () => Date;
    },
  ) {}

  private get options(): ReconcileLoopOptions {
    return { ...DEFAULT_LOOP_OPTIONS, ...this.deps.options };
  }

  private now() {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /** Asks for a Deployment to be reconciled soon. */
  enqueue(deploymentId: string, options: { urgent?: boolean } = {}): void {
    if (this.stopped) {
      return;
    }
    const existing = this.queue.get(deploymentId);
    this.queue.set(deploymentId, {
      urgent: Boolean(options.urgent || existing?.urgent),
    });
    this.pump();
  }

  /**
   * Tells the loop a Deployment's objects changed on its cluster: a pass
   * waiting on them (a migration Job finishing, a namespace going away)
   * runs at once instead of at its re-check time.
   */
  notifyChange(deploymentId: string): void {
    if (this.waiting.delete(deploymentId)) {
      this.enqueue(deploymentId, { urgent: true });
    }
  }

  /** Queues every Deployment: the periodic pass for drift and retries. */
  async enqueueAll(): Promise<number> {
    const ids = await this.deps.db.deployments.listIds();
    for (const id of ids) {
      this.enqueue(id);
    }
    return ids.length;
  }

  /**
   * Queues every Deployment on a cluster, skipping their backoff: the
   * cluster answers again or its connection changed.
   */
  async enqueueCluster(clusterName: string): Promise<number> {
    const ids = await this.deps.db.deployments.listIdsOnCluster(clusterName);
    for (const id of ids) {
      this.enqueue(id, { urgent: true });
    }
    return ids.length;
  }

  /** Resolves when nothing is queued or running (tests, benchmarks). */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && this.running.size === 0) {
      return Promise.resolve();
    }
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  /**
   * Stops taking work (queued Deployments are dropped, pending retries
   * cancelled), waits up to `timeoutMs` for the passes that run to finish,
   * and hands back every lease this backend still holds, so another
   * replica takes its Deployments over at once instead of after the lease
   * TTL. A pass still running at the timeout finds its lease gone at its
   * next renewal and stops before its next cluster write.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopped = true;
    this.queue.clear();
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>(resolve => this.idleWaiters.push(resolve)),
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
        }),
      ]);
      clearTimeout(timer);
    }
    await this.deps.db.engineState
      .releaseLeasesOf(this.owner)
      .catch(error =>
        this.deps.logger.warn(`Could not hand back leases: ${error}`),
      );
  }

  private pump() {
    for (const [id, item] of this.queue) {
      if (this.running.size >= this.options.concurrency) {
        return;
      }
      if (this.running.has(id)) {
        continue;
      }
      this.queue.delete(id);
      this.running.add(id);
      this.work(id, item)
        .catch(error =>
          this.deps.logger.error(`Reconcile loop failed for ${id}: ${error}`),
        )
        .finally(() => {
          this.running.delete(id);
          this.pump();
          if (this.queue.size === 0 && this.running.size === 0) {
            this.idleWaiters.splice(0).forEach(resolve => resolve());
          }
        });
    }
  }

  /**
   * Looks at a Deployment again after a delay, replacing any re-check or
   * retry already pending for it: a failure's backoff supersedes a gate
   * re-check, so retries never run faster than the backoff allows.
   */
  private later(deploymentId: string, delayMs: number, urgent: boolean) {
    clearTimeout(this.timers.get(deploymentId));
    const timer = setTimeout(() => {
      this.timers.delete(deploymentId);
      this.enqueue(deploymentId, { urgent });
    }, delayMs);
    this.timers.set(deploymentId, timer);
  }

  private async work(deploymentId: string, item: QueueItem): Promise<void> {
    const { reconciler, status, logger } = this.deps;
    const state = this.deps.db.engineState;
    this.waiting.delete(deploymentId);
    if (this.deps.ownership?.leavesAny) {
      const record = await this.deps.db.deployments.getById(deploymentId);
      if (record && !this.deps.ownership.drives(record.cluster_name)) {
        return;
      }
    }
    const availability = this.deps.availability;
    if (availability?.anyDown) {
      const cluster = await this.deps.db.deployments.clusterNameOf(
        deploymentId,
      );
      if (cluster && availability.isDown(cluster)) {
        // It waits for its cluster, which re-queues it when it answers;
        // meanwhile its status says the cluster does not answer.
        await status.update(deploymentId);
        return;
      }
    }
    const now = this.now();
    const current = await state.get(deploymentId).catch(() => undefined);
    if (
      !item.urgent &&
      current?.nextAttemptAt &&
      current.nextAttemptAt.getTime() > now.getTime()
    ) {
      return;
    }
    if (
      !item.urgent &&
      current &&
      reconciler.settled &&
      (await reconciler.settled(deploymentId, current).catch(() => false))
    ) {
      // Nothing changed since its last pass found it in sync: no lease,
      // no request, no write. Its status is still evaluated (the health
      // samples it reads age).
      this.settledPasses += 1;
      await status.update(deploymentId);
      return;
    }
    if (
      !(await state.tryAcquireLease(
        deploymentId,
        this.owner,
        now,
        this.options.leaseTtlMs,
      ))
    ) {
      // Another backend works on it; its lease expires if it dies.
      return;
    }
    // Renewed while the pass runs: a pass longer than the TTL keeps it.
    const lease = holdLease({
      store: state,
      deploymentId,
      owner: this.owner,
      ttlMs: this.options.leaseTtlMs,
      acquiredAt: now,
      now: () => this.now(),
    });
    let outcome: ReconcileOutcome | undefined;
    try {
      outcome = await reconciler.reconcile(deploymentId, {
        signal: lease.signal,
      });
      this.writes += outcome.writes;
      if (current?.lastError && !outcome.deleted) {
        await state.clearFailure(deploymentId);
      }
    } catch (error) {
      if (lease.signal.aborted && error === lease.signal.reason) {
        // Not a failure of the Deployment: whoever holds the lease now
        // carries on from what this pass recorded.
        this.lostLeases += 1;
        logger.warn(`Reconcile pass stopped: ${(error as Error).message}`);
        return;
      }
      const record = await this.deps.db.deployments
        .getById(deploymentId)
        .catch(() => undefined);
      const failure = describeFailure(error, record?.cluster_name ?? '');
      if (availability && record && isClusterWide(error)) {
        // Cluster-wide: the cluster backs off, not the Deployment, and its
        // answering again re-queues the Deployment at once.
        availability.reportFailure(record.cluster_name, failure);
        logger.warn(
          `Reconciling deployment ${record.organization_name}/${record.name} failed: ${failure.message}`,
        );
        await state.recordFailure(deploymentId, {
          ...failure,
          attempts: current?.attempts ?? 0,
          nextAttemptAt: now,
        });
      } else {
        // Deployment-specific: this Deployment backs off.
        const attempts = (current?.attempts ?? 0) + 1;
        const delay = backoffDelay(attempts, {
          initialMs: this.options.backoffBaseMs,
          maxMs: this.options.backoffMaxMs,
        });
        logger.warn(
          `Reconciling deployment ${record?.organization_name}/${record?.name} failed (attempt ${attempts}, retry in ${delay} ms): ${failure.message}`,
        );
        await state.recordFailure(deploymentId, {
          ...failure,
          attempts,
          nextAttemptAt: new Date(now.getTime() + delay),
        });
        this.later(deploymentId, delay, false);
      }
    } finally {
      lease.stop();
      await state.releaseLease(deploymentId, this.owner).catch(() => {});
    }
    if (outcome?.deleted) {
      return;
    }
    await status.update(deploymentId);
    if (outcome?.requeueAfterMs !== undefined) {
      this.waiting.add(deploymentId);
      this.later(deploymentId, outcome.requeueAfterMs, true);
    }
  }
}
