import type { AstroApiSchemas } from './schemas';

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
export type ComponentStatus = AstroApiSchemas['ComponentStatus'];

/**
 * A worker queue with its autoscaling bounds and current workers.
 *
 * @public
 */
export type WorkerQueueStatus = AstroApiSchemas['WorkerQueueStatus'];

/**
 * The components and workers of a Deployment.
 *
 * @public
 */
export type DeploymentComponents = AstroApiSchemas['DeploymentComponents'];

/**
 * A health sample: overall status and Airflow's own component health.
 *
 * @public
 */
export type HealthSample = AstroApiSchemas['HealthSample'];

/**
 * Health of one Airflow component as Airflow reports it.
 *
 * @public
 */
export type AirflowComponentHealth = HealthSample['components'][string];

/**
 * Current health and recent history, newest last.
 *
 * @public
 */
export type DeploymentHealth = AstroApiSchemas['DeploymentHealth'];

/**
 * Something wrong with a Deployment that the monitor opened (and resolves
 * once it is over), keyed by kind and subject.
 *
 * @public
 */
export type Incident = AstroApiSchemas['Incident'];

/**
 * What an incident is about.
 *
 * @public
 */
export type IncidentKind = AstroApiSchemas['IncidentKind'];

/**
 * One time bucket of a Deployment's history: status, heartbeat ages,
 * finished DAG runs and worker replicas.
 *
 * @public
 */
export type DeploymentHistoryPoint = AstroApiSchemas['DeploymentHistoryPoint'];

/**
 * A Deployment's history in a time range, oldest point first.
 *
 * @public
 */
export type DeploymentHistory = AstroApiSchemas['DeploymentHistory'];
