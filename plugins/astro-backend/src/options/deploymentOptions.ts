import { Config } from '@backstage/config';
import {
  DEFAULT_SCHEDULER_SIZES,
  DEFAULT_WORKER_MACHINES,
  DeploymentOptions,
  RESERVED_ENVIRONMENT_VARIABLES,
  RuntimeRelease,
} from '@airflow-portal/plugin-astro-common';
import { ImagePullCredential } from '@airflow-portal/plugin-astro-node';
import { readImagePullCredentials } from '../lib/imagePullCredentials';
import {
  compareAirflowVersions,
  DEFAULT_RUNTIME_RELEASES,
  readRuntimeRelease,
} from './runtimeCatalog';

export { DEFAULT_RUNTIME_RELEASES } from './runtimeCatalog';

function readRuntimeReleases(config: Config): RuntimeRelease[] {
  const configured = config.getOptionalConfigArray('astro.runtimes');
  if (!configured || configured.length === 0) {
    return DEFAULT_RUNTIME_RELEASES;
  }
  const releases = configured
    .map((c, index) => readRuntimeRelease(c, index))
    .sort((a, b) => compareAirflowVersions(b.airflowVersion, a.airflowVersion));
  const defaults = releases.filter(r => r.isDefault);
  if (defaults.length > 1) {
    throw new Error('astro.runtimes: at most one release may be the default');
  }
  if (defaults.length === 0) {
    // The newest release is the default.
    releases[0] = { ...releases[0], isDefault: true };
  }
  return releases;
}

/**
 * The registry credentials of each configured runtime release
 * (`astro.runtimes[].imagePullCredentials`), by Airflow version. Kept out
 * of the Deployment options, which users read.
 */
export function readRuntimePullCredentials(
  config: Config,
): Map<string, ImagePullCredential[]> {
  const credentials = new Map<string, ImagePullCredential[]>();
  for (const [index, runtime] of (
    config.getOptionalConfigArray('astro.runtimes') ?? []
  ).entries()) {
    const list = readImagePullCredentials(
      runtime.getOptionalConfigArray('imagePullCredentials'),
      `astro.runtimes[${index}]`,
    );
    if (list?.length) {
      credentials.set(runtime.getString('airflowVersion'), list);
    }
  }
  return credentials;
}

/**
 * The options Deployments are validated against, from `astro.*` config with
 * the product's defaults: newest Airflow, Celery, a small scheduler, one
 * default queue of A5 workers scaling 0–10 with concurrency 5, 24 hours of
 * grace for running tasks.
 */
export function readDeploymentOptions(config: Config): DeploymentOptions {
  const limit = (key: string, fallback: number) =>
    config.getOptionalNumber(`astro.limits.${key}`) ?? fallback;
  const maxWorkersCeiling = limit('maxWorkersPerQueue', 30);
  return {
    runtimeReleases: readRuntimeReleases(config),
    executors: ['CELERY', 'KUBERNETES'],
    defaultExecutor: 'CELERY',
    schedulerSizes: DEFAULT_SCHEDULER_SIZES,
    defaultSchedulerSize: 'SMALL',
    workerMachines: DEFAULT_WORKER_MACHINES,
    workerQueues: {
      defaultQueueName: 'default',
      defaultWorkerMachine: 'A5',
      maxQueues: limit('maxWorkerQueues', 10),
      minWorkers: { default: 0, floor: 0, ceiling: maxWorkersCeiling },
      maxWorkers: {
        default: Math.min(10, maxWorkersCeiling),
        floor: 1,
        ceiling: maxWorkersCeiling,
      },
      concurrency: { default: 5, floor: 1, ceiling: 64 },
    },
    workerGracePeriodSeconds: {
      default: 86400,
      floor: 0,
      ceiling: limit('maxWorkerGracePeriodSeconds', 172800),
    },
    resourceQuota: {
      // Fits the default settings (30.85 CPU / 62.5Gi at full scale with an
      // in-namespace database) with room for a larger scheduler; see
      // docs/architecture.md, "Namespace quota".
      default: { cpu: '40', memory: '80Gi' },
      max: {
        cpu: config.getOptionalString('astro.limits.maxQuotaCpu') ?? '200',
        memory:
          config.getOptionalString('astro.limits.maxQuotaMemory') ?? '400Gi',
      },
    },
    defaultTaskPodSize: {
      default: { cpu: '500m', memory: '1Gi' },
      max: { cpu: '8', memory: '16Gi' },
    },
    reservedEnvironmentVariables: RESERVED_ENVIRONMENT_VARIABLES,
    limits: {
      maxEnvironmentVariables: limit('maxEnvironmentVariables', 200),
      maxEnvironmentVariableValueLength: 10000,
      maxHibernationSchedules: 10,
      maxContactEmails: 20,
    },
  };
}
