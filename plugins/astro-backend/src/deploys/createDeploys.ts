import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { DagBundleStore } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { ChangeFeed, DeploymentService, MutationRunner } from '../service';
import { BundleLimits, DEFAULT_BUNDLE_LIMITS } from './inspectBundle';
import { DEFAULT_RETENTION_DAYS, DeployService } from './DeployService';
import { BundleService } from './BundleService';
import { BundlePruner } from './BundlePruner';
import {
  DEFAULT_DEPLOY_TIMEOUT_SECONDS,
  DeployTracker,
  PodSource,
} from './DeployTracker';

/** Default of `astro.deploys.syncIntervalSeconds`. */
export const DEFAULT_SYNC_INTERVAL_SECONDS = 10;

/** `astro.deploys.*` with defaults applied. */
export interface DeployConfig {
  limits: BundleLimits;
  retentionDays: number;
  timeoutSeconds: number;
  syncIntervalSeconds: number;
  /** Absent: the backend's own external base URL. */
  bundleBaseUrl?: string;
}

function positive(config: Config | undefined, key: string, fallback: number) {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`astro.deploys.${key} must be a positive whole number`);
  }
  return value;
}

/** Reads `astro.deploys.*`. */
export function readDeployConfig(config: Config): DeployConfig {
  const deploys = config.getOptionalConfig('astro.deploys');
  return {
    limits: {
      maxBytes: positive(
        deploys,
        'maxBundleBytes',
        DEFAULT_BUNDLE_LIMITS.maxBytes,
      ),
      maxExpandedBytes: positive(
        deploys,
        'maxBundleExpandedBytes',
        DEFAULT_BUNDLE_LIMITS.maxExpandedBytes,
      ),
      maxEntries: positive(
        deploys,
        'maxBundleEntries',
        DEFAULT_BUNDLE_LIMITS.maxEntries,
      ),
    },
    retentionDays: positive(deploys, 'retentionDays', DEFAULT_RETENTION_DAYS),
    timeoutSeconds: positive(
      deploys,
      'timeoutSeconds',
      DEFAULT_DEPLOY_TIMEOUT_SECONDS,
    ),
    syncIntervalSeconds: positive(
      deploys,
      'syncIntervalSeconds',
      DEFAULT_SYNC_INTERVAL_SECONDS,
    ),
    bundleBaseUrl: deploys?.getOptionalString('bundleBaseUrl'),
  };
}

/** Code deploys: the service, the DAG sync's endpoints, the tracker and the prune. */
export interface Deploys {
  service: DeployService;
  bundles: BundleService;
  tracker: DeployTracker;
  pruner: BundlePruner;
  /** Follows pod reports, watch events and status changes; schedules the passes. */
  start(scheduler: SchedulerService): Promise<void>;
  stop(): void;
}

/** Builds code deploys on top of the services and the engine's watch caches. */
export function createDeploys(options: {
  config: DeployConfig;
  logger: LoggerService;
  db: AstroDatabase;
  secrets: SecretBox;
  mutations: MutationRunner;
  changes: ChangeFeed;
  deployments: DeploymentService;
  bundleStore: DagBundleStore;
  pods: PodSource & {
    onChange?(listener: (deploymentId: string) => void): () => void;
  };
  clock?: () => Date;
}): Deploys {
  const { config, logger, db, clock } = options;
  let started = false;
  const tracker = new DeployTracker({
    db,
    pods: options.pods,
    logger,
    timeoutMs: config.timeoutSeconds * 1000,
    onFinished: record =>
      options.changes.publish([
        {
          kind: 'deployment',
          organization: record.organization_name,
          name: record.name,
          id: record.id,
          action: 'status',
        },
      ]),
    clock,
  });
  const schedule = (id: string) => {
    if (started) {
      tracker.schedule(id);
    }
  };
  const unsubscribers: Array<() => void> = [];
  const pruner = new BundlePruner({
    db,
    bundles: options.bundleStore,
    retentionDays: config.retentionDays,
    logger,
    clock,
  });
  return {
    service: new DeployService(
      db,
      options.mutations,
      options.deployments,
      options.secrets,
      options.bundleStore,
      { limits: config.limits, retentionDays: config.retentionDays },
    ),
    bundles: new BundleService(
      db,
      options.secrets,
      options.bundleStore,
      schedule,
      clock,
    ),
    tracker,
    pruner,
    async start(scheduler) {
      started = true;
      if (options.pods.onChange) {
        unsubscribers.push(options.pods.onChange(schedule));
      }
      unsubscribers.push(
        options.changes.subscribe(change => {
          if (change.kind === 'deployment' && change.id) {
            schedule(change.id);
          }
        }),
      );
      await scheduler.scheduleTask({
        id: 'astro-deploy-tracker',
        scope: 'global',
        frequency: { seconds: 10 },
        timeout: { minutes: 2 },
        initialDelay: { seconds: 5 },
        fn: () => tracker.evaluateAll(),
      });
      await scheduler.scheduleTask({
        id: 'astro-bundle-prune',
        scope: 'global',
        frequency: { hours: 1 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 1 },
        fn: async () => {
          await pruner.prune();
        },
      });
    },
    stop() {
      started = false;
      unsubscribers.splice(0).forEach(unsubscribe => unsubscribe());
      tracker.stop();
    },
  };
}
