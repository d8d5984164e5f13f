import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
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
import { AstroApi } from './AstroApi';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const segment = encodeURIComponent;

/**
 * {@link AstroApi} over HTTP, with the user's Backstage token.
 *
 * @public
 */
export class AstroClient implements AstroApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async request(
    method: Method,
    path: string,
    init: {
      body?: unknown;
      text?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('astro');
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.text !== undefined) {
      headers['Content-Type'] = 'application/yaml';
      body = init.text;
    } else if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body,
      // Status changes without a new version, and the API's ETags follow
      // the version: a revalidated cache entry would show a stale status.
      cache: 'no-store',
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    method: Method,
    path: string,
    init?: { body?: unknown; text?: string; headers?: Record<string, string> },
  ): Promise<T> {
    return (await this.request(method, path, init)).json();
  }

  private static query(params: Record<string, string | number | undefined>) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) {
        search.set(key, String(value));
      }
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  }

  getDeploymentOptions(): Promise<DeploymentOptions> {
    return this.json('GET', '/deployment-options');
  }

  async listOrganizations(): Promise<Organization[]> {
    return (await this.json<{ items: Organization[] }>('GET', '/organizations'))
      .items;
  }

  getOrganization(organization: string): Promise<Organization> {
    return this.json('GET', `/organizations/${segment(organization)}`);
  }

  createOrganization(
    request: OrganizationCreateRequest,
  ): Promise<Organization> {
    return this.json('POST', '/organizations', { body: request });
  }

  async listWorkspaces(organization: string): Promise<Workspace[]> {
    return (
      await this.json<{ items: Workspace[] }>(
        'GET',
        `/organizations/${segment(organization)}/workspaces`,
      )
    ).items;
  }

  getWorkspace(organization: string, workspace: string): Promise<Workspace> {
    return this.json(
      'GET',
      `/organizations/${segment(organization)}/workspaces/${segment(
        workspace,
      )}`,
    );
  }

  createWorkspace(
    organization: string,
    request: WorkspaceCreateRequest,
  ): Promise<Workspace> {
    return this.json(
      'POST',
      `/organizations/${segment(organization)}/workspaces`,
      { body: request },
    );
  }

  updateWorkspace(
    organization: string,
    workspace: string,
    request: WorkspaceUpdateRequest,
  ): Promise<Workspace> {
    return this.json(
      'PATCH',
      `/organizations/${segment(organization)}/workspaces/${segment(
        workspace,
      )}`,
      { body: request },
    );
  }

  async listClusters(): Promise<Cluster[]> {
    return (await this.json<{ items: Cluster[] }>('GET', '/clusters')).items;
  }

  getCluster(cluster: string): Promise<Cluster> {
    return this.json('GET', `/clusters/${segment(cluster)}`);
  }

  listDeployments(
    organization: string,
    query: { workspace?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<Deployment>> {
    return this.json(
      'GET',
      `/organizations/${segment(organization)}/deployments${AstroClient.query(
        query,
      )}`,
    );
  }

  getDeployment(organization: string, deployment: string): Promise<Deployment> {
    return this.json(
      'GET',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}`,
    );
  }

  createDeployment(
    organization: string,
    request: DeploymentCreateRequest,
    options: { idempotencyKey?: string } = {},
  ): Promise<Deployment> {
    return this.json(
      'POST',
      `/organizations/${segment(organization)}/deployments`,
      {
        body: request,
        headers: options.idempotencyKey
          ? { 'Idempotency-Key': options.idempotencyKey }
          : undefined,
      },
    );
  }

  updateDeployment(
    organization: string,
    deployment: string,
    request: DeploymentUpdateRequest,
  ): Promise<Deployment> {
    return this.json(
      'PATCH',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}`,
      { body: request },
    );
  }

  deleteDeployment(
    organization: string,
    deployment: string,
  ): Promise<Deployment> {
    return this.json(
      'DELETE',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}`,
    );
  }

  getVariables(
    organization: string,
    deployment: string,
  ): Promise<{ environmentVariables: EnvironmentVariable[]; version: number }> {
    return this.json(
      'GET',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}/variables`,
    );
  }

  putVariables(
    organization: string,
    deployment: string,
    request: VariablesUpdateRequest,
  ): Promise<{ environmentVariables: EnvironmentVariable[]; version: number }> {
    return this.json(
      'PUT',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}/variables`,
      { body: request },
    );
  }

  listDeploymentEvents(
    organization: string,
    deployment: string,
    query: { limit?: number; cursor?: string } = {},
  ): Promise<Page<AstroEvent>> {
    return this.json(
      'GET',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}/events${AstroClient.query(query)}`,
    );
  }

  private deploymentPath(organization: string, deployment: string) {
    return `/organizations/${segment(organization)}/deployments/${segment(
      deployment,
    )}`;
  }

  getDeploymentComponents(
    organization: string,
    deployment: string,
  ): Promise<DeploymentComponents> {
    return this.json(
      'GET',
      `${this.deploymentPath(organization, deployment)}/components`,
    );
  }

  getDeploymentHealth(
    organization: string,
    deployment: string,
  ): Promise<DeploymentHealth> {
    return this.json(
      'GET',
      `${this.deploymentPath(organization, deployment)}/health`,
    );
  }

  async listDeploymentIncidents(
    organization: string,
    deployment: string,
  ): Promise<Incident[]> {
    return (
      await this.json<{ items: Incident[] }>(
        'GET',
        `${this.deploymentPath(organization, deployment)}/incidents`,
      )
    ).items;
  }

  async listOrganizationIncidents(
    organization: string,
    query: { state?: Incident['state']; limit?: number } = {},
  ): Promise<Incident[]> {
    return (
      await this.json<{ items: Incident[] }>(
        'GET',
        `/organizations/${segment(organization)}/incidents${AstroClient.query(
          query,
        )}`,
      )
    ).items;
  }

  async exportDeployment(
    organization: string,
    deployment: string,
  ): Promise<string> {
    const response = await this.request(
      'GET',
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}/spec`,
    );
    return response.text();
  }

  importDeployment(
    organization: string,
    file: string,
  ): Promise<{ created: boolean; deployment: Deployment }> {
    return this.json(
      'POST',
      `/organizations/${segment(organization)}/deployments:import`,
      { text: file },
    );
  }
}
