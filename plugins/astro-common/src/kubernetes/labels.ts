/**
 * Labels and annotations on the Kubernetes objects of a Deployment. The
 * renderer sets them, the reconciler prunes by them, the monitor and the
 * simulator read them, and Backstage's Kubernetes plugin finds a
 * Deployment's pods by {@link ASTRO_LABELS.kubernetesId}.
 */

const PREFIX = 'astro.airflow-portal.dev';

/**
 * Label keys.
 *
 * @public
 */
export const ASTRO_LABELS = {
  /** Always `airflow-portal`: the objects this suite owns. */
  managedBy: 'app.kubernetes.io/managed-by',
  /** Always `airflow`. */
  partOf: 'app.kubernetes.io/part-of',
  /** One of {@link AIRFLOW_COMPONENTS}. */
  component: 'app.kubernetes.io/component',
  organization: `${PREFIX}/organization`,
  workspace: `${PREFIX}/workspace`,
  deployment: `${PREFIX}/deployment`,
  /** The Deployment's immutable id; the key the engine prunes by. */
  deploymentId: `${PREFIX}/deployment-id`,
  /** The worker queue of a worker Deployment, its pods and its autoscaler. */
  queue: `${PREFIX}/queue`,
  /** Equals the Deployment's namespace; matched by Backstage's Kubernetes plugin. */
  kubernetesId: 'backstage.io/kubernetes-id',
} as const;

/**
 * Annotation keys.
 *
 * @public
 */
export const ASTRO_ANNOTATIONS = {
  /** On pod templates: hash of the config and secrets the pods read. */
  configChecksum: `${PREFIX}/config-checksum`,
  /** On ScaledObjects and HPAs: the worker concurrency of the queue. */
  workerConcurrency: `${PREFIX}/worker-concurrency`,
  /** On every object: the Deployment generation it was rendered for. */
  generation: `${PREFIX}/generation`,
} as const;

/**
 * The value of {@link ASTRO_LABELS.managedBy}.
 *
 * @public
 */
export const ASTRO_MANAGED_BY = 'airflow-portal';

/**
 * The values of {@link ASTRO_LABELS.component}. `api-server` serves the UI and
 * API on Airflow 3; Airflow 2 has a `webserver` instead.
 *
 * @public
 */
export const AIRFLOW_COMPONENTS = [
  'scheduler',
  'api-server',
  'webserver',
  'triggerer',
  'dag-processor',
  'worker',
  'redis',
  'pgbouncer',
  'postgresql',
  'migrate-database',
] as const;

/**
 * An Airflow component.
 *
 * @public
 */
export type AirflowComponent = (typeof AIRFLOW_COMPONENTS)[number];
