/**
 * Names and ports of the objects inside a Deployment's namespace. The
 * namespace belongs to one Deployment, so no name repeats the Deployment's.
 */

/** A Secret or ConfigMap a pod reads, as `Secret/<name>` or `ConfigMap/<name>`. */
export type ConfigRef = `${'Secret' | 'ConfigMap'}/${string}`;

/** Object names shared by several renderer modules. */
export const NAMES = {
  /**
   * Service accounts, one per kind of pod. Only the scheduler (Kubernetes
   * executor) and the workers and task pods (with
   * `settings.kubernetesPodOperator`) get a token and the pod launcher
   * Role; the others have no Kubernetes API access.
   */
  schedulerServiceAccount: 'airflow-scheduler',
  /** API server (Airflow 3) or webserver (Airflow 2). */
  uiServiceAccount: 'airflow-ui',
  triggererServiceAccount: 'airflow-triggerer',
  dagProcessorServiceAccount: 'airflow-dag-processor',
  /** Celery workers and Kubernetes-executor task pods. */
  workerServiceAccount: 'airflow-worker',
  migrationServiceAccount: 'airflow-migration',
  podLauncherRole: 'pod-launcher',
  /** Fernet key, JWT secret, API secret key. */
  keysSecret: 'airflow-keys',
  /** Metadata database connection (through pgbouncer). */
  metadataSecret: 'airflow-metadata',
  /** Celery broker URL and the Redis password. */
  brokerSecret: 'airflow-broker',
  /** Users' secret environment variables. */
  envSecret: 'airflow-env',
  /** Users' plain environment variables. */
  envConfigMap: 'airflow-env',
  /** Airflow configuration, as `AIRFLOW__SECTION__KEY` variables. */
  configMap: 'airflow-config',
  /** `pod_template_file.yaml` of the Kubernetes executor. */
  podTemplateConfigMap: 'airflow-pod-template',
  pgbouncerSecret: 'pgbouncer-config',
  postgresSecret: 'postgresql',
  postgres: 'postgresql',
  pgbouncer: 'pgbouncer',
  redis: 'redis',
  /** KEDA TriggerAuthentication holding the metadata database connection. */
  triggerAuthentication: 'metadata-database',
  /** The bundle token of the DAG sync (key `token`); a contract name. */
  dagSyncSecret: 'astro-dag-sync',
  /** The DAG sync script (key `dag_sync.py`); a contract name. */
  dagSyncConfigMap: 'astro-dag-sync',
  /** The portal sign-in code (package `airflow_portal_auth`); a contract name. */
  portalAuthConfigMap: 'astro-portal-auth',
} as const;

/** Container ports. */
export const PORTS = {
  airflowUi: 8080,
  pgbouncer: 6543,
  redis: 6379,
  postgres: 5432,
  workerLogs: 8793,
  triggererLogs: 8794,
} as const;

/** The database alias pgbouncer serves the metadata database under. */
export const PGBOUNCER_DATABASE = 'airflow-metadata';

/** Where the Kubernetes executor's pod template is mounted. */
export const POD_TEMPLATE_PATH =
  '/opt/airflow/pod_templates/pod_template_file.yaml';

/** Where the shared `dags` volume is mounted in Airflow and DAG sync containers. */
export const DAGS_MOUNT_PATH = '/opt/airflow/dags';

/** Airflow's DAGs folder under DAG sync (and git-sync): a symbolic link swapped atomically. */
export const CURRENT_DAGS_PATH = `${DAGS_MOUNT_PATH}/current`;

/** Where the DAG sync script's ConfigMap is mounted. */
export const DAG_SYNC_SCRIPT_DIR = '/opt/astro';

/** Key of the script in its ConfigMap. */
export const DAG_SYNC_SCRIPT_KEY = 'dag_sync.py';
