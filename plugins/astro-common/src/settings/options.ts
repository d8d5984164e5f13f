/**
 * The choices and ranges a Deployment's settings may take. The backend builds
 * them from its config and serves them at `GET /api/astro/deployment-options`;
 * the frontend renders forms and validates with them, never with constants of
 * its own.
 */

/** @public */
export const EXECUTORS = ['CELERY', 'KUBERNETES'] as const;

/** @public */
export type Executor = (typeof EXECUTORS)[number];

/** @public */
export const SCHEDULER_SIZES = [
  'SMALL',
  'MEDIUM',
  'LARGE',
  'EXTRA_LARGE',
] as const;

/** @public */
export type SchedulerSize = (typeof SCHEDULER_SIZES)[number];

/**
 * CPU and memory of a component, as Kubernetes quantities.
 *
 * @public
 */
export interface ResourceSize {
  cpu: string;
  memory: string;
}

/**
 * An inclusive integer range with its default.
 *
 * @public
 */
export interface IntegerRange {
  default: number;
  floor: number;
  ceiling: number;
}

/**
 * One Airflow release that Deployments can run: the Airflow version and the
 * image that provides it.
 *
 * @public
 */
export interface RuntimeRelease {
  /** Apache Airflow version, e.g. `3.1.3`. */
  airflowVersion: string;
  /** Container image with this Airflow version. */
  image: string;
  /** Whether new Deployments get this release when they do not choose one. */
  isDefault: boolean;
}

/**
 * A worker machine type (Astro's A5, A10, …).
 *
 * @public
 */
export interface WorkerMachine extends ResourceSize {
  name: string;
  /** Concurrency a queue of this machine type gets when it does not set one. */
  defaultConcurrency: number;
}

/**
 * A scheduler size with its resources.
 *
 * @public
 */
export interface SchedulerSizeOption extends ResourceSize {
  size: SchedulerSize;
}

/**
 * Everything a client needs to offer and validate Deployment settings.
 *
 * @public
 */
export interface DeploymentOptions {
  runtimeReleases: RuntimeRelease[];
  executors: Executor[];
  defaultExecutor: Executor;
  schedulerSizes: SchedulerSizeOption[];
  defaultSchedulerSize: SchedulerSize;
  workerMachines: WorkerMachine[];
  workerQueues: {
    defaultQueueName: string;
    defaultWorkerMachine: string;
    maxQueues: number;
    minWorkers: IntegerRange;
    maxWorkers: IntegerRange;
    concurrency: IntegerRange;
  };
  /** Seconds running tasks get to finish when a worker is stopped. */
  workerGracePeriodSeconds: IntegerRange;
  resourceQuota: { default: ResourceSize; max: ResourceSize };
  defaultTaskPodSize: { default: ResourceSize; max: ResourceSize };
  /** Environment variable names the platform sets and users may not. */
  reservedEnvironmentVariables: string[];
  limits: {
    maxEnvironmentVariables: number;
    maxEnvironmentVariableValueLength: number;
    maxHibernationSchedules: number;
    maxContactEmails: number;
  };
}

/**
 * The scheduler sizes of Astro's hosted product.
 *
 * @public
 */
export const DEFAULT_SCHEDULER_SIZES: SchedulerSizeOption[] = [
  { size: 'SMALL', cpu: '1', memory: '2Gi' },
  { size: 'MEDIUM', cpu: '2', memory: '4Gi' },
  { size: 'LARGE', cpu: '4', memory: '8Gi' },
  { size: 'EXTRA_LARGE', cpu: '8', memory: '16Gi' },
];

/**
 * Worker machine types, A5 (1 CPU / 2 GiB) to A60.
 *
 * @public
 */
export const DEFAULT_WORKER_MACHINES: WorkerMachine[] = [
  { name: 'A5', cpu: '1', memory: '2Gi', defaultConcurrency: 5 },
  { name: 'A10', cpu: '2', memory: '4Gi', defaultConcurrency: 10 },
  { name: 'A20', cpu: '4', memory: '8Gi', defaultConcurrency: 20 },
  { name: 'A40', cpu: '8', memory: '16Gi', defaultConcurrency: 40 },
  { name: 'A60', cpu: '12', memory: '24Gi', defaultConcurrency: 60 },
];

/**
 * Variables the platform sets on every Airflow component; a user value would
 * break the Deployment or leak its credentials.
 *
 * @public
 */
export const RESERVED_ENVIRONMENT_VARIABLES = [
  'AIRFLOW__CORE__FERNET_KEY',
  'AIRFLOW__CORE__EXECUTOR',
  'AIRFLOW__CORE__SQL_ALCHEMY_CONN',
  'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
  'AIRFLOW__CELERY__BROKER_URL',
  'AIRFLOW__CELERY__RESULT_BACKEND',
  'AIRFLOW__API_AUTH__JWT_SECRET',
  'AIRFLOW__API__SECRET_KEY',
  'AIRFLOW__WEBSERVER__SECRET_KEY',
  'AIRFLOW__CORE__INTERNAL_API_SECRET_KEY',
  'AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE',
  'AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE',
  'AIRFLOW_HOME',
];
