import type {
  DeploymentSettings,
  SchedulerSizeOption,
  WorkerMachine,
} from '@airflow-portal/plugin-astro-common';
import type {
  AirflowGatewaySettings,
  AirflowIngressSettings,
  ClusterCapabilities,
  KedaLocation,
  KubernetesObject,
  MetadataDatabaseSslMode,
  RemoteLoggingSettings,
} from '@airflow-portal/plugin-astro-node';

/**
 * Who a Deployment is and where it lives.
 *
 * @public
 */
export interface RenderDeploymentIdentity {
  /** Immutable id; a valid label value. Owned objects are found by it. */
  id: string;
  /** Organization name (a DNS-1123 label). */
  organization: string;
  /** Workspace name (a DNS-1123 label). */
  workspace: string;
  /** Deployment name (a DNS-1123 label). */
  name: string;
  /** The Deployment's own namespace; objects inside it carry no Deployment name. */
  namespace: string;
  /** Generation of the spec being rendered; recorded in an annotation. */
  generation: number;
}

/**
 * The Airflow release to run.
 *
 * @public
 */
export interface RenderRuntime {
  /** Apache Airflow version, e.g. `3.1.3` (2.7 or newer). */
  airflowVersion: string;
  /** Image providing that version. */
  image: string;
}

/**
 * Secrets generated once per Deployment (outside the renderer) and kept for
 * its whole life. A regenerated JWT secret breaks running Airflow 3 tasks and
 * a regenerated fernet key makes stored connections unreadable.
 *
 * @public
 */
export interface RenderCredentials {
  fernetKey: string;
  jwtSecret: string;
  apiSecretKey: string;
  redisPassword: string;
  /**
   * The token the Deployment's DAG sync authenticates with at the backend's
   * bundle endpoints (Secret `astro-dag-sync`, key `token`).
   */
  bundleToken?: string;
}

/**
 * Where the components of a Deployment fetch their DAG bundle from (the DAG
 * sync protocol): the backend's bundle endpoints of this Deployment.
 *
 * @public
 */
export interface RenderDagSync {
  /** `<backend>/api/astro/bundles/<deploymentId>`, reachable from the cluster. */
  url: string;
  /** How often the sidecars ask for the current bundle. */
  syncIntervalSeconds: number;
}

/**
 * Registry credentials the Deployment's pods pull images with, rendered as
 * a `kubernetes.io/dockerconfigjson` Secret of that name.
 *
 * @public
 */
export interface RenderPullSecret {
  name: string;
  /** The `.dockerconfigjson` document. */
  dockerConfigJson: string;
}

/**
 * A metadata database on a PostgreSQL server outside the cluster (or outside
 * the namespace), as a provisioner returned it.
 *
 * @public
 */
export interface ExternalMetadataDatabase {
  mode: 'external';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslMode?: MetadataDatabaseSslMode;
}

/**
 * A small PostgreSQL rendered into the Deployment's namespace; for
 * development clusters.
 *
 * @public
 */
export interface InNamespaceMetadataDatabase {
  mode: 'in-namespace';
  /** Password of its `airflow` role. */
  password: string;
}

/**
 * Where a Deployment's metadata database is.
 *
 * @public
 */
export type RenderDatabase =
  | ExternalMetadataDatabase
  | InNamespaceMetadataDatabase;

/**
 * Images of the supporting services.
 *
 * @public
 */
export interface RenderImages {
  redis: string;
  pgbouncer: string;
  postgres: string;
  /** git-sync v4, for Git DAG bundles on Airflow 2. */
  gitSync: string;
}

/**
 * How people reach a Deployment's Airflow from their machines: an Ingress
 * or a Gateway API HTTPRoute to its API server (webserver).
 *
 * @public
 */
export type RenderExposure =
  | ({ kind: 'ingress' } & AirflowIngressSettings)
  | ({ kind: 'gateway' } & AirflowGatewaySettings);

/**
 * Everything one Deployment's Kubernetes objects are a function of.
 *
 * @public
 */
export interface RenderInput {
  deployment: RenderDeploymentIdentity;
  /**
   * Settings with every default applied and every environment variable's
   * value resolved, secret ones included (they end up in a Kubernetes Secret
   * only). `airflowVersion` is ignored in favour of `runtime`.
   */
  settings: DeploymentSettings;
  runtime: RenderRuntime;
  /**
   * Makes the migration Job take the metadata database back to an older
   * release (`airflow db downgrade --to-version`) instead of migrating it
   * up to `runtime`. Only the newer release knows how to undo its
   * migrations, so `runtime` is the release the database is at now.
   */
  databaseDowngradeTo?: string;
  capabilities: ClusterCapabilities;
  credentials: RenderCredentials;
  database: RenderDatabase;
  /** From the Deployment options: resources of scheduler sizes and worker machines. */
  sizes: {
    schedulerSizes: SchedulerSizeOption[];
    workerMachines: WorkerMachine[];
  };
  /** Overrides of the pinned default images of the supporting services. */
  images?: Partial<RenderImages>;
  /** Namespace KEDA's operator runs in; allowed to reach the database. Defaults to `keda`. */
  kedaNamespace?: string;
  /**
   * Where KEDA's operator runs (namespace and pod labels); wins over
   * `kedaNamespace`. Defaults to `keda` and `app.kubernetes.io/name: keda-operator`.
   */
  keda?: KedaLocation;
  /** The cluster's Ingress or HTTPRoute settings; absent: no route is rendered. */
  exposure?: RenderExposure;
  /** The cluster's remote task logging; absent: logs live as long as their pod. */
  remoteLogging?: RemoteLoggingSettings;
  /**
   * The DAG sync of DAG deploys: rendered (with `credentials.bundleToken`)
   * unless the settings take the DAGs from Git. Absent: no DAG sync.
   */
  dagSync?: RenderDagSync;
  /** Registry credentials for the Deployment's pods (cluster's and deploys'). */
  pullSecrets?: RenderPullSecret[];
  /** Where the Deployment lives in the portal; Airflow sends people there to sign in. */
  portal?: RenderPortal;
}

/**
 * The portal as the Deployment's Airflow links to it.
 *
 * @public
 */
export interface RenderPortal {
  /** The Deployment's page in the portal, e.g. `https://portal.example.com/astro/organizations/acme/deployments/etl`. */
  deploymentUrl: string;
}

/**
 * The phases objects are applied in, in order.
 *
 * @public
 */
export const RENDER_PHASES = [
  /** Namespace, quota, limits, network policies, service accounts, RBAC. */
  'namespace',
  /** Secrets and ConfigMaps. */
  'configuration',
  /** In-namespace PostgreSQL, pgbouncer, Redis. */
  'database',
  /** The `airflow db migrate` Job. */
  'migration',
  /** Scheduler, API server / webserver, triggerer, DAG processor, their Services and PDBs, the Ingress or HTTPRoute. */
  'components',
  /** Celery worker Deployments. */
  'workers',
  /** KEDA ScaledObjects (and their TriggerAuthentication) or HPAs. */
  'autoscaling',
] as const;

/**
 * One of {@link RENDER_PHASES}.
 *
 * @public
 */
export type RenderPhase = (typeof RENDER_PHASES)[number];

/**
 * One rendered object and when to apply it.
 *
 * @public
 */
export interface RenderedObject {
  phase: RenderPhase;
  object: KubernetesObject;
  /**
   * Content hash of the object that ignores the generation annotation: equal
   * hashes mean applying the object again changes nothing but that annotation.
   */
  hash: string;
  /**
   * Apply it with force, taking over fields another manager owns: set on a
   * hibernating worker whose replicas the HPA fallback owned.
   */
  force?: boolean;
}

/**
 * A condition the renderer reports about the Deployment, in Kubernetes style.
 *
 * @public
 */
export interface RenderCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/**
 * The objects of one Deployment, in apply order, and what the renderer has to
 * say about them.
 *
 * @public
 */
export interface RenderResult {
  objects: RenderedObject[];
  conditions: RenderCondition[];
  /** Hash over every object's {@link RenderedObject.hash}, in order. */
  hash: string;
  /**
   * Where the rendered Ingress or HTTPRoute serves the Airflow UI; absent
   * when none is rendered.
   */
  airflowUrl?: string;
}
