/**
 * The choices and ranges a Deployment's settings may take. The backend builds
 * them from its config and serves them at `GET /api/astro/deployment-options`;
 * the frontend renders forms and validates with them, never with constants of
 * its own. The enums here are the source of the OpenAPI document's settings
 * enums (through the zod schema that uses them).
 */
import type { AstroApiSchemas } from '../api/schemas';

/**
 * The executors a Deployment can run.
 *
 * @public
 */
export const EXECUTORS = ['CELERY', 'KUBERNETES'] as const;

/** @public */
export type Executor = (typeof EXECUTORS)[number];

/**
 * The scheduler sizes, smallest first.
 *
 * @public
 */
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
export type ResourceSize = AstroApiSchemas['ResourceSize'];

/**
 * An inclusive integer range with its default.
 *
 * @public
 */
export type IntegerRange = AstroApiSchemas['IntegerRange'];

/**
 * One Airflow release that Deployments can run: the Airflow version and the
 * image that provides it.
 *
 * @public
 */
export type RuntimeRelease = AstroApiSchemas['RuntimeRelease'];

/**
 * A worker machine type (Astro's A5, A10, …).
 *
 * @public
 */
export type WorkerMachine = AstroApiSchemas['WorkerMachine'];

/**
 * A scheduler size with its resources.
 *
 * @public
 */
export type SchedulerSizeOption = AstroApiSchemas['SchedulerSizeOption'];

/**
 * Everything a client needs to offer and validate Deployment settings.
 *
 * @public
 */
export type DeploymentOptions = AstroApiSchemas['DeploymentOptions'];

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
  'AIRFLOW__CORE__DAGS_FOLDER',
  'AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST',
  'AIRFLOW_CONN_ASTRO_GIT_DAGS',
];
