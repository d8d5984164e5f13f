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
import { StatusWriter } from './StatusWriter';

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
  clock?: () => Date;
}): Engine {
  const { config, logger, db, changes, clock } = options;
  const reconcilerConfig = config.getOptionalConfig('astro.reconciler');
  if (config.has('astro.kubernetesDriver.forceConflicts')) {
    logger.warn(
      'astro.kubernetesDriver.forceConflicts is not read: astro.reconciler.forceConflicts alone decides whether the engine takes over fields other field managers own',
    );
  }
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
    clock,
  });
  const status = new StatusWriter({
    db,
    watched,
    reconciler,
    changes,
    logger,
    clock,
  });
  const loop = new ReconcileLoop({
    db,
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
  watched.onChange(id => {
    status.schedule(id);
    loop.notifyChange(id);
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
          await loop.enqueueAll();
        },
      });
    },
    async stop() {
      unsubscribe?.();
      loop.stop();
      status.stop();
      await watched.stop();
    },
  };
}
