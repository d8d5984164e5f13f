/**
 * Counters of the API requests the simulator served, for tests and
 * benchmarks (e.g. "how many requests does one reconcile take").
 */

/** What an API request did. */
export type ApiVerb =
  | 'discovery'
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'apply'
  | 'patch'
  | 'update'
  | 'delete'
  | 'proxy';

/** The verbs, in a stable order. */
export const API_VERBS: readonly ApiVerb[] = [
  'discovery',
  'get',
  'list',
  'watch',
  'create',
  'apply',
  'patch',
  'update',
  'delete',
  'proxy',
];

/** One write request and its outcome. */
export interface WriteRecord {
  verb: 'create' | 'apply' | 'patch' | 'update' | 'delete';
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  dryRun: boolean;
  /** The HTTP status it was answered with. */
  status: number;
  /**
   * Whether it changed what is stored: `false` for a write that found the
   * object already as asked (an apply of unchanged content), which a
   * client that tracks what it applied never needs to send.
   */
  changed: boolean;
}

/**
 * Requests the simulated DAG sync sent to the backend's bundle endpoints
 * (outgoing, so not part of `requests` and `total`).
 */
export interface DagSyncRequestCounts {
  /** `GET <url>/current`. */
  current: number;
  /** `GET <url>/versions/<version>`. */
  download: number;
  /** `PUT <url>/pods/<pod>`. */
  report: number;
  /** Of these, the ones that failed (no answer, or an error status other than 404). */
  failed: number;
}

/** A copy of the counters. */
export interface RequestStatsSnapshot {
  /** API requests per verb, including failed and fault-injected ones. */
  requests: Record<ApiVerb, number>;
  /** All API requests. */
  total: number;
  /**
   * API requests per verb and path class: the path with namespaces, names
   * and proxied paths replaced by placeholders, e.g.
   * `watch /apis/apps/v1/deployments`,
   * `get /api/v1/namespaces/{namespace}/secrets/{name}`,
   * `proxy /api/v1/namespaces/{namespace}/services/{name}/proxy`.
   */
  byPath: Record<string, number>;
  /** Requests of the simulated DAG sync. */
  dagSync: DagSyncRequestCounts;
  /** Every write request, oldest first (at most the last 10,000). */
  writes: WriteRecord[];
  /**
   * Requests that reached the simulated Airflow through the service
   * proxy, per namespace, keyed `METHOD /route` (e.g. `GET /api/v2/dags`).
   */
  airflow: Record<string, Record<string, number>>;
}

const WRITE_LOG_LIMIT = 10_000;

function zero(): Record<ApiVerb, number> {
  return {
    discovery: 0,
    get: 0,
    list: 0,
    watch: 0,
    create: 0,
    apply: 0,
    patch: 0,
    update: 0,
    delete: 0,
    proxy: 0,
  };
}

function zeroDagSync(): DagSyncRequestCounts {
  return { current: 0, download: 0, report: 0, failed: 0 };
}

/** Counts requests per verb and logs writes. */
export class RequestStats {
  private requests = zero();
  private byPath = new Map<string, number>();
  private dagSync = zeroDagSync();
  private writes: WriteRecord[] = [];
  private airflow = new Map<string, Map<string, number>>();

  /** Counts one API request of `verb` to a path of class `pathClass`. */
  count(verb: ApiVerb, pathClass: string): void {
    this.requests[verb]++;
    const key = `${verb} ${pathClass}`;
    this.byPath.set(key, (this.byPath.get(key) ?? 0) + 1);
  }

  /** Counts one request of the simulated DAG sync. */
  countDagSync(kind: 'current' | 'download' | 'report', failed: boolean): void {
    this.dagSync[kind]++;
    if (failed) {
      this.dagSync.failed++;
    }
  }

  /** Counts one request to the simulated Airflow of a namespace. */
  countAirflow(namespace: string, method: string, route: string): void {
    let routes = this.airflow.get(namespace);
    if (!routes) {
      routes = new Map();
      this.airflow.set(namespace, routes);
    }
    const key = `${method} ${route}`;
    routes.set(key, (routes.get(key) ?? 0) + 1);
  }

  recordWrite(record: WriteRecord): void {
    this.writes.push(record);
    if (this.writes.length > WRITE_LOG_LIMIT) {
      this.writes.splice(0, this.writes.length - WRITE_LOG_LIMIT);
    }
  }

  snapshot(): RequestStatsSnapshot {
    return {
      requests: { ...this.requests },
      total: Object.values(this.requests).reduce((sum, n) => sum + n, 0),
      byPath: Object.fromEntries(this.byPath),
      dagSync: { ...this.dagSync },
      writes: this.writes.map(write => ({ ...write })),
      airflow: Object.fromEntries(
        [...this.airflow].map(([namespace, routes]) => [
          namespace,
          Object.fromEntries(routes),
        ]),
      ),
    };
  }

  reset(): void {
    this.requests = zero();
    this.byPath.clear();
    this.dagSync = zeroDagSync();
    this.writes = [];
    this.airflow.clear();
  }
}
