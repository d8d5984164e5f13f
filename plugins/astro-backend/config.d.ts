export interface Config {
  /** Configuration of the Astro (Airflow) control plane. */
  astro?: {
    /** How secret values (environment variables marked secret) are protected. */
    secrets?: {
      /**
       * Key used to encrypt secret values at rest with AES-256-GCM: 32 bytes,
       * base64 encoded. Required in production; outside production a key is
       * generated per process (with a warning) when it is missing.
       * @visibility secret
       */
      encryptionKey?: string;
    };
    /**
     * The Airflow releases Deployments can run, newest first in the UI. When
     * absent, a built-in list of Apache Airflow 3.x and 2.x images is
     * offered. The default is the entry marked `default`, else the newest.
     */
    runtimes?: Array<{
      /** Apache Airflow version, e.g. `3.1.3`. */
      airflowVersion: string;
      /** Container image providing it, e.g. `apache/airflow:3.1.3`. */
      image: string;
      /** Whether new Deployments get this release when they choose none. */
      default?: boolean;
      /**
       * Deprecation, as in Astro's runtime lifecycle: `true`, or the day
       * (`YYYY-MM-DD`, UTC) from which the release is deprecated. A
       * deprecated release can still be chosen; `/deployment-options` marks
       * it and Deployments running it carry an `AirflowVersionSupported`
       * condition with status False (the UI warns on them).
       * @default false
       */
      deprecated?: boolean | string;
      /**
       * End of life: `true`, or the day (`YYYY-MM-DD`, UTC) from which the
       * release is past end of life. New Deployments cannot choose it and
       * no Deployment can move to it (400 naming `settings.airflowVersion`);
       * Deployments already running it keep running. Implies deprecated.
       * @default false
       */
      endOfLife?: boolean | string;
      /**
       * The metadata-database schema revision the release migrates to:
       * Airflow's Alembic head revision (e.g. `cc92b33c6709` for 3.1.x).
       * Releases with the same revision share a schema, so moving between
       * them runs no migration and going back is not a downgrade. Moving to
       * an older release with another revision is a downgrade across a
       * migration and needs `force=true`. Without it, every version change
       * counts as a migration.
       */
      migrationRevision?: string;
      /**
       * Registry credentials for this release's image (a private mirror),
       * added to each Deployment's image pull Secret while it runs the
       * release's image (not a custom image of its own). Never shown to users.
       */
      imagePullCredentials?: Array<{
        /** Registry host (and port), e.g. `mirror.example.com`; not a URL. */
        registry: string;
        /** Registry user. */
        username: string;
        /**
         * Registry password or access token.
         * @visibility secret
         */
        password: string;
      }>;
    }>;
    /** Caps on Deployment settings. */
    limits?: {
      /**
       * Largest maxWorkers of a worker queue.
       * @default 30
       */
      maxWorkersPerQueue?: number;
      /**
       * Most worker queues per Deployment.
       * @default 10
       */
      maxWorkerQueues?: number;
      /**
       * Longest grace period for running tasks, in seconds.
       * @default 172800
       */
      maxWorkerGracePeriodSeconds?: number;
      /**
       * Largest CPU quota of a Deployment namespace (a Kubernetes quantity).
       * @default 200
       */
      maxQuotaCpu?: string;
      /**
       * Largest memory quota of a Deployment namespace.
       * @default 400Gi
       */
      maxQuotaMemory?: string;
      /**
       * Most environment variables per Deployment.
       * @default 200
       */
      maxEnvironmentVariables?: number;
    };
    /**
     * Cluster of new Deployments that name none; the first standard cluster
     * when absent.
     */
    defaultCluster?: string;
    /** How Deployments' settings are checked on write. */
    deployments?: {
      /**
       * Accept settings whose namespace quota (`settings.resourceQuota`) is
       * smaller than what they need at full scale (components, workers at
       * maxWorkers, rollout surge, draining workers; see the README). Off,
       * such a write is refused with a 400 naming the quota fields and the
       * settings that drive the need; on, it is stored and the Deployment
       * carries the condition `QuotaTooSmall` with the numbers, for
       * platforms that oversubscribe on purpose.
       * @default false
       */
      allowQuotaOversubscription?: boolean;
    };
    /** Demo data for local portals. */
    demo?: {
      /**
       * Create organization `demo` with workspaces `data-engineering` and
       * `analytics` at start-up when it does not exist, with two teams'
       * role bindings (`group:default/data-engineering` operates its
       * workspace and reads Analytics, `group:default/analytics` authors in
       * Analytics, `group:default/data-platform` sees the organization).
       * @default false
       */
      seed?: boolean;
    };
    /**
     * Entity refs of users or groups who administer the platform: every
     * Astro permission everywhere (as owners of every organization),
     * including creating organizations and managing clusters. Read by this
     * plugin (for `/me/permissions` and API-token role caps) and by the
     * Astro role policy module.
     */
    bootstrapOwners?: string[];
    /** Access control. */
    permissions?: {
      /**
       * How long a user's group memberships (nested groups included, read
       * from the catalog) are cached, in seconds. Role bindings themselves
       * are never cached: a grant or removal is effective at once.
       * @default 5
       */
      membershipCacheSeconds?: number;
    };
    /** The provisioning engine. */
    reconciler?: {
      /**
       * Whether this backend reconciles Deployments. Several backends may:
       * leases in the shared database keep them off each other's work.
       * @default true
       */
      enabled?: boolean;
      /**
       * How often every Deployment is checked for drift and retried.
       * @default { frequency: { seconds: 30 }, timeout: { minutes: 10 } }
       */
      schedule?: {
        frequency: { cron: string } | string | { [unit: string]: number };
        timeout: string | { [unit: string]: number };
        initialDelay?: string | { [unit: string]: number };
      };
      /**
       * Deployments reconciled at once by one backend.
       * @default 4
       */
      concurrency?: number;
      /**
       * Seconds a backend's lease on a Deployment lasts; a crashed backend's
       * work is taken over after it. A running pass renews its lease every
       * third of this, so a pass may take longer than the lease lasts.
       * @default 60
       */
      leaseTtlSeconds?: number;
      /**
       * Longest time a stopping backend waits for the reconcile passes it
       * runs to finish before it hands their leases back, in seconds. Keep
       * it well below the pod's termination grace period (30 s by default).
       * @default 10
       */
      shutdownTimeoutSeconds?: number;
      /**
       * Field manager of the server-side applies.
       * @default airflow-portal
       */
      fieldManager?: string;
      /**
       * What the engine does when a field it applies is owned by another
       * field manager (someone ran `kubectl apply` or `kubectl scale`
       * against a Deployment's objects, or another controller writes them).
       * `false`: the apply fails and the Deployment turns `UNHEALTHY` with
       * a reason naming the other manager and the fields, until that
       * manager lets go of them. `true`: the engine takes the fields over
       * (a forced server-side apply) and the cluster converges on the
       * Deployment's settings again. This is the only setting that decides
       * it, for every cluster and driver; leave it off unless the portal is
       * meant to win over every other writer.
       * @default false
       */
      forceConflicts?: boolean;
    };
    /** How Deployments' Airflow links back to the portal (its sign-in page). */
    portal?: {
      /**
       * Path under `app.baseUrl` where the app mounts the Airflow pages of
       * the `astro` frontend plugin; a Deployment's Airflow sends people to
       * `<app.baseUrl><frontendPath>/organizations/<org>/deployments/<name>`
       * to sign in.
       * @default /astro
       */
      frontendPath?: string;
    };
    /**
     * Alert delivery (alert rules are made through the API). Notifications
     * and e-mail go through Backstage's notifications backend (and its
     * e-mail processor, when installed); alert links point at
     * `<app.baseUrl><astro.portal.frontendPath>/organizations/<org>/deployments/<name>`.
     */
    alerts?: {
      /** Generic and Slack-compatible webhooks. */
      webhook?: {
        /**
         * Attempts per delivery, the first included. Network errors,
         * timeouts, HTTP 408, 429 and 5xx are retried; other answers are not.
         * @default 3
         */
        maxAttempts?: number;
        /**
         * Delay before the first retry, in milliseconds; it doubles for each
         * next retry (with jitter), up to 16 times this.
         * @default 2000
         */
        initialBackoffMs?: number;
        /**
         * Time one webhook request may take, in milliseconds.
         * @default 10000
         */
        timeoutMs?: number;
        /**
         * Whether webhooks may reach private and local addresses: this
         * host, private networks (10/8, 172.16/12, 192.168/16, fc00::/7),
         * carrier-grade NAT, and link-local addresses such as a cloud
         * metadata service. Off, such URLs are refused when a rule is
         * written, and a host name that resolves to one is refused when
         * the connection is made. Turn it on only where whoever may edit
         * alert rules may also reach those networks (a local portal).
         * @default false
         */
        allowPrivateNetworks?: boolean;
      };
    };
    /** The monitoring pass: Airflow health, incidents, finished DAG runs. */
    monitor?: {
      /**
       * How often the monitoring pass runs (once across replicas). Each pass
       * observes every Deployment once, spread over nine tenths of the
       * frequency (a cron frequency: of a minute).
       * @default { frequency: { seconds: 60 }, timeout: { minutes: 5 } }
       */
      schedule?: {
        frequency: { cron: string } | string | { [unit: string]: number };
        timeout: string | { [unit: string]: number };
        initialDelay?: string | { [unit: string]: number };
      };
      /**
       * Hours of health history kept.
       * @default 24
       */
      retentionHours?: number;
      /**
       * Most requests the monitor sends to one Deployment's Airflow in any
       * minute (health, finished DAG runs, import errors, queued tasks of
       * worker queues at their most workers, in that order). A pass that
       * finds the budget short waits for it up to a tenth of the interval
       * (passes start a little early or late), otherwise the Deployment waits
       * for a later pass; queues beyond what the budget pays are not read.
       * Incidents that depend on a read not made stay as they are.
       * @default 4
       */
      maxAirflowRequestsPerMinute?: number;
      /** When incidents open. */
      thresholds?: {
        /**
         * Minutes without a heartbeat of the scheduler, triggerer or DAG
         * processor after which a heartbeat-missing incident opens.
         * @default 10
         */
        heartbeatMissingMinutes?: number;
        /** Failed runs of one DAG that open a dag-run-failures incident. */
        dagRunFailures?: {
          /**
           * Failed runs within the window.
           * @default 3
           */
          count?: number;
          /**
           * The window, in minutes.
           * @default 60
           */
          windowMinutes?: number;
        };
      };
      /**
       * Airflow insight: the DAGs, DAG runs, import errors, pools and
       * heartbeats the backend reads from each Deployment's Airflow REST API
       * when someone asks for them.
       */
      airflowInsight?: {
        /**
         * Seconds an answer of a Deployment's Airflow is reused for all
         * callers; concurrent requests for the same answer share one request
         * to Airflow. 0 reads Airflow on every request (still coalesced).
         * Actions (pause, trigger, clear) drop the Deployment's cached answers.
         * @default 15
         */
        cacheSeconds?: number;
      };
      /**
       * Deployment history (status, heartbeat ages, finished DAG runs,
       * worker replicas), written by the monitoring pass from what it
       * observes anyway and served as time series for charts.
       */
      history?: {
        /**
         * Length of one history point, in whole minutes (1 to 1440). Each
         * pass merges its observation into the current bucket; finished DAG
         * runs count in the bucket they ended in.
         * @default 5
         */
        bucketMinutes?: number;
        /**
         * Days history is kept; the monitoring pass deletes older points.
         * @default 30
         */
        retentionDays?: number;
      };
    };
    /** Where the metadata databases of Deployments live. */
    metadataDatabase?: {
      /**
       * A PostgreSQL server on which the backend creates one database and one
       * login role per Deployment (and drops them with the Deployment). When
       * absent, Deployments run a small PostgreSQL in their own namespace,
       * which suits development clusters only.
       */
      postgres?: {
        /**
         * Provisioner id Deployments and clusters refer to.
         * @default postgres
         */
        id?: string;
        /**
         * Administrator connection: a connection string
         * (`postgresql://user:password@host:5432/postgres`) or its parts. The
         * user must be a superuser or have CREATEDB and CREATEROLE.
         * @visibility secret
         */
        connection:
          | string
          | {
              host: string;
              /** @default 5432 */
              port?: number;
              user: string;
              /** @visibility secret */
              password?: string;
              /** Database to connect to for administration. */
              database?: string;
              /** Connect with TLS. */
              ssl?: boolean;
            };
        /**
         * Host name the Deployments' pods reach the server at, when it differs
         * from the administrator connection's host.
         */
        host?: string;
        /** Port the Deployments' pods reach the server at. */
        port?: number;
        /**
         * TLS requirement of the Deployments' connections to the server
         * (libpq `sslmode`).
         * @default prefer
         */
        sslMode?:
          | 'disable'
          | 'allow'
          | 'prefer'
          | 'require'
          | 'verify-ca'
          | 'verify-full';
        /**
         * Prefix of database and role names: a lowercase letter, then at most
         * 23 lowercase letters, digits or `_`.
         * @default airflow_
         */
        namePrefix?: string;
        /** Maximum concurrent connections of each Deployment's role. */
        connectionLimit?: number;
      };
    };
    /**
     * Kubernetes clusters Deployments can be placed on. Each is driven by the
     * built-in `kubernetes` driver (`@kubernetes/client-node`) unless a module
     * registered a driver with the id in `driver`. Give exactly one way to
     * connect: `url` (with `serviceAccountToken` and a CA), `kubeconfig`, or
     * `inCluster`. Credentials never leave the backend.
     */
    clusters?: Array<{
      /** Immutable name, a DNS-1123 label, e.g. `prod-eu-1`. */
      name: string;
      /** Name shown to users. */
      title?: string;
      description?: string;
      /**
       * `standard`: shared by organizations; `dedicated`: one organization's.
       * @default standard
       */
      type?: 'standard' | 'dedicated';
      /** The organization a dedicated cluster belongs to. */
      organization?: string;
      /**
       * Where it runs, e.g. `aws`, `gcp`, `azure`, `on-prem`.
       * @default kubernetes
       */
      provider?: string;
      /**
       * Region or location, e.g. `eu-west-1`.
       * @default unknown
       */
      region?: string;
      /**
       * Id of the driver; a module may register others.
       * @default kubernetes
       */
      driver?: string;
      /**
       * Revision of this declaration. App config owns the clusters it
       * declares: the cluster's record follows one declaration (a hash of
       * all of it, credentials included, is stored; never the credentials),
       * and a backend whose declaration differs at the same or a lower
       * revision neither overwrites the record nor reconciles the cluster's
       * Deployments: it logs an error and the cluster shows condition
       * `DeclarationInSync` False until the declarations agree. To change a
       * declaration, raise its revision: the first backend with the higher
       * revision updates the record, and backends still running the older
       * one step back (a rolling restart).
       * @default 0
       */
      revision?: number;
      /**
       * Where a Deployment's Airflow UI is, with `{organization}`,
       * `{workspace}`, `{deployment}` and `{namespace}` placeholders, e.g.
       * `https://{deployment}.{organization}.airflow.example.com`. Without
       * it, Deployments on this cluster show no Airflow link.
       */
      airflowUrlTemplate?: string;
      /**
       * An Ingress per Deployment (named `airflow-ui`) to its API server
       * (Airflow 3) or webserver (Airflow 2). The Airflow URL is derived from
       * its host (https when `tls` is set), Airflow gets it as its base URL
       * and trusts the controller's forwarded headers. Exclusive with
       * `airflowGateway` and `airflowUrlTemplate`.
       */
      airflowIngress?: {
        /** `spec.ingressClassName`; the cluster's default class when absent. */
        className?: string;
        /**
         * Host of a Deployment's Airflow with `{organization}`,
         * `{workspace}`, `{deployment}` and `{namespace}` placeholders; must
         * give a DNS name, e.g.
         * `{deployment}.{workspace}.{organization}.airflow.example.com`.
         */
        hostTemplate: string;
        /**
         * URL path Airflow is served under.
         * @default /
         */
        path?: string;
        /** Annotations of every Ingress, e.g. `cert-manager.io/cluster-issuer: letsencrypt`. */
        annotations?: { [name: string]: string };
        /**
         * HTTPS. With `secretName`, the Ingress terminates TLS with that
         * Secret of the Deployment's namespace (with a cert-manager issuer
         * annotation, cert-manager issues it per Deployment); without it TLS
         * is terminated in front of the controller or by its default
         * certificate. Absent: plain HTTP.
         */
        tls?: {
          /** Name of the TLS Secret in each Deployment's namespace. */
          secretName?: string;
        };
      };
      /**
       * A Gateway API HTTPRoute per Deployment (named `airflow-ui`) attached
       * to the platform's Gateway, on clusters serving
       * `gateway.networking.k8s.io/v1` (else the Deployment reports
       * condition `AirflowUiRouted` False and shows no link). The Gateway's
       * listener must allow routes from the Deployments' namespaces.
       */
      airflowGateway?: {
        /** The Gateway listeners the routes attach to. */
        parentRefs: Array<{
          /** Gateway name. */
          name: string;
          /** Gateway namespace. */
          namespace: string;
          /** Listener name. */
          sectionName?: string;
        }>;
        /** As `airflowIngress.hostTemplate`. */
        hostTemplate: string;
        /**
         * URL path Airflow is served under.
         * @default /
         */
        path?: string;
        /** Annotations of every HTTPRoute. */
        annotations?: { [name: string]: string };
        /**
         * Scheme of the URL people open (TLS is the Gateway listener's).
         * @default https
         */
        scheme?: 'https' | 'http';
      };
      /**
       * Where task logs are kept once a worker or task pod is gone. Without
       * it they live in each pod's logs volume only, and Deployments report
       * condition `LogsDurable` False.
       */
      remoteLogging?: {
        /** The log store. `opensearch` needs Airflow 3.2.1 or newer. */
        type: 's3' | 'gcs' | 'wasb' | 'elasticsearch' | 'opensearch';
        /**
         * `s3://bucket/prefix`, `gs://bucket/prefix` or `wasb-<folder>`
         * (s3, gcs, wasb); each Deployment writes below
         * `<baseFolder>/<namespace>`.
         */
        baseFolder?: string;
        /** Azure Blob container (wasb); Airflow's default is `airflow-logs`. */
        wasbContainer?: string;
        /**
         * The Airflow connection logs are written with (s3, gcs, wasb): a
         * `uri` the backend copies into a Secret of each Deployment's
         * namespace, or the `id` of a connection that already exists (in the
         * image, a secrets backend, or a provider default using the pods'
         * workload identity). Absent: the provider's default connection.
         */
        connection?: {
          /**
           * Connection URI, e.g. `aws://…`, `google-cloud-platform://…`.
           * @visibility secret
           */
          uri?: string;
          /** Existing connection id, e.g. `aws_default`. */
          id?: string;
        };
        /**
         * URL of the Elasticsearch or OpenSearch cluster, e.g.
         * `https://user:password@logs.example.com:9200`.
         * @visibility secret
         */
        host?: string;
        /** OpenSearch port. */
        port?: number;
        /** OpenSearch user. */
        username?: string;
        /**
         * OpenSearch password.
         * @visibility secret
         */
        password?: string;
      };
      /**
       * Where KEDA's operator runs, for the NetworkPolicy that lets it read
       * queue depths from each Deployment's database.
       */
      keda?: {
        /**
         * Namespace of the operator.
         * @default keda
         */
        namespace?: string;
        /**
         * Labels of the operator's pods.
         * @default { "app.kubernetes.io/name": "keda-operator" }
         */
        operatorPodLabels?: { [name: string]: string };
      };
      /** API server URL, e.g. `https://10.0.0.1:6443`. */
      url?: string;
      /**
       * Bearer token, such as a service account token.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Base64-encoded PEM of the CA that signed the API server's certificate.
       * @visibility secret
       */
      caData?: string;
      /** Path to a PEM file of that CA. */
      caFile?: string;
      /**
       * Accept any server certificate (and plain `http:` URLs); for
       * development clusters only.
       * @default false
       */
      skipTLSVerify?: boolean;
      /** Read the connection from a kubeconfig file. */
      kubeconfig?: {
        /** Path of the kubeconfig file. */
        path: string;
        /** Context to use; its current context when absent. */
        context?: string;
      };
      /** Use the service account of the pod the backend runs in. */
      inCluster?: boolean;
      /**
       * Registry credentials every Deployment on this cluster pulls its
       * images with (rendered as an image pull Secret in each Deployment's
       * namespace, together with the credentials of its image deploys).
       */
      imagePullCredentials?: Array<{
        /** Registry host (and port), e.g. `registry.example.com`; not a URL. */
        registry: string;
        /** Registry user. */
        username: string;
        /**
         * Registry password or access token.
         * @visibility secret
         */
        password: string;
      }>;
    }>;
    /**
     * Also declare the clusters configured for Backstage's Kubernetes plugin
     * (`kubernetes.clusterLocatorMethods` of type `config`) that use the
     * `serviceAccount` auth provider (others are skipped with a warning), so
     * that a portal declares each cluster once. They are `standard` clusters
     * of provider `kubernetes` in region `unknown`, unless an entry of
     * `astro.clusters` with the same name and no connection settings gives
     * their type, provider, region and title.
     * @default false
     */
    clustersFromKubernetesConfig?: boolean;
    /** Code deploys: image and DAG deploys, their bundles and the DAG sync. */
    deploys?: {
      /**
       * Largest compressed DAG bundle a deploy may send, in bytes; a larger
       * body is refused with 413 before it is read.
       * @default 67108864
       */
      maxBundleBytes?: number;
      /**
       * Most bytes a bundle may expand to when decompressed; a bundle that
       * expands further (a gzip bomb) is refused as soon as it does.
       * @default 536870912
       */
      maxBundleExpandedBytes?: number;
      /**
       * Most entries (files and folders) a bundle may hold.
       * @default 5000
       */
      maxBundleEntries?: number;
      /**
       * Days a deploy can be rolled back to; the bundles of older deploys
       * are deleted (never the one a Deployment serves now).
       * @default 90
       */
      retentionDays?: number;
      /**
       * Seconds a deploy may take before it is FAILED: until every pod of
       * the scheduler, DAG processor, triggerer and workers serves its
       * bundle, or the rollout of its image converged.
       * @default 600
       */
      timeoutSeconds?: number;
      /**
       * The backend's `/api/astro` URL as the Deployments' pods reach it;
       * their DAG sync fetches bundles from `<bundleBaseUrl>/bundles/<id>`.
       * Defaults to the backend's own external base URL for `astro`
       * (discovery), which must then be reachable from the clusters.
       */
      bundleBaseUrl?: string;
      /**
       * How often each component's DAG sync asks for the current bundle, in
       * seconds.
       * @default 10
       */
      syncIntervalSeconds?: number;
    };
    /** Tuning of the built-in `kubernetes` cluster driver. */
    kubernetesDriver?: {
      /**
       * Timeout of every API request except watches, in milliseconds.
       * @default 10000
       */
      requestTimeoutMs?: number;
      /**
       * Shortest timeout the API server is asked to close a watch after, in
       * seconds; informers then resume from their last resource version.
       * Each watch asks for a random time between this and twice this (as
       * client-go does), so that watches opened together do not all end
       * together.
       * @default 300
       */
      watchTimeoutSeconds?: number;
      /**
       * A watch that delivers no event and no bookmark for this long is
       * considered stalled and restarted from a fresh list, in milliseconds.
       * @default 120000
       */
      watchIdleTimeoutMs?: number;
      /**
       * Objects per page when listing (informers re-listing a cluster
       * included): `limit` and `continue`, as client-go's informers list, so
       * that no answer grows with the cluster. A 24 MB list of 3,500 pods
       * did not arrive within the request timeout on a loaded machine; pages
       * of 500 stay small. 0 lists in one request.
       * @default 500
       */
      listPageSize?: number;
      /**
       * Exponential backoff of informers after failures: the delay doubles
       * per failed attempt up to `maxMs`, and up to half of each delay is
       * random so that the informers of a cluster that went down do not all
       * retry at the same moment.
       */
      informerBackoff?: {
        /**
         * First delay, in milliseconds.
         * @default 500
         */
        initialMs?: number;
        /**
         * Largest delay, in milliseconds.
         * @default 30000
         */
        maxMs?: number;
      };
    };
  };
}
