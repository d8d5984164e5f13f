import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The entity provider that projects the Astro backend's Organizations,
       * Workspaces, Deployments and Clusters into the catalog.
       */
      astro?: {
        /**
         * Whether the provider runs. The processor of the Astro kinds runs
         * either way.
         * @default true
         */
        enabled?: boolean;
        /**
         * When the full refresh runs. It replaces every entity of the
         * provider; changes in between arrive as deltas from the events
         * service. Runs once across backend replicas unless `scope: local`.
         * @default { frequency: { minutes: 5 }, timeout: { minutes: 3 }, initialDelay: { seconds: 3 }, scope: 'global' }
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Deployments read per request of the full refresh, 1 to 500.
         * @default 500
         */
        pageSize?: number;
        /**
         * Milliseconds change events are collected before they are applied
         * as one delta mutation (0 to 60000).
         * @default 250
         */
        deltaDelayMs?: number;
      };
    };
  };
}
