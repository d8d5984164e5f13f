import { Entity } from '@backstage/catalog-model';
import { ClusterType, DeploymentStatus } from '../api/resources';
import { Executor, SchedulerSize } from '../settings/options';
import { ASTRO_ENTITY_API_VERSION } from './constants';

/**
 * An Astro Organization in the software catalog: the top of the hierarchy.
 *
 * @public
 */
export interface AstroOrganizationEntityV1alpha1 extends Entity {
  apiVersion: typeof ASTRO_ENTITY_API_VERSION;
  kind: 'AstroOrganization';
  spec: {
    /** Entity ref of the owning group; `default` namespace when omitted. */
    owner?: string;
  };
}

/**
 * An Astro Workspace in the software catalog: a team's group of Deployments.
 *
 * @public
 */
export interface AstroWorkspaceEntityV1alpha1 extends Entity {
  apiVersion: typeof ASTRO_ENTITY_API_VERSION;
  kind: 'AstroWorkspace';
  spec: {
    /** Ref of the AstroOrganization; namespace defaults to the entity's. */
    organization: string;
    /** Entity ref of the owning group; `default` namespace when omitted. */
    owner?: string;
    /** Names of the dedicated clusters the workspace may deploy to. */
    clusterGrants?: string[];
  };
}

/**
 * A worker queue as an AstroDeployment entity summarises it.
 *
 * @public
 */
export type AstroDeploymentEntityWorkerQueue = {
  name: string;
  isDefault?: boolean;
  /** Worker machine type, e.g. `A5`. */
  workerSize: string;
  minWorkers: number;
  maxWorkers: number;
  concurrency: number;
};

/**
 * An Astro Deployment (one Airflow environment) in the software catalog.
 * Carries a summary of its settings and its status; never environment
 * variables or any other secret.
 *
 * @public
 */
export interface AstroDeploymentEntityV1alpha1 extends Entity {
  apiVersion: typeof ASTRO_ENTITY_API_VERSION;
  kind: 'AstroDeployment';
  spec: {
    /** Ref of the AstroOrganization; namespace defaults to the entity's. */
    organization: string;
    /** Ref of the AstroWorkspace; namespace defaults to the entity's. */
    workspace: string;
    /** Ref of the AstroCluster it runs on; namespace defaults to `default`. */
    cluster: string;
    /** Entity ref of the owning group; `default` namespace when omitted. */
    owner?: string;
    /** The Kubernetes namespace the Deployment runs in. */
    namespace: string;
    /** The Airflow UI, once known. */
    airflowUrl?: string;
    /** Summary of the Deployment's settings. */
    settings: {
      airflowVersion: string;
      executor: Executor;
      schedulerSize: SchedulerSize;
      highAvailability?: boolean;
      workerQueues: AstroDeploymentEntityWorkerQueue[];
    };
    /** Status when the entity was last projected from the Astro API. */
    status?: {
      state: DeploymentStatus;
      reason?: string;
      /** ISO 8601 time of the last status change. */
      since?: string;
    };
  };
}

/**
 * A Kubernetes cluster Astro Deployments run on, in the software catalog.
 *
 * @public
 */
export interface AstroClusterEntityV1alpha1 extends Entity {
  apiVersion: typeof ASTRO_ENTITY_API_VERSION;
  kind: 'AstroCluster';
  spec: {
    /** `standard`: shared by organizations; `dedicated`: one organization's. */
    type: ClusterType;
    /** Cloud or platform, e.g. `aws`, `simulator`. */
    provider: string;
    region: string;
    /** Ref of the AstroOrganization of a dedicated cluster. */
    organization?: string;
    /** Entity ref of the owning group; `default` namespace when omitted. */
    owner?: string;
  };
}

/**
 * Any Astro entity.
 *
 * @public
 */
export type AstroEntity =
  | AstroOrganizationEntityV1alpha1
  | AstroWorkspaceEntityV1alpha1
  | AstroDeploymentEntityV1alpha1
  | AstroClusterEntityV1alpha1;
