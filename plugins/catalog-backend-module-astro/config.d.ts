export interface Config {
  catalog?: {
    providers?: {
      /** The entity provider that projects Astro resources into the catalog. */
      astro?: {
        /**
         * Whether the provider runs.
         * @default true
         */
        enabled?: boolean;
      };
    };
  };
}
