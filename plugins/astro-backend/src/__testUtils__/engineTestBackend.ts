import { randomBytes } from 'node:crypto';
import { Server } from 'node:http';
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  astroClustersExtensionPoint,
  ClusterDeclaration,
} from '@airflow-portal/plugin-astro-node';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import { astroPlugin } from '../plugin';
import { TestDatabaseClient } from '../store/__testUtils__/snapshotTables';
import { ManualClock } from './ManualClock';

/** Name of the simulated cluster in engine tests. */
export const SIM_CLUSTER = 'sim';

/** Starts a simulator tuned for fast tests. */
export function startTestSimulator(options: { keda?: boolean } = {}) {
  return startKubernetesSimulator({
    podReadyDelayMs: 150,
    namespaceDeletionDelayMs: 100,
    keda: options.keda ?? true,
    title: 'Test simulator',
  });
}

/**
 * A backend with the Astro plugin reconciling against a simulator over
 * HTTP through the production Kubernetes driver, on the given database,
 * with passes every second.
 */
export async function startEngineTestBackend(options: {
  knex: TestDatabaseClient;
  /**
   * An in-process simulator declared as cluster `sim`; without one, the
   * clusters come from `config.clusters` only.
   */
  simulator?: KubernetesSimulator;
  encryptionKey: string;
  config?: JsonObject;
  /**
   * Where the DAG sync fetches bundles. Replicas must agree on it (as they
   * do behind one public URL); by default a fixed URL that every test
   * backend shares. `discovered`: this backend's own URL, for a test that
   * needs the DAG sync to reach it.
   */
  bundleBaseUrl?: string | 'discovered';
  /** Replaces fields of the simulated cluster's declaration (`undefined` removes one). */
  cluster?: Partial<ClusterDeclaration>;
  /** The plugin's clock; the wall clock by default. */
  clock?: ManualClock;
  /** More plugins and services in the backend (other plugins need `pluginDatabases`). */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** Config outside `astro` (merged at the root). */
  rootConfig?: JsonObject;
  /** Databases of other plugins than astro, by plugin id. */
  pluginDatabases?: Record<string, TestDatabaseClient>;
}): Promise<{
  server: Server;
  api: request.Agent;
  stop: () => Promise<void>;
}> {
  const { simulator } = options;
  const clusterModule = createBackendModule({
    pluginId: 'astro',
    moduleId: 'test-simulator-cluster',
    register(env) {
      env.registerInit({
        deps: { clusters: astroClustersExtensionPoint },
        async init({ clusters }) {
          clusters.addClusterSource({
            getClusters: async () =>
              simulator
                ? [
                    {
                      name: SIM_CLUSTER,
                      title: 'Test simulator',
                      driver: 'simulator',
                      type: 'standard',
                      provider: 'simulator',
                      region: 'local',
                      connection: {
                        server: simulator.url,
                        token: simulator.token,
                      },
                      airflowUrlTemplate: `${simulator.url}/airflow/{namespace}`,
                      ...options.cluster,
                    },
                  ]
                : [],
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      astroPlugin,
      clusterModule,
      // The real scheduler: periodic passes must actually run.
      schedulerServiceFactory,
      ...(options.clock ? [options.clock.factory()] : []),
      options.pluginDatabases
        ? perPluginDatabases({
            ...options.pluginDatabases,
            astro: options.knex,
          })
        : mockServices.database.factory({ knex: options.knex }),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...(options.rootConfig ?? {}),
          astro: {
            secrets: { encryptionKey: options.encryptionKey },
            reconciler: {
              schedule: { frequency: { seconds: 1 }, timeout: { seconds: 60 } },
              leaseTtlSeconds: 5,
            },
            monitor: {
              schedule: { frequency: { seconds: 1 }, timeout: { seconds: 30 } },
              // Passes every second may observe every Deployment in each
              // (the default budget allows one full observation a minute,
              // so a recovered component would stay UNHEALTHY for up to
              // a minute behind its last health sample).
              maxAirflowRequestsPerMinute: 600,
            },
            ...(options.config ?? {}),
            deploys: {
              ...(options.bundleBaseUrl === 'discovered'
                ? {}
                : {
                    bundleBaseUrl:
                      options.bundleBaseUrl ?? 'http://backend.test/api/astro',
                  }),
              ...((options.config?.deploys as JsonObject | undefined) ?? {}),
            },
          },
        },
      }),
    ],
  });
  return {
    server: backend.server,
    api: request.agent(backend.server),
    stop: () => backend.stop(),
  };
}

/** Each plugin its own database (knex migrations are per database). */
function perPluginDatabases(byPlugin: Record<string, TestDatabaseClient>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => {
      const knex = byPlugin[plugin.getId()];
      if (!knex) {
        throw new Error(`No test database for plugin ${plugin.getId()}`);
      }
      return { getClient: async () => knex };
    },
  });
}

/** A fresh encryption key for a test's backends (they must share it). */
export function testEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** Polls until `check` returns a value other than undefined or false. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) {
        return value as T;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${options.what ?? 'a condition'}${
          last ? `: ${last}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
