import { createApiRef } from '@backstage/core-plugin-api';
import {
  AstroEvent,
  Cluster,
  Deployment,
  DeploymentComponents,
  DeploymentHealth,
  Incident,
  DeploymentCreateRequest,
  DeploymentOptions,
  DeploymentUpdateRequest,
  EnvironmentVariable,
  Organization,
  OrganizationCreateRequest,
  Page,
  VariablesUpdateRequest,
  Workspace,
  WorkspaceCreateRequest,
  WorkspaceUpdateRequest,
} from '@airflow-portal/plugin-astro-common';

/**
 * The Astro backend's REST API, as the frontend uses it. Failed requests
 * reject with a `ResponseError` from `@backstage/errors`, whose
 * `response.status` tells a 409 conflict from a 400 validation error.
 *
 * @public
 */
export interface AstroApi {
  getDeploymentOptions(): Promise<DeploymentOptions>;

  listOrganizations(): Promise<Organization[]>;
  getOrganization(organization: string): Promise<Organization>;
  createOrganization(request: OrganizationCreateRequest): Promise<Organization>;

  listWorkspaces(organization: string): Promise<Workspace[]>;
  getWorkspace(organization: string, workspace: string): Promise<Workspace>;
  createWorkspace(
    organization: string,
    request: WorkspaceCreateRequest,
  ): Promise<Workspace>;
  updateWorkspace(
    organization: string,
    workspace: string,
    request: WorkspaceUpdateRequest,
  ): Promise<Workspace>;

  listClusters(): Promise<Cluster[]>;
  getCluster(cluster: string): Promise<Cluster>;

  listDeployments(
    organization: string,
    query?: { workspace?: string; limit?: number; cursor?: string },
  ): Promise<Page<Deployment>>;
  getDeployment(organization: string, deployment: string): Promise<Deployment>;
  createDeployment(
    organization: string,
    request: DeploymentCreateRequest,
    options?: { idempotencyKey?: string },
  ): Promise<Deployment>;
  updateDeployment(
    organization: string,
    deployment: string,
    request: DeploymentUpdateRequest,
  ): Promise<Deployment>;
  deleteDeployment(
    organization: string,
    deployment: string,
  ): Promise<Deployment>;

  getVariables(
    organization: string,
    deployment: string,
  ): Promise<{ environmentVariables: EnvironmentVariable[]; version: number }>;
  putVariables(
    organization: string,
    deployment: string,
    request: VariablesUpdateRequest,
  ): Promise<{ environmentVariables: EnvironmentVariable[]; version: number }>;

  listDeploymentEvents(
    organization: string,
    deployment: string,
    query?: { limit?: number; cursor?: string },
  ): Promise<Page<AstroEvent>>;

  getDeploymentComponents(
    organization: string,
    deployment: string,
  ): Promise<DeploymentComponents>;
  getDeploymentHealth(
    organization: string,
    deployment: string,
  ): Promise<DeploymentHealth>;
  listDeploymentIncidents(
    organization: string,
    deployment: string,
  ): Promise<Incident[]>;
  /** Incidents across an organization, newest first. */
  listOrganizationIncidents(
    organization: string,
    query?: { state?: Incident['state']; limit?: number },
  ): Promise<Incident[]>;

  exportDeployment(organization: string, deployment: string): Promise<string>;
  importDeployment(
    organization: string,
    file: string,
  ): Promise<{ created: boolean; deployment: Deployment }>;
}

/**
 * Reference to the {@link AstroApi}.
 *
 * @public
 */
export const astroApiRef = createApiRef<AstroApi>({ id: 'plugin.astro.api' });
