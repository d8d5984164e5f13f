/**
 * What the monitor observes about a running Deployment: provisioning
 * phases, components and workers, Airflow health over time, and incidents.
 */

/**
 * The phases of provisioning, in order. Each is reported as a Deployment
 * condition of type `<Phase>Ready` (e.g. `DatabaseReady`) while the
 * Deployment is CREATING or DEPLOYING.
 *
 * @public
 */
export const PROVISIONING_PHASES = [
  { phase: 'namespace', conditionType: 'NamespaceReady', title: 'Namespace' },
  { phase: 'database', conditionType: 'DatabaseReady', title: 'Database' },
  { phase: 'secrets', conditionType: 'SecretsReady', title: 'Secrets' },
  {
    phase: 'migration',
    conditionType: 'MigrationComplete',
    title: 'Migration',
  },
  {
    phase: 'components',
    conditionType: 'ComponentsReady',
    title: 'Components',
  },
  { phase: 'workers', conditionType: 'WorkersReady', title: 'Workers' },
] as const;

/**
 * A provisioning phase.
 *
 * @public
 */
export type ProvisioningPhase = (typeof PROVISIONING_PHASES)[number]['phase'];

/**
 * One Airflow component (scheduler, api-server, triggerer, …) as the
 * cluster runs it.
 *
 * @public
 */
export interface ComponentStatus {
  /** Component name, e.g. `scheduler`, `api-server`, `worker-default`. */
  name: string;
  /** Kubernetes kind running it: Deployment, StatefulSet or Job. */
  kind: string;
  desiredReplicas: number;
  readyReplicas: number;
  /** `Ready`, `Progressing`, `Failed` or `Missing`. */
  state: 'Ready' | 'Progressing' | 'Failed' | 'Missing';
  message?: string;
}

/**
 * A worker queue with its autoscaling bounds and current workers.
 *
 * @public
 */
export interface WorkerQueueStatus {
  name: string;
  minWorkers: number;
  maxWorkers: number;
  /** Workers the autoscaler currently wants. */
  desiredWorkers: number;
  readyWorkers: number;
}

/**
 * The components and workers of a Deployment.
 *
 * @public
 */
export interface DeploymentComponents {
  components: ComponentStatus[];
  workerQueues: WorkerQueueStatus[];
  /** When the cluster was last observed. */
  observedAt?: string;
}

/**
 * Health of one Airflow component as Airflow reports it.
 *
 * @public
 */
export type AirflowComponentHealth = 'healthy' | 'unhealthy' | 'unknown';

/**
 * A health sample: overall status and Airflow's own component health.
 *
 * @public
 */
export interface HealthSample {
  timestamp: string;
  status: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** e.g. `{ metadatabase: 'healthy', scheduler: 'unhealthy' }` */
  components: Record<string, AirflowComponentHealth>;
  /** Latest scheduler heartbeat Airflow reported. */
  schedulerHeartbeat?: string;
}

/**
 * Current health and recent history, newest last.
 *
 * @public
 */
export interface DeploymentHealth {
  current?: HealthSample;
  history: HealthSample[];
}

/**
 * A period during which a Deployment was unhealthy.
 *
 * @public
 */
export interface Incident {
  id: string;
  /** The Deployment it concerns; set in organization-wide lists. */
  deployment?: string;
  title: string;
  severity: 'critical' | 'warning';
  /** What failed, e.g. `scheduler`. */
  component?: string;
  state: 'open' | 'resolved';
  openedAt: string;
  resolvedAt?: string;
  message: string;
}
