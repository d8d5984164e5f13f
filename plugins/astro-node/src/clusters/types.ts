/**
 * The contract between the Astro backend (reconciler, monitor) and the
 * clusters it drives. The production implementation talks to the Kubernetes
 * API over HTTP with `@kubernetes/client-node`; the built-in simulator speaks
 * the same HTTP API, so both are driven by the same code.
 */

/**
 * Metadata of a Kubernetes object, as far as the suite reads or writes it.
 *
 * @public
 */
export interface KubernetesObjectMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  managedFields?: Array<Record<string, unknown>>;
  ownerReferences?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * Any Kubernetes object.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: KubernetesObjectMetadata;
  [key: string]: unknown;
}

/**
 * Names one object: its type, and its name (and namespace when namespaced).
 *
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Names a type of object, optionally within one namespace.
 *
 * @public
 */
export interface KindRef {
  apiVersion: string;
  kind: string;
  /** Limits the request to one namespace; all namespaces when absent. */
  namespace?: string;
}

/**
 * What a cluster offers, read from its discovery API.
 *
 * @public
 */
export interface ClusterCapabilities {
  /** From `/version`, e.g. `{ major: '1', minor: '31', gitVersion: 'v1.31.2' }`. */
  serverVersion: { major: string; minor: string; gitVersion: string };
  /** Every served group version: `v1`, `apps/v1`, `keda.sh/v1alpha1`, … */
  apiGroupVersions: string[];
  /** Whether KEDA's `keda.sh/v1alpha1` ScaledObject is served. */
  keda: boolean;
}

/**
 * Options of a server-side apply.
 *
 * @public
 */
export interface ApplyOptions {
  /** The field manager that owns the applied fields. */
  fieldManager: string;
  /** Validate and compute the result without persisting it. */
  dryRun?: boolean;
  /** Take over fields owned by other managers instead of failing with a conflict. */
  force?: boolean;
}

/**
 * A page of objects and the resource version the list was read at.
 *
 * @public
 */
export interface ObjectList {
  items: KubernetesObject[];
  resourceVersion: string;
}

/**
 * An answer from a service behind the Kubernetes API server's service proxy.
 *
 * @public
 */
export interface ProxyResponse {
  status: number;
  body: string;
}

/**
 * A cache of one type of object, kept current by a watch. It lists once,
 * then watches; when the watch fails (an HTTP error, a dropped connection,
 * `410 Gone`) it re-lists and watches again with exponential backoff until
 * stopped. Stopping is not an error.
 *
 * @public
 */
export interface ClusterInformer {
  /** Lists and starts watching; resolves once the cache holds the first list. */
  start(): Promise<void>;
  /** Stops watching for good. */
  stop(): void;
  /** The cached objects. */
  list(): KubernetesObject[];
  /** Registers a listener; returns a function that removes it. */
  on(
    event: 'add' | 'update' | 'delete',
    listener: (object: KubernetesObject) => void,
  ): () => void;
  on(event: 'error', listener: (error: Error) => void): () => void;
  /** Called each time the cache is (re)filled from a fresh list. */
  on(event: 'synced', listener: () => void): () => void;
  /**
   * Used when the cluster answers again after an outage. When the last list
   * or watch failed, lists again now instead of after the rest of the
   * backoff; resolves once the cache holds that list, rejects with its
   * failure. Resolves at once when nothing failed since the last list.
   * Optional: without it, the engine reads the whole cluster again into a
   * fresh set of informers.
   */
  recover?(): Promise<void>;
}

/**
 * A connection to one cluster.
 *
 * @public
 */
export interface ClusterClient {
  /** Server version and served API groups. */
  capabilities(): Promise<ClusterCapabilities>;
  /** Server-side apply of one object; returns the object as stored. */
  apply(
    object: KubernetesObject,
    options: ApplyOptions,
  ): Promise<KubernetesObject>;
  /** Reads one object; `undefined` when it does not exist. */
  get(ref: ObjectRef): Promise<KubernetesObject | undefined>;
  /** Lists objects of one type, optionally filtered by a label selector. */
  list(
    kind: KindRef,
    options?: { labelSelector?: string },
  ): Promise<ObjectList>;
  /**
   * Deletes one object (a namespace takes its contents with it); resolves to
   * `false` when it did not exist.
   */
  delete(
    ref: ObjectRef,
    options?: { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' },
  ): Promise<boolean>;
  /** A watch-backed cache of one type of object. Not started yet. */
  informer(
    kind: KindRef,
    options?: {
      labelSelector?: string;
      /**
       * Applied to every object before it is cached and handed to
       * listeners, e.g. to drop fields the consumer never reads (as
       * client-go's informer transform); must not change name or namespace.
       */
      transform?: (object: KubernetesObject) => KubernetesObject;
    },
  ): ClusterInformer;
  /**
   * Any request through the API server's service proxy: the method, a JSON
   * body for writes, and the same extra headers as {@link ClusterClient.proxyGet}.
   */
  proxyRequest(request: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    namespace: string;
    service: string;
    port: number | string;
    path: string;
    headers?: Record<string, string>;
    /** Sent as JSON. */
    body?: unknown;
  }): Promise<ProxyResponse>;
  /** GET through the API server's service proxy. */
  proxyGet(request: {
    namespace: string;
    service: string;
    port: number | string;
    path: string;
    /**
     * Extra request headers for the service behind the proxy. The API
     * server consumes `Authorization` itself (it authenticates the proxy
     * call), so credentials for the service go in another header.
     */
    headers?: Record<string, string>;
  }): Promise<ProxyResponse>;
  /**
   * The log of one container of a pod (the pod log endpoint, `kubectl
   * logs`); the last `tailLines` lines when given.
   */
  podLog(request: {
    namespace: string;
    pod: string;
    container?: string;
    tailLines?: number;
  }): Promise<string>;
  /** Stops every informer and releases connections. */
  close(): Promise<void>;
}
