import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  AstroApi,
  Cluster,
  Deployment,
  ifFound,
  LIMITS,
  Organization,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import { createAstroApiClient } from '@airflow-portal/plugin-astro-node';

/** The largest page the Astro API serves. */
export const MAX_PAGE_SIZE = LIMITS.maxPageSize;

/**
 * What the entity provider reads of the Astro API, through the generated
 * client with the catalog's own service token: lists page by page, so that
 * a full refresh never holds more than one page of raw Deployments, and
 * `undefined` for resources that are gone.
 */
export class AstroApiReader {
  private readonly api: AstroApi;
  private requests = 0;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.api = createAstroApiClient(options);
  }

  /** Number of API requests made so far. */
  get requestCount(): number {
    return this.requests;
  }

  private counted<T>(request: () => Promise<T>): Promise<T> {
    this.requests += 1;
    return request();
  }

  async listOrganizations(): Promise<Organization[]> {
    return (await this.counted(() => this.api.listOrganizations())).items;
  }

  getOrganization(organization: string): Promise<Organization | undefined> {
    return ifFound(
      this.counted(() =>
        this.api.getOrganization({ path: { org: organization } }),
      ),
    );
  }

  async listWorkspaces(organization: string): Promise<Workspace[]> {
    const page = await ifFound(
      this.counted(() =>
        this.api.listWorkspaces({ path: { org: organization } }),
      ),
    );
    return page?.items ?? [];
  }

  getWorkspace(
    organization: string,
    workspace: string,
  ): Promise<Workspace | undefined> {
    return ifFound(
      this.counted(() =>
        this.api.getWorkspace({ path: { org: organization, ws: workspace } }),
      ),
    );
  }

  async listClusters(): Promise<Cluster[]> {
    return (await this.counted(() => this.api.listClusters())).items;
  }

  getCluster(cluster: string): Promise<Cluster | undefined> {
    return ifFound(
      this.counted(() => this.api.getCluster({ path: { cluster } })),
    );
  }

  getDeployment(
    organization: string,
    deployment: string,
  ): Promise<Deployment | undefined> {
    return ifFound(
      this.counted(() =>
        this.api.getDeployment({
          path: { org: organization, dep: deployment },
        }),
      ),
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
      const request = {
        path: { org: organization },
        query: { workspace: options.workspace, limit, cursor },
      };
      const page = await ifFound(
        this.counted(() => this.api.listDeployments(request)),
      );
      if (!page) {
        return;
      }
      yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
