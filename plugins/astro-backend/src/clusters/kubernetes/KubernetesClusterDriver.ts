import { Config } from '@backstage/config';
import {
  ClusterClient,
  ClusterDeclaration,
  ClusterDriver,
  ClusterError,
} from '@airflow-portal/plugin-astro-node';
import { BackoffOptions } from '../../lib/backoff';
import { loadClientNode } from './clientNode';
import {
  DEFAULT_LIST_PAGE_SIZE,
  KubernetesClusterClient,
} from './KubernetesClusterClient';
import { createKubeConfig } from './kubeConfig';
import { KubernetesTransport } from './KubernetesTransport';

/**
 * Tuning of the Kubernetes driver.
 *
 * @public
 */
export interface KubernetesClusterDriverOptions {
  /** Timeout of every request except watches. Default 10000. */
  requestTimeoutMs?: number;
  /** Shortest server-side timeout of a watch, after which it resumes; each asks for up to twice it, at random. Default 300. */
  watchTimeoutSeconds?: number;
  /** A watch with no event or bookmark for this long is restarted. Default 120000. */
  watchIdleTimeoutMs?: number;
  /** Objects per page of a list (informers' included). Default 500; 0 lists in one request. */
  listPageSize?: number;
  /**
   * Backoff of informers after failures. Default 500 ms doubling to 30 s,
   * half of each delay random.
   */
  informerBackoff?: Partial<BackoffOptions>;
}

/**
 * The `kubernetes` cluster driver: connects to Kubernetes API servers with
 * `@kubernetes/client-node` (a server URL with a bearer token and CA, a
 * kubeconfig file and context, or in-cluster credentials).
 *
 * @public
 */
export class KubernetesClusterDriver implements ClusterDriver {
  readonly id = 'kubernetes';

  constructor(private readonly options: KubernetesClusterDriverOptions = {}) {}

  /** Reads the options from `astro.kubernetesDriver`. */
  static fromConfig(config: Config): KubernetesClusterDriver {
    const driver = config.getOptionalConfig('astro.kubernetesDriver');
    return new KubernetesClusterDriver({
      requestTimeoutMs: driver?.getOptionalNumber('requestTimeoutMs'),
      watchTimeoutSeconds: driver?.getOptionalNumber('watchTimeoutSeconds'),
      watchIdleTimeoutMs: driver?.getOptionalNumber('watchIdleTimeoutMs'),
      listPageSize: driver?.getOptionalNumber('listPageSize'),
      informerBackoff: {
        initialMs: driver?.getOptionalNumber('informerBackoff.initialMs'),
        maxMs: driver?.getOptionalNumber('informerBackoff.maxMs'),
      },
    });
  }

  /**
   * Creates a client for a declaration with a `connection`. Loads the
   * credentials but does not contact the server, so that connecting works
   * while a cluster is down.
   */
  async connect(cluster: ClusterDeclaration): Promise<ClusterClient> {
    if (!cluster.connection) {
      throw new ClusterError(
        'Invalid',
        `Cluster "${cluster.name}" has no connection for the kubernetes driver`,
      );
    }
    const k8s = await loadClientNode();
    const kc = createKubeConfig(k8s, cluster.name, cluster.connection);
    const requestTimeoutMs = this.options.requestTimeoutMs ?? 10_000;
    return new KubernetesClusterClient(
      new KubernetesTransport(k8s, kc, requestTimeoutMs),
      {
        clusterName: cluster.name,
        requestTimeoutMs,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
        watchIdleTimeoutMs: this.options.watchIdleTimeoutMs ?? 120_000,
        listPageSize: this.options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE,
        informerBackoff: {
          ...this.options.informerBackoff,
          initialMs: this.options.informerBackoff?.initialMs ?? 500,
          maxMs: this.options.informerBackoff?.maxMs ?? 30_000,
        },
      },
    );
  }
}
