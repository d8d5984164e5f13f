import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Cluster,
  Deployment,
  Organization,
  Page,
  Workspace,
} from '@airflow-portal/plugin-astro-common';

/** The largest page the Astro API serves. */
export const MAX_PAGE_SIZE = 500;

const segment = encodeURIComponent;

/**
 * Reads the Astro backend's REST API with a service token of the catalog,
 * for the entity provider. Lists of Deployments are read a page at a time
 * so that a full refresh never holds more than one page of raw resources.
 */
export class AstroApiReader {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly fetchImpl?: typeof fetch;
  private requests = 0;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    /** Defaults to the global fetch. */
    fetch?: typeof fetch;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.fetchImpl = options.fetch;
  }

  /** Number of HTTP requests made so far. */
  get requestCount(): number {
    return this.requests;
  }

  /** GETs a path of the API; `undefined` when it answers 404. */
  private async get<T>(path: string): Promise<T | undefined> {
    const baseUrl = await this.discovery.getBaseUrl('astro');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'astro',
    });
    this.requests += 1;
    const response = await (this.fetchImpl ?? fetch)(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    if (response.status === 404) {
      // Drain the body so that the connection is reused.
      await response.arrayBuffer();
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private async list<T>(path: string): Promise<T[]> {
    const page = await this.get<{ items: T[] }>(path);
    return page?.items ?? [];
  }

  listOrganizations(): Promise<Organization[]> {
    return this.list('/organizations');
  }

  getOrganization(organization: string): Promise<Organization | undefined> {
    return this.get(`/organizations/${segment(organization)}`);
  }

  listWorkspaces(organization: string): Promise<Workspace[]> {
    return this.list(`/organizations/${segment(organization)}/workspaces`);
  }

  getWorkspace(
    organization: string,
    workspace: string,
  ): Promise<Workspace | undefined> {
    return this.get(
      `/organizations/${segment(organization)}/workspaces/${segment(
        workspace,
      )}`,
    );
  }

  listClusters(): Promise<Cluster[]> {
    return this.list('/clusters');
  }

  getCluster(cluster: string): Promise<Cluster | undefined> {
    return this.get(`/clusters/${segment(cluster)}`);
  }

  getDeployment(
    organization: string,
    deployment: string,
  ): Promise<Deployment | undefined> {
    return this.get(
      `/organizations/${segment(organization)}/deployments/${segment(
        deployment,
      )}`,
    );
  }

  /**
   * The Deployments of an organization (or of one of its workspaces), one
   * page at a time. Ends early when the organization or workspace is gone.
   */
  async *deploymentPages(
    organization: string,
    options: { workspace?: string; pageSize?: number } = {},
  ): AsyncGenerator<Deployment[]> {
    const limit = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(limit) });
      if (options.workspace) {
        query.set('workspace', options.workspace);
      }
      if (cursor) {
        query.set('cursor', cursor);
      }
      const page: Page<Deployment> | undefined = await this.get(
        `/organizations/${segment(organization)}/deployments?${query}`,
      );
      if (!page) {
        return;
      }
      yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
