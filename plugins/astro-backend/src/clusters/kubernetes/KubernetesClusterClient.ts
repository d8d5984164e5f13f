import {
  ApplyOptions,
  ClusterCapabilities,
  ClusterClient,
  ClusterError,
  ClusterInformer,
  KindRef,
  KubernetesObject,
  ObjectList,
  ObjectRef,
  ProxyResponse,
} from '@airflow-portal/plugin-astro-node';
import { BackoffOptions } from '../../lib/backoff';
import { errorFromResponse } from './errors';
import { KubernetesInformer } from './KubernetesInformer';
import { KubernetesTransport, TransportResponse } from './KubernetesTransport';
import {
  groupVersionPath,
  ResolvedResource,
  ResourceResolver,
} from './ResourceResolver';

/**
 * The server-side timeout of one watch: between `shortest` and twice it,
 * at random, as client-go's reflector picks it, so that watches opened
 * together (every informer of a cluster, at start or after an outage) do
 * not all end, resume and possibly re-list together.
 */
export function watchTimeoutSeconds(
  shortest: number,
  random: () => number = Math.random,
): number {
  return shortest + Math.floor(random() * shortest);
}

/** Tuning of a {@link KubernetesClusterClient}. */
export interface KubernetesClientOptions {
  /** The cluster's name, for messages. */
  clusterName: string;
  /**
   * Shortest server-side timeout asked of a watch, after which it is
   * resumed; each watch asks for a random time between it and twice it.
   */
  watchTimeoutSeconds: number;
  /** A watch silent for this long (no event, no bookmark) is restarted. */
  watchIdleTimeoutMs: number;
  /** Backoff of informers after failures. */
  informerBackoff: BackoffOptions;
  /** The request timeout, for messages. */
  requestTimeoutMs: number;
  /**
   * Objects per page of a list (`limit`, followed by `continue`), so that
   * no single answer grows with the cluster; 0 lists in one request.
   */
  listPageSize: number;
}

/** Objects per list page unless configured: what client-go's reflector asks for. */
export const DEFAULT_LIST_PAGE_SIZE = 500;

const KEDA_GROUP_VERSION = 'keda.sh/v1alpha1';

function parseJson(what: string, response: TransportResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch (error) {
    throw new ClusterError(
      'ServerError',
      `${what}: the answer is not JSON`,
      response.status,
      error,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(what: string, value: unknown): KubernetesObject {
  if (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string'
  ) {
    return {
      ...value,
      apiVersion: value.apiVersion,
      kind: value.kind,
      metadata: { ...value.metadata, name: value.metadata.name },
    };
  }
  throw new ClusterError(
    'ServerError',
    `${what}: the answer is not a Kubernetes object`,
  );
}

function describeRef(ref: {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}): string {
  const kind = `${ref.apiVersion} ${ref.kind}`;
  if (ref.name !== undefined) {
    return `${kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  }
  return ref.namespace ? `${kind} in ${ref.namespace}` : kind;
}

/**
 * A {@link ClusterClient} talking to a Kubernetes API server over HTTP with
 * `@kubernetes/client-node`.
 *
 * @public
 */
export class KubernetesClusterClient implements ClusterClient {
  private readonly resolver: ResourceResolver;
  private readonly informers = new Set<KubernetesInformer>();

  /** @internal */
  constructor(
    private readonly transport: KubernetesTransport,
    private readonly options: KubernetesClientOptions,
  ) {
    this.resolver = new ResourceResolver(transport);
  }

  async capabilities(): Promise<ClusterCapabilities> {
    const [version, core, groups] = await Promise.all([
      this.getJson('/version', 'read the server version'),
      this.getJson('/api', 'discover the core API'),
      this.getJson('/apis', 'discover the API groups'),
    ]);
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const coreVersions =
      isRecord(core) && Array.isArray(core.versions)
        ? core.versions.filter((v): v is string => typeof v === 'string')
        : [];
    const groupVersions =
      isRecord(groups) && Array.isArray(groups.groups)
        ? groups.groups.flatMap(group =>
            isRecord(group) && Array.isArray(group.versions)
              ? group.versions.flatMap(v =>
                  isRecord(v) && typeof v.groupVersion === 'string'
                    ? [v.groupVersion]
                    : [],
                )
              : [],
          )
        : [];
    const apiGroupVersions = [...coreVersions, ...groupVersions];
    return {
      serverVersion: {
        major: text(isRecord(version) ? version.major : undefined),
        minor: text(isRecord(version) ? version.minor : undefined),
        gitVersion: text(isRecord(version) ? version.gitVersion : undefined),
      },
      apiGroupVersions,
      keda: apiGroupVersions.includes(KEDA_GROUP_VERSION),
    };
  }

  async apply(
    object: KubernetesObject,
    options: ApplyOptions,
  ): Promise<KubernetesObject> {
    const ref = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
    };
    const what = this.what(`apply ${describeRef(ref)}`);
    if (!options.fieldManager) {
      throw new ClusterError('Invalid', `${what}: a field manager is required`);
    }
    const resource = await this.require(ref, what);
    this.requireNamespace(resource, ref, what);
    const { managedFields: _managedFields, ...metadata } = object.metadata;
    const response = await this.transport.request({
      method: 'PATCH',
      path: this.objectPath(resource, ref.namespace, ref.name),
      query: {
        fieldManager: options.fieldManager,
        force: options.force ? 'true' : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      contentType: 'application/apply-patch+yaml',
      body: { ...object, metadata },
      what,
      // Declarative: the same apply twice leaves what the first left.
      repeatable: true,
    });
    if (response.status !== 200 && response.status !== 201) {
      throw errorFromResponse(what, response.status, response.body);
    }
    return asObject(what, parseJson(what, response));
  }

  async get(ref: ObjectRef): Promise<KubernetesObject | undefined> {
    const what = this.what(`get ${describeRef(ref)}`);
    const resource = await this.resolver.resolve(ref.apiVersion, ref.kind);
    if (!resource) {
      return undefined;
    }
    this.requireNamespace(resource, ref, what);
    const response = await this.transport.request({
      method: 'GET',
      path: this.objectPath(resource, ref.namespace, ref.name),
      what,
    });
    if (response.status === 404) {
      return undefined;
    }
    if (response.status !== 200) {
      throw errorFromResponse(what, response.status, response.body);
    }
    return asObject(what, parseJson(what, response));
  }

  async list(
    kind: KindRef,
    options: { labelSelector?: string } = {},
  ): Promise<ObjectList> {
    const what = this.what(`list ${describeRef(kind)}`);
    const resource = await this.require(kind, what);
    return this.listResource(resource, kind, options.labelSelector, what);
  }

  async delete(
    ref: ObjectRef,
    options: {
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    } = {},
  ): Promise<boolean> {
    const what = this.what(`delete ${describeRef(ref)}`);
    const resource = await this.resolver.resolve(ref.apiVersion, ref.kind);
    if (!resource) {
      return false;
    }
    this.requireNamespace(resource, ref, what);
    const response = await this.transport.request({
      method: 'DELETE',
      path: this.objectPath(resource, ref.namespace, ref.name),
      query: { propagationPolicy: options.propagationPolicy },
      what,
    });
    if (response.status === 404) {
      return false;
    }
    if (response.status !== 200 && response.status !== 202) {
      throw errorFromResponse(what, response.status, response.body);
    }
    return true;
  }

  informer(
    kind: KindRef,
    options: {
      labelSelector?: string;
      transform?: (object: KubernetesObject) => KubernetesObject;
    } = {},
  ): ClusterInformer {
    const target = `${describeRef(kind)}${
      options.labelSelector ? ` (${options.labelSelector})` : ''
    }`;
    const describe = (action: string) => this.what(`${action} ${target}`);
    let resolved: ResolvedResource | undefined;
    const resolve = async () => {
      resolved ??= await this.require(kind, describe('watch'));
      return resolved;
    };
    const informer: KubernetesInformer = new KubernetesInformer(
      {
        describe,
        list: async () =>
          this.listResource(
            await resolve(),
            kind,
            options.labelSelector,
            describe('list'),
          ),
        watch: async (resourceVersion, onEvent, onDone) =>
          this.transport.watch(
            this.collectionPath(await resolve(), kind.namespace),
            {
              resourceVersion,
              allowWatchBookmarks: 'true',
              timeoutSeconds: String(
                watchTimeoutSeconds(this.options.watchTimeoutSeconds),
              ),
              labelSelector: options.labelSelector,
            },
            onEvent,
            onDone,
          ),
      },
      {
        backoff: this.options.informerBackoff,
        idleTimeoutMs: this.options.watchIdleTimeoutMs,
        onStop: () => this.informers.delete(informer),
        transform: options.transform,
      },
    );
    this.informers.add(informer);
    return informer;
  }

  proxyGet(request: {
    namespace: string;
    service: string;
    port: number | string;
    path: string;
    headers?: Record<string, string>;
  }): Promise<ProxyResponse> {
    return this.proxyRequest({ ...request, method: 'GET' });
  }

  async proxyRequest(request: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    namespace: string;
    service: string;
    port: number | string;
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
  }): Promise<ProxyResponse> {
    const target = `${encodeURIComponent(request.service)}:${encodeURIComponent(
      String(request.port),
    )}`;
    const path = request.path.startsWith('/')
      ? request.path
      : `/${request.path}`;
    const what = this.what(
      `${request.method} ${path.split('?')[0]} of service ${
        request.namespace
      }/${request.service}:${request.port} through the service proxy`,
    );
    const [pathname, search] = path.split('?', 2);
    const query: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(search ?? '')) {
      query[name] = value;
    }
    const response = await this.transport.request({
      method: request.method,
      path: `/api/v1/namespaces/${encodeURIComponent(
        request.namespace,
      )}/services/${target}/proxy${pathname}`,
      query,
      headers: withoutAuthorization(request.headers),
      body: request.body,
      what,
    });
    if (response.status === 401 || response.status === 403) {
      const body = (() => {
        try {
          return JSON.parse(response.body);
        } catch {
          return undefined;
        }
      })();
      if (isRecord(body) && body.kind === 'Status') {
        throw errorFromResponse(what, response.status, response.body);
      }
    }
    return { status: response.status, body: response.body };
  }

  async podLog(request: {
    namespace: string;
    pod: string;
    container?: string;
    tailLines?: number;
  }): Promise<string> {
    const what = this.what(
      `read the log of pod ${request.namespace}/${request.pod}`,
    );
    const response = await this.transport.request({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(
        request.namespace,
      )}/pods/${encodeURIComponent(request.pod)}/log`,
      query: {
        container: request.container,
        tailLines:
          request.tailLines === undefined
            ? undefined
            : String(request.tailLines),
      },
      headers: { Accept: 'text/plain, */*' },
      what,
    });
    if (response.status !== 200) {
      throw errorFromResponse(what, response.status, response.body);
    }
    return response.body;
  }

  async close(): Promise<void> {
    for (const informer of [...this.informers]) {
      informer.stop();
    }
    this.informers.clear();
    this.transport.close();
  }

  private what(action: string): string {
    return `Cluster "${this.options.clusterName}": ${action}`;
  }

  private requireNamespace(
    resource: ResolvedResource,
    ref: { namespace?: string },
    what: string,
  ): void {
    if (resource.namespaced && !ref.namespace) {
      throw new ClusterError(
        'Invalid',
        `${what}: a namespace is required for this namespaced kind`,
      );
    }
  }

  private async require(
    kind: { apiVersion: string; kind: string },
    what: string,
  ): Promise<ResolvedResource> {
    const resource = await this.resolver.resolve(kind.apiVersion, kind.kind);
    if (!resource) {
      throw new ClusterError(
        'NotFound',
        `${what}: the cluster does not serve ${kind.kind} in ${kind.apiVersion}`,
        404,
      );
    }
    return resource;
  }

  /**
   * Lists a collection in pages of `listPageSize` objects. The list's
   * resource version is the first page's: the API server serves every page
   * from that page's snapshot, so a watch from it misses nothing. When a
   * continue token has expired (`410 Gone`, the snapshot was compacted
   * away), the list starts over in one unpaginated request, as client-go's
   * pager does.
   */
  private async listResource(
    resource: ResolvedResource,
    kind: KindRef,
    labelSelector: string | undefined,
    what: string,
  ): Promise<ObjectList> {
    const limit = this.options.listPageSize;
    const request = (page: { limit: number; token?: string }) =>
      this.transport.request({
        method: 'GET',
        path: this.collectionPath(resource, kind.namespace),
        query: {
          labelSelector,
          limit: page.limit > 0 ? String(page.limit) : undefined,
          continue: page.token,
        },
        what,
      });
    const items: KubernetesObject[] = [];
    let resourceVersion: string | undefined;
    let token: string | undefined;
    do {
      const response = await request({ limit, token });
      if (response.status === 410 && token !== undefined) {
        const whole = this.readListPage(
          what,
          kind,
          await request({ limit: 0 }),
        );
        return { items: whole.items, resourceVersion: whole.resourceVersion };
      }
      const page = this.readListPage(what, kind, response);
      items.push(...page.items);
      resourceVersion ??= page.resourceVersion;
      token = page.continueToken;
    } while (token);
    return { items, resourceVersion: resourceVersion ?? '' };
  }

  private readListPage(
    what: string,
    kind: KindRef,
    response: TransportResponse,
  ): ObjectList & { continueToken?: string } {
    if (response.status !== 200) {
      throw errorFromResponse(what, response.status, response.body);
    }
    const list = parseJson(what, response);
    const items = isRecord(list) && Array.isArray(list.items) ? list.items : [];
    const metadata =
      isRecord(list) && isRecord(list.metadata) ? list.metadata : {};
    return {
      // Items of built-in lists carry no apiVersion and kind.
      items: items.map(item =>
        asObject(what, {
          apiVersion: kind.apiVersion,
          kind: kind.kind,
          ...(isRecord(item) ? item : {}),
        }),
      ),
      resourceVersion:
        typeof metadata.resourceVersion === 'string'
          ? metadata.resourceVersion
          : '',
      ...(typeof metadata.continue === 'string' && metadata.continue !== ''
        ? { continueToken: metadata.continue }
        : {}),
    };
  }

  private async getJson(path: string, action: string): Promise<unknown> {
    const what = this.what(action);
    const response = await this.transport.request({
      method: 'GET',
      path,
      what,
    });
    if (response.status !== 200) {
      throw errorFromResponse(what, response.status, response.body);
    }
    return parseJson(what, response);
  }

  private collectionPath(
    resource: ResolvedResource,
    namespace?: string,
  ): string {
    return `${groupVersionPath(resource.apiVersion)}${
      resource.namespaced && namespace
        ? `/namespaces/${encodeURIComponent(namespace)}`
        : ''
    }/${resource.plural}`;
  }

  private objectPath(
    resource: ResolvedResource,
    namespace: string | undefined,
    name: string,
  ): string {
    return `${this.collectionPath(resource, namespace)}/${encodeURIComponent(
      name,
    )}`;
  }
}

/**
 * The proxy call's extra headers minus `Authorization`, which would only
 * clash with the cluster credentials the KubeConfig sets (and which the
 * API server would not pass on anyway).
 */
function withoutAuthorization(
  headers: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!headers) {
    return undefined;
  }
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => name.toLowerCase() !== 'authorization',
    ),
  );
}
