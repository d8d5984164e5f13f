import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterClient,
  ClusterDeclaration,
  ClusterDriver,
  ClusterError,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';

/**
 * A cluster as users may see it: its declaration without the connection
 * (credentials never leave the backend).
 *
 * @public
 */
export type ClusterSummary = Omit<
  ClusterDeclaration,
  | 'connection'
  | 'imagePullCredentials'
  | 'airflowIngress'
  | 'airflowGateway'
  | 'remoteLogging'
  | 'keda'
>;

/**
 * The declaration without its connection, registry credentials and the
 * platform's routing, logging and KEDA settings (which may hold secrets).
 *
 * @public
 */
export function toClusterSummary(cluster: ClusterDeclaration): ClusterSummary {
  const {
    connection: _connection,
    imagePullCredentials: _credentials,
    airflowIngress: _ingress,
    airflowGateway: _gateway,
    remoteLogging: _logging,
    keda: _keda,
    ...summary
  } = cluster;
  return summary;
}

/**
 * Options of a {@link ClusterRegistry}.
 *
 * @public
 */
export interface ClusterRegistryOptions {
  /** Where declarations come from: config, modules (the simulator), … */
  sources: ClusterSource[];
  /** Drivers modules registered, by id. */
  drivers: ClusterDriver[];
  /** Drives declarations with a `connection` and no registered driver. */
  kubernetesDriver: ClusterDriver;
  logger: LoggerService;
}

interface CachedClient {
  fingerprint: string;
  client: Promise<ClusterClient>;
}

/**
 * Resolves cluster names to connected clients: collects declarations from
 * every source (the first declaration of a name wins), picks the driver
 * registered for the declaration's `driver`, or the Kubernetes driver when
 * the declaration has a `connection`, and keeps one client per cluster
 * until the declaration's `driver` or `connection` changes or the
 * registry is closed.
 *
 * @public
 */
export class ClusterRegistry {
  private readonly clients = new Map<string, CachedClient>();
  private readonly warnedDuplicates = new Set<string>();
  private closed = false;

  constructor(private readonly options: ClusterRegistryOptions) {}

  /** Every declared cluster, including connections: backend use only. */
  async listClusters(): Promise<ClusterDeclaration[]> {
    const lists = await Promise.all(
      this.options.sources.map(source => source.getClusters()),
    );
    const byName = new Map<string, ClusterDeclaration>();
    for (const cluster of lists.flat()) {
      if (byName.has(cluster.name)) {
        if (!this.warnedDuplicates.has(cluster.name)) {
          this.warnedDuplicates.add(cluster.name);
          this.options.logger.warn(
            `Cluster "${cluster.name}" is declared more than once; the first declaration is used`,
          );
        }
        continue;
      }
      byName.set(cluster.name, cluster);
    }
    return [...byName.values()];
  }

  /** Every declared cluster without credentials, for APIs and the UI. */
  async listClusterSummaries(): Promise<ClusterSummary[]> {
    return (await this.listClusters()).map(toClusterSummary);
  }

  /** One declaration; `NotFoundError` for an unknown name. */
  async getCluster(name: string): Promise<ClusterDeclaration> {
    const cluster = (await this.listClusters()).find(c => c.name === name);
    if (!cluster) {
      throw new NotFoundError(`No cluster named "${name}"`);
    }
    return cluster;
  }

  /**
   * The client of a cluster, connecting on first use. `NotFoundError` for
   * an unknown name; a `ClusterError` when no driver can drive it.
   */
  async getClient(name: string): Promise<ClusterClient> {
    if (this.closed) {
      throw new ClusterError('Unknown', 'The cluster registry is closed');
    }
    const cluster = await this.getCluster(name);
    // What a client is built from; a change elsewhere in the declaration
    // (routing, logging, registry credentials) keeps the connection and
    // the watches on it.
    const fingerprint = JSON.stringify([
      cluster.driver,
      cluster.connection ?? null,
    ]);
    const cached = this.clients.get(name);
    if (cached?.fingerprint === fingerprint) {
      return cached.client;
    }
    if (cached) {
      this.clients.delete(name);
      cached.client.then(client => client.close()).catch(() => undefined);
    }
    const client = this.driverFor(cluster).connect(cluster);
    const entry = { fingerprint, client };
    this.clients.set(name, entry);
    client.catch(() => {
      if (this.clients.get(name) === entry) {
        this.clients.delete(name);
      }
    });
    return client;
  }

  /** Closes every client; the registry cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      entries.map(entry =>
        entry.client.then(client => client.close()).catch(() => undefined),
      ),
    );
  }

  private driverFor(cluster: ClusterDeclaration): ClusterDriver {
    const registered = this.options.drivers.find(d => d.id === cluster.driver);
    if (registered) {
      return registered;
    }
    if (
      cluster.connection ||
      cluster.driver === this.options.kubernetesDriver.id
    ) {
      return this.options.kubernetesDriver;
    }
    throw new ClusterError(
      'Invalid',
      `Cluster "${cluster.name}" uses driver "${cluster.driver}", which no module registered, and has no connection for the Kubernetes driver`,
    );
  }
}
