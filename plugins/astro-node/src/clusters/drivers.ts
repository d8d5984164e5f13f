import { ClusterClient } from './types';
import type {
  AirflowGatewaySettings,
  AirflowIngressSettings,
  KedaLocation,
  RemoteLoggingSettings,
} from './clusterSettings';

/**
 * How to reach a Kubernetes API server. Credentials never leave the backend.
 *
 * @public
 */
export interface ClusterConnection {
  /** API server URL, e.g. `https://10.0.0.1:6443`. */
  server?: string;
  /** Bearer token, such as a service account token. */
  token?: string;
  /** Base64-encoded PEM of the CA that signed the server's certificate. */
  caData?: string;
  /** Path to a PEM file of the CA. */
  caFile?: string;
  /** Accept any server certificate; for development clusters only. */
  skipTLSVerify?: boolean;
  /** A kubeconfig file (and optionally its context) to read all of the above from. */
  kubeconfig?: { path: string; context?: string };
  /** Use the pod's service account (the backend runs in the cluster). */
  inCluster?: boolean;
}

/**
 * A cluster Deployments can be placed on, as a cluster source declares it.
 *
 * @public
 */
export interface ClusterDeclaration {
  /** Immutable cluster name (a DNS-1123 label). */
  name: string;
  title?: string;
  description?: string;
  /** `standard`: shared by organizations; `dedicated`: one organization's. */
  type: 'standard' | 'dedicated';
  /** The organization a dedicated cluster belongs to. */
  organization?: string;
  /** Where it runs, e.g. `aws`, `gcp`, `on-prem`, `simulator`. */
  provider: string;
  region: string;
  /**
   * What the user sees as the cluster's driver: `kubernetes`, `simulator` or
   * the id of a driver a module registered. A declaration with a
   * `connection` and no registered driver of this id is driven by the
   * built-in Kubernetes driver.
   */
  driver: string;
  connection?: ClusterConnection;
  /**
   * Where a Deployment's Airflow UI is, with `{organization}`,
   * `{workspace}`, `{deployment}` and `{namespace}` placeholders, e.g.
   * `https://{deployment}.{organization}.airflow.example.com`. Without it
   * Deployments on this cluster show no Airflow link.
   */
  airflowUrlTemplate?: string;
  /**
   * Registry credentials every Deployment on this cluster pulls its images
   * with (rendered as an image pull Secret in each Deployment's namespace).
   * Never shown to users.
   */
  imagePullCredentials?: ImagePullCredential[];
  /**
   * An Ingress per Deployment; the Airflow URL is derived from its host.
   * Exclusive with `airflowGateway` and `airflowUrlTemplate`.
   */
  airflowIngress?: AirflowIngressSettings;
  /** A Gateway API HTTPRoute per Deployment instead of an Ingress. */
  airflowGateway?: AirflowGatewaySettings;
  /**
   * Where task logs go. Without it logs live only as long as the pod that
   * wrote them. May hold secrets: never shown to users.
   */
  remoteLogging?: RemoteLoggingSettings;
  /** Where KEDA's operator runs; `keda` and its upstream label when absent. */
  keda?: KedaLocation;
}

/**
 * A user name and password (or token) for one container registry.
 *
 * @public
 */
export interface ImagePullCredential {
  /** Registry host (and port), e.g. `registry.example.com` or `ghcr.io`. */
  registry: string;
  username: string;
  /** Password or access token. Never logged. */
  password: string;
}

/**
 * Connects to clusters of one driver id.
 *
 * @public
 */
export interface ClusterDriver {
  /** The `driver` value of the declarations it serves. */
  readonly id: string;
  /**
   * A client for a cluster, built from its declaration's `name` and
   * `connection`. The engine keeps it while those and `driver` stay the
   * same, and reads the rest of the declaration (routing, logging, …)
   * each time it is used.
   */
  connect(cluster: ClusterDeclaration): Promise<ClusterClient>;
}

/**
 * A source of cluster declarations, such as app config or the simulator.
 *
 * @public
 */
export interface ClusterSource {
  getClusters(): Promise<ClusterDeclaration[]>;
}
