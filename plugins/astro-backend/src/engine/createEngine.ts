import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { DeploymentOptions } from '@airflow-portal/plugin-astro-common';
import { MetadataDatabaseProvisioner } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase } from '../store';
import { ChangeFeed } from '../service';
import { SecretBox } from '../secrets/SecretBox';
import { ClusterRegistry } from '../clusters';
import { WatchedClusters } from './WatchedClusters';
import { DeploymentReconciler } from './DeploymentReconciler';
import { MetadataDatabases } from '../metadataDatabases';
import { ReconcileLoop } from './ReconcileLoop';
import { CodeInputOptions, RenderInputs } from './RenderInputs';
import { readRuntimePullCredentials } from '../options/deploymentOptions';
import { optionsAt } from '../options/runtimeCatalog';
import { StatusWriter } from './StatusWriter';
import { HibernationPlanner, HibernationTimers } from '../hibernation';
import { AstroClock, systemClock } from '../lib/clock';
import { rereadStatuses } from './rereadStatuses';
import type { MonitorListener } from '../alerts/MonitorListener';

/** Which clusters this backend may drive, re-checked before each pass. */
export interface ClusterOwnership {
  check(): Promise<void>;
  drives(clusterName: string): boolean;
  readonly leavesAny: boolean;
}

/** Field manager of every object the engine applies. */
export const DEFAULT_FIELD_MANAGER = 'airflow-portal';

/**
 * The provisioning engine: the reconcile loop and reconciler, the watched
 * clusters' object caches and the status writer they feed. The monitor
 * (`../monitor`) builds on it.
 */
export interface Engine {
  loop: ReconcileLoop;
  reconciler: DeploymentReconciler;
  status: StatusWriter;
  watched: WatchedClusters;
  /** Reconciles Deployments as soon as they are created or changed. */
  followChanges(): void;
  /** Follows changes and schedules the periodic passes. */
  start(scheduler: SchedulerService): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the engine from config (`astro.reconciler.*`). */
export function createEngine(options: {
  config: Config;
  logger: LoggerService;
  db: AstroDatabase;
  secrets: SecretBox;
  changes: ChangeFeed;
  deploymentOptions: DeploymentOptions;
  clusters: ClusterRegistry;
  provisioner?: MetadataDatabaseProvisioner;
  /** The DAG sync endpoint and pull credentials of code deploys. */
  code?: CodeInputOptions;
  /** What time it is, and timers at given times (hibernation transitions). */
  clock?: AstroClock;
  /** Which clusters this backend leaves alone (a differing declaration). */
  ownership?: ClusterOwnership;
  /** Hears of incidents opened and resolved (alert delivery). */
  monitorListener?: MonitorListener;
}): Engine {
  const { config, logger, db, changes } = options;
  const astroClock = options.clock ?? systemClock;
  const clock = () => astroClock.now();
  const planner = new HibernationPlanner(db, clock);
  // Set once the loop exists: a due transition queues a pass at once.
  let onTransition: (deploymentId: string) => void = () => {};
  const timers = new HibernationTimers(astroClock, id => onTransition(id));
  const reconcilerConfig = config.getOptionalConfig('astro.reconciler');
  const shutdownTimeoutMs =
    1000 *
    (reconcilerConfig?.getOptionalNumber('shutdownTimeoutSeconds') ?? 10);
  const databases = new MetadataDatabases(options.provisioner);
  const fieldManager =
    reconcilerConfig?.getOptionalString('fieldManager') ??
    DEFAULT_FIELD_MANAGER;
  const watched = new WatchedClusters(options.clusters, logger, fieldManager);
  const reconciler = new DeploymentReconciler({
    db,
    watched,
    inputs: new RenderInputs(
      db,
      options.secrets,
      options.deploymentOptions,
      databases,
      {
        runtimePullCredentials: readRuntimePullCredentials(config),
        clusterSettings: name => options.clusters.getCluster(name),
        ...options.code,
      },
    ),
    databases,
    changes,
    logger,
    fieldManager,
    forceConflicts:
      reconcilerConfig?.getOptionalBoolean('forceConflicts') ?? false,
    runtimeReleases: options.deploymentOptions.runtimeReleases,
    clock,
    hibernation: { planner, timers },
  });
  const status = new StatusWriter({
    db,
    watched,
    reconciler,
    runtimeReleases: () =>
      optionsAt(options.deploymentOptions, clock()).runtimeReleases,
    changes,
    logger,
    clock,
    hibernation: planner,
    ownership: options.ownership,
    listener: options.monitorListener,
  });
  const loop = new ReconcileLoop({
    db,
    availability: watched.availability,
    ownership: options.ownership,
    reconciler,
    status,
    logger,
    clock,
    options: {
      ...(reconcilerConfig?.has('concurrency')
        ? { concurrency: reconcilerConfig.getNumber('concurrency') }
        : {}),
      ...(reconcilerConfig?.has('leaseTtlSeconds')
        ? { leaseTtlMs: reconcilerConfig.getNumber('leaseTtlSeconds') * 1000 }
        : {}),
    },
  });
  onTransition = id => loop.enqueue(id, { urgent: true });
  watched.onChange(id => {
    status.schedule(id);
    loop.notifyChange(id);
  });
  watched.onAvailability((cluster, up) => {
    // Down: its Deployments say so (UNKNOWN) instead of a stale status.
    // Up: their statuses from the fresh caches, and every Deployment on it
    // reconciled now, not after a backoff.
    const work = db.deployments.listIdsOnCluster(cluster).then(ids => {
      ids.forEach(id => status.schedule(id));
      if (up) {
        ids.forEach(id => loop.enqueue(id, { urgent: true }));
      }
    });
    work.catch(error =>
      logger.warn(`Could not re-queue the Deployments of ${cluster}: ${error}`),
    );
  });
  let unsubscribe: (() => void) | undefined;
  const followChanges = () => {
    unsubscribe ??= changes.subscribe(change => {
      if (
        change.kind === 'deployment' &&
        change.id &&
        change.action !== 'status'
      ) {
        loop.enqueue(change.id, { urgent: true });
      } else if (change.kind === 'cluster' && change.action === 'updated') {
        // Its connection may have changed: read it again through a fresh
        // client and retry its Deployments at once.
        watched.reset(change.name);
        loop
          .enqueueCluster(change.name)
          .catch(error =>
            logger.warn(
              `Could not re-queue the Deployments of ${change.name}: ${error}`,
            ),
          );
      }
    });
  };
  return {
    loop,
    reconciler,
    status,
    watched,
    followChanges,
    async start(scheduler) {
      // Before the backend serves: no stale status from before the start.
      await rereadStatuses({
        db,
        watched,
        status,
        logger,
        timeoutMs: 5_000,
        concurrency: 8,
      });
      followChanges();
      const schedule = reconcilerConfig?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            reconcilerConfig.getConfig('schedule'),
          )
        : { frequency: { seconds: 30 }, timeout: { minutes: 10 } };
      await scheduler.scheduleTask({
        id: 'astro-reconcile',
        scope: 'local',
        ...schedule,
        initialDelay: schedule.initialDelay ?? { seconds: 1 },
        fn: async () => {
          await options.ownership
            ?.check()
            .catch(error =>
              logger.warn(`Could not check cluster declarations: ${error}`),
            );
          await loop.enqueueAll();
        },
      });
    },
    async stop() {
      unsubscribe?.();
      timers.stop();
      await loop.stop({ timeoutMs: shutdownTimeoutMs });
      status.stop();
      await watched.stop();
    },
  };
}
