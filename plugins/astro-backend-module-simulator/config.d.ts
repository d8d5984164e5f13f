export interface Config {
  astro?: {
    /**
     * The built-in Kubernetes API simulator: a cluster that exists only in
     * the backend's memory, for local runs and tests. It is labelled a
     * simulator wherever users see it.
     */
    simulator?: {
      /**
       * Whether to start the simulator and register it as a cluster.
       * @default true
       */
      enabled?: boolean;
      /**
       * Name of the simulated cluster in the Astro API (a DNS-1123 label).
       * @default simulator
       */
      clusterName?: string;
      /**
       * Title shown to users for the simulated cluster.
       * @default Built-in simulator
       */
      title?: string;
      /**
       * Interface the simulated API server listens on. Keep it on loopback:
       * the simulator is not meant to be reachable from other machines.
       * @default 127.0.0.1
       */
      host?: string;
      /**
       * Port the simulated API server listens on; 0 picks a free port at
       * every start. Set a fixed port to point other tools (kubectl,
       * Backstage's Kubernetes plugin) at it.
       * @default 0
       */
      port?: number;
      /**
       * Bearer token the simulated API server requires. A random token is
       * generated at every start when unset.
       * @visibility secret
       */
      token?: string;
      /**
       * The certificate of the simulator's HTTPS endpoint (PEM files). When
       * absent, a CA and a certificate for the loopback addresses and
       * `host` are generated at every start. Plain HTTP is served on the
       * same port either way.
       */
      tls?: {
        /** Path of the server certificate (PEM). */
        certFile: string;
        /** Path of the certificate's private key (PEM). */
        keyFile: string;
        /**
         * Path of the CA certificate written into kubeconfigs; without it
         * clients trust their system roots.
         */
        caFile?: string;
      };
      /**
       * Where to write a kubeconfig (HTTPS server, CA, token; mode 0600)
       * for kubectl and helm at start; it is removed at shutdown. The path
       * is logged.
       * @default <os tmpdir>/airflow-portal-simulator/<clusterName>.kubeconfig
       */
      kubeconfigPath?: string;
      /**
       * Whether the simulated cluster has KEDA installed (serves
       * `keda.sh/v1alpha1` ScaledObjects). Without it, Deployments fall back
       * to HorizontalPodAutoscalers.
       * @default true
       */
      keda?: boolean;
      /**
       * Milliseconds from a pod's creation until it is Ready (and until a
       * Job's pod completes).
       * @default 2000
       */
      podReadyDelayMs?: number;
      /**
       * The simulated DAG sync: simulated pods with a `dag-sync` sidecar or
       * a `dag-sync-init` init container fetch their DAG bundle from the
       * backend over HTTP, as the real sync script does.
       */
      dagSync?: {
        /**
         * Whether simulated pods sync their DAG bundles.
         * @default true
         */
        enabled?: boolean;
        /**
         * Shortest interval between two syncs of one pod, in milliseconds,
         * whatever its `ASTRO_SYNC_INTERVAL_SECONDS` says.
         * @default 1000
         */
        minIntervalMs?: number;
        /**
         * Replaces every pod's `ASTRO_SYNC_INTERVAL_SECONDS` (still at least
         * `minIntervalMs`), in milliseconds; e.g. to see DAG deploys land
         * sooner on a laptop.
         */
        intervalMs?: number;
      };
    };
  };
}
