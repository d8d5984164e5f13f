import { DeploymentSettings } from '../settings/types';

/**
 * Fields every resource has.
 *
 * @public
 */
export interface ResourceMetadata {
  /** Immutable name, unique in its parent. */
  name: string;
  title: string;
  description: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Increases with every change; send it back to update without overwriting others' changes. */
  version: number;
}

/**
 * The top of the hierarchy: owns Workspaces and dedicated Clusters.
 *
 * @public
 */
export interface Organization extends ResourceMetadata {}

/**
 * A group of Deployments of one organization, owned by a team.
 *
 * @public
 */
export interface Workspace extends ResourceMetadata {
  organization: string;
  /** Entity ref of the owning group, e.g. `group:default/data-eng`. */
  owner?: string;
  /** Dedicated clusters of the organization this workspace may deploy to. */
  clusterGrants: string[];
}

/**
 * `standard`: shared by organizations; `dedicated`: one organization's.
 *
 * @public
 */
export type ClusterType = 'standard' | 'dedicated';

/**
 * A Kubernetes cluster Deployments run on.
 *
 * @public
 */
export interface Cluster extends ResourceMetadata {
  type: ClusterType;
  /** The organization of a dedicated cluster. */
  organization?: string;
  provider: string;
  region: string;
  /** `kubernetes`, `simulator` or a driver added by a module. */
  driver: string;
  /** `api`: registered through the API; `declared`: by config or a backend module. */
  source: 'api' | 'declared';
  /** Number of Deployments placed on it. */
  deploymentCount: number;
  /** What the platform learned from the cluster's API, when it answered. */
  capabilities?: ClusterCapabilitiesSummary;
  /** Whether the cluster's API answered the last time the platform asked. */
  reachable?: boolean;
}

/**
 * What a cluster offers, as its discovery API reports it.
 *
 * @public
 */
export interface ClusterCapabilitiesSummary {
  /** Whether KEDA is installed (workers scale with ScaledObjects). */
  keda: boolean;
  /** Kubernetes version, e.g. `v1.31.2`. */
  kubernetesVersion: string;
}

/**
 * Lifecycle status of a Deployment.
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
] as const;

/** @public */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * An observation about a Deployment, in the style of Kubernetes conditions.
 *
 * @public
 */
export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

/**
 * An Airflow environment.
 *
 * @public
 */
export interface Deployment extends ResourceMetadata {
  organization: string;
  workspace: string;
  cluster: string;
  /** Kubernetes namespace it runs in; fixed at creation. */
  namespace: string;
  /** Entity ref of the owning group; the workspace's owner when absent. */
  owner?: string;
  /** Secret variable values are never returned. */
  settings: DeploymentSettings;
  status: DeploymentStatus;
  statusReason?: string;
  statusChangedAt: string;
  conditions: DeploymentCondition[];
  /** Increases with every settings change. */
  generation: number;
  /** The generation the cluster last converged to. */
  observedGeneration: number;
  /** Where the Airflow UI is, once known. */
  airflowUrl?: string;
}

/**
 * An entry of a Deployment's history: a change someone made, or a status
 * change the platform observed. Secret values are redacted.
 *
 * @public
 */
export interface AstroEvent {
  id: string;
  organization: string;
  resourceType: 'organization' | 'workspace' | 'cluster' | 'deployment';
  /** Path of the resource, e.g. `acme/prod-etl`. */
  resourceName: string;
  action: string;
  actor: string;
  message: string;
  before?: unknown;
  after?: unknown;
  createdAt: string;
}

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
