export interface Config {
  astro?: {
    /** The built-in Kubernetes API simulator. */
    simulator?: {
      /**
       * Name of the simulated cluster in the Astro API.
       * @default simulator
       */
      clusterName?: string;
    };
  };
}
