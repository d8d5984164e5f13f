/*
 * The resources of the Astro API. Every type here names a schema of the
 * OpenAPI document (plugins/astro-backend/src/schema/openapi.yaml); the
 * document is the definition, these are its names in TypeScript.
 */
import type { AstroApiSchemas } from './schemas';

/**
 * Fields every resource has: its immutable name, display name, audit
 * fields and the version that guards concurrent updates.
 *
 * @public
 */
export type ResourceMetadata = AstroApiSchemas['ResourceMetadata'];

/**
 * The top of the hierarchy: owns Workspaces and dedicated Clusters.
 *
 * @public
 */
export type Organization = AstroApiSchemas['Organization'];

/**
 * A group of Deployments of one organization, owned by a team.
 *
 * @public
 */
export type Workspace = AstroApiSchemas['Workspace'];

/**
 * A Kubernetes cluster Deployments run on.
 *
 * @public
 */
export type Cluster = AstroApiSchemas['Cluster'];

/**
 * `standard`: shared by organizations; `dedicated`: one organization's.
 *
 * @public
 */
export type ClusterType = Cluster['type'];

/**
 * What a cluster offers, as its discovery API reports it.
 *
 * @public
 */
export type ClusterCapabilitiesSummary = NonNullable<Cluster['capabilities']>;

/**
 * Since when a cluster answers or does not, and why it did not.
 *
 * @public
 */
export type ClusterReachability = NonNullable<Cluster['reachability']>;

/**
 * What a cluster's nodes offer and what the quotas of its Deployments
 * reserve of it.
 *
 * @public
 */
export type ClusterCapacity = NonNullable<Cluster['capacity']>;

/**
 * An Airflow environment.
 *
 * @public
 */
export type Deployment = AstroApiSchemas['Deployment'];

/**
 * A Deployment as the Deployments table lists it: with its open incident
 * count and its newest deploy.
 *
 * @public
 */
export type DeploymentSummary = AstroApiSchemas['DeploymentSummary'];

/**
 * A page of the Deployments table, with the number of all that match.
 *
 * @public
 */
export type DeploymentSummaryPage = AstroApiSchemas['DeploymentSummaryPage'];

/**
 * Lifecycle status of a Deployment.
 *
 * @public
 */
export type DeploymentStatus = Deployment['status'];

/**
 * Every {@link DeploymentStatus}, in lifecycle order.
 *
 * @public
 */
export const DEPLOYMENT_STATUSES = [
  'CREATING',
  'DEPLOYING',
  'HEALTHY',
  'UNHEALTHY',
  'HIBERNATING',
  'DELETING',
  'UNKNOWN',
] as const satisfies readonly DeploymentStatus[];

// Fails to compile when the document gains a status the list lacks.
const allStatusesListed: Exclude<
  DeploymentStatus,
  (typeof DEPLOYMENT_STATUSES)[number]
> extends never
  ? true
  : never = true;
void allStatusesListed;

/**
 * An observation about a Deployment, in the style of Kubernetes conditions.
 *
 * @public
 */
export type DeploymentCondition = AstroApiSchemas['Condition'];

/**
 * An entry of a Deployment's history: a change someone made, or a status
 * change the platform observed. Secret values are redacted.
 *
 * @public
 */
export type AstroEvent = AstroApiSchemas['Event'];

/**
 * A page of a list.
 *
 * @public
 */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * A Deployment's environment variables, secret values left out.
 *
 * @public
 */
export type DeploymentVariables = AstroApiSchemas['Variables'];

/**
 * What importing a deployment file did.
 *
 * @public
 */
export type ImportResult = AstroApiSchemas['ImportResult'];

/**
 * A role a user or group of the catalog holds on an organization,
 * workspace or Deployment.
 *
 * @public
 */
export type RoleBinding = AstroApiSchemas['RoleBinding'];

/**
 * A role to grant to a user or group.
 *
 * @public
 */
export type RoleBindingInput = AstroApiSchemas['RoleBindingInput'];

/**
 * The caller's permissions on a resource and the bindings that give them.
 *
 * @public
 */
export type MyPermissions = AstroApiSchemas['MyPermissions'];

/**
 * Whether a Deployment hibernates now, why, and when it next sleeps or
 * wakes, as the backend computes it from its schedules and override.
 *
 * @public
 */
export type HibernationState = AstroApiSchemas['HibernationState'];

/**
 * A manual hibernation or wake-up in force on a Deployment.
 *
 * @public
 */
export type HibernationOverride = AstroApiSchemas['HibernationOverride'];

/**
 * A coming moment a Deployment goes to sleep or wakes up.
 *
 * @public
 */
export type HibernationTransition = AstroApiSchemas['HibernationTransition'];
