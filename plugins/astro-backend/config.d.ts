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
  };
}
