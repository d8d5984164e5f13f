/**
 * What a platform team declares per cluster about how Deployments on it are
 * reached, where their task logs go and where KEDA runs. Read from
 * `astro.clusters[]` and handed to the renderer; never shown to users.
 */

/**
 * An Ingress per Deployment in front of its API server (Airflow 3) or
 * webserver (Airflow 2).
 *
 * @public
 */
export interface AirflowIngressSettings {
  /** `spec.ingressClassName`; the cluster's default class when absent. */
  className?: string;
  /**
   * Host of a Deployment's Airflow, with `{organization}`, `{workspace}`,
   * `{deployment}` and `{namespace}` placeholders; must give a DNS name,
   * e.g. `{deployment}.{workspace}.{organization}.airflow.example.com`.
   */
  hostTemplate: string;
  /** URL path Airflow is served under; `/` when absent. */
  path?: string;
  /** Annotations of every Ingress, e.g. `cert-manager.io/cluster-issuer`. */
  annotations?: Record<string, string>;
  /**
   * HTTPS. With `secretName` the Ingress terminates TLS with the Secret of
   * that name in the Deployment's namespace (cert-manager creates it from
   * the Ingress when an issuer annotation is set); without it TLS is
   * terminated in front of the controller or by its default certificate.
   * Absent: plain HTTP.
   */
  tls?: { secretName?: string };
}

/**
 * A Gateway API `HTTPRoute` per Deployment, attached to a Gateway the
 * platform team runs.
 *
 * @public
 */
export interface AirflowGatewaySettings {
  /** The Gateway listeners the routes attach to. */
  parentRefs: Array<{ name: string; namespace: string; sectionName?: string }>;
  /** As {@link AirflowIngressSettings.hostTemplate}. */
  hostTemplate: string;
  /** URL path Airflow is served under; `/` when absent. */
  path?: string;
  /** Annotations of every HTTPRoute. */
  annotations?: Record<string, string>;
  /**
   * Scheme of the URL people open: TLS is the Gateway listener's business.
   * @defaultValue `https`
   */
  scheme?: 'https' | 'http';
}

/**
 * The Airflow connection task logs are written with (object stores).
 *
 * @public
 */
export interface RemoteLoggingConnection {
  /**
   * A connection URI (e.g. `aws://…`, `google-cloud-platform://…`,
   * `wasb://…`), copied into a Secret of each Deployment's namespace and
   * read by Airflow as `AIRFLOW_CONN_ASTRO_REMOTE_LOGGING`. Never logged.
   */
  uri?: string;
  /**
   * An existing connection id instead (defined in the image or a secrets
   * backend, or a provider default such as `aws_default` that uses the
   * pods' workload identity).
   */
  id?: string;
}

/**
 * Where task logs are kept once a worker or a task pod is gone.
 *
 * @public
 */
export type RemoteLoggingSettings =
  | {
      type: 's3' | 'gcs' | 'wasb';
      /**
       * `s3://bucket/prefix`, `gs://bucket/prefix` or `wasb-<folder>`; each
       * Deployment writes below `<baseFolder>/<namespace>`.
       */
      baseFolder: string;
      /** Azure Blob container (wasb only). */
      wasbContainer?: string;
      /** Without it: the provider's default connection. */
      connection?: RemoteLoggingConnection;
    }
  | {
      type: 'elasticsearch';
      /** `https://user:password@host:9200`; treated as a secret. */
      host: string;
    }
  | {
      type: 'opensearch';
      host: string;
      port: number;
      username?: string;
      /** Never logged. */
      password?: string;
    };

/**
 * Where KEDA's operator runs, for the network policy that lets it read the
 * queue depth from the metadata database.
 *
 * @public
 */
export interface KedaLocation {
  namespace: string;
  /** Labels of the operator's pods. */
  operatorPodLabels: Record<string, string>;
}
