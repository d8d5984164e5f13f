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
  };
}
