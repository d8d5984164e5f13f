import { ClusterError } from '@airflow-portal/plugin-astro-node';
import { errorFromResponse } from './errors';
import { KubernetesTransport } from './KubernetesTransport';

/** What discovery says about one kind. */
export interface ResolvedResource {
  /** The group version it is served in, e.g. `apps/v1`. */
  apiVersion: string;
  /** The path segment, e.g. `deployments`. */
  plural: string;
  namespaced: boolean;
}

interface CacheEntry {
  fetchedAt: number;
  resources: Map<string, ResolvedResource>;
}

/** How long a discovery answer that lacks a kind is trusted. */
const MISS_TTL_MS = 10_000;

/** `/apis/apps/v1` or `/api/v1`. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
}

/**
 * Resolves kinds to their resource paths through the discovery API, like
 * kubectl's REST mapper, caching each group version's resource list. A
 * kind missing from the cached list is looked up again after a while (a
 * CRD such as KEDA's may be installed later).
 */
export class ResourceResolver {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly transport: KubernetesTransport) {}

  /** The resource of a kind, or `undefined` when the server does not serve it. */
  async resolve(
    apiVersion: string,
    kind: string,
  ): Promise<ResolvedResource | undefined> {
    const cached = this.cache.get(apiVersion);
    const hit = cached?.resources.get(kind);
    if (hit || (cached && Date.now() - cached.fetchedAt < MISS_TTL_MS)) {
      return hit;
    }
    const resources = await this.fetch(apiVersion);
    this.cache.set(apiVersion, { fetchedAt: Date.now(), resources });
    return resources.get(kind);
  }

  private async fetch(
    apiVersion: string,
  ): Promise<Map<string, ResolvedResource>> {
    const what = `discover ${apiVersion}`;
    const response = await this.transport.request({
      method: 'GET',
      path: groupVersionPath(apiVersion),
      what,
    });
    const resources = new Map<string, ResolvedResource>();
    if (response.status === 404) {
      return resources;
    }
    if (response.status !== 200) {
      throw errorFromResponse(what, response.status, response.body);
    }
    let list: unknown;
    try {
      list = JSON.parse(response.body);
    } catch (error) {
      throw new ClusterError(
        'ServerError',
        `${what}: not a JSON answer`,
        200,
        error,
      );
    }
    const entries =
      typeof list === 'object' &&
      list !== null &&
      'resources' in list &&
      Array.isArray(list.resources)
        ? list.resources
        : [];
    for (const entry of entries) {
      if (
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.name === 'string' &&
        typeof entry.kind === 'string' &&
        !entry.name.includes('/')
      ) {
        resources.set(entry.kind, {
          apiVersion,
          plural: entry.name,
          namespaced: entry.namespaced === true,
        });
      }
    }
    return resources;
  }
}
