import { randomBytes } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockHttpAuthWithActors } from '@airflow-portal/plugin-astro-node/testUtils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  createBackendModule,
  createServiceFactory,
  coreServices,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  astroClustersExtensionPoint,
  ClusterDeclaration,
} from '@airflow-portal/plugin-astro-node';
import { JsonObject } from '@backstage/types';
import { Server } from 'node:http';
import { astroPlugin } from '../plugin';
import { TestDatabaseClient } from '../store/__testUtils__/snapshotTables';

export { snapshotTables } from '../store/__testUtils__/snapshotTables';

/** Clusters the test backend declares. */
export const TEST_CLUSTERS: ClusterDeclaration[] = [
  {
    name: 'shared-1',
    title: 'Shared cluster',
    driver: 'simulator',
    type: 'standard',
    provider: 'test',
    region: 'local',
  },
];

/** Every line the backend logged, with its metadata, for leak checks. */
export class CollectingLogger implements LoggerService {
  constructor(
    readonly lines: string[] = [],
    private readonly meta: JsonObject = {},
  ) {}
  private log(level: string, message: string, meta?: unknown) {
    this.lines.push(
      `${level} ${message} ${JSON.stringify(
        { ...this.meta, ...(meta as object) },
        (_k, v) =>
          v instanceof Error ? { message: v.message, stack: v.stack } : v,
      )}`,
    );
  }
  error(message: string, meta?: Error | JsonObject) {
    this.log('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.log('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.log('info', message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.log('debug', message, meta);
  }
  child(meta: JsonObject): LoggerService {
    return new CollectingLogger(this.lines, { ...this.meta, ...meta });
  }
}

/** Options of {@link startAstroTestBackend}. */
export interface AstroTestBackendOptions {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  config?: JsonObject;
  clusters?: ClusterDeclaration[];
  logger?: CollectingLogger;
  /**
   * `none`: requests without an Authorization header carry no credentials
   * (as in production); by default they are the mock user's.
   */
  unauthenticatedByDefault?: boolean;
  /** Secret encryption key (base64 of 32 bytes); random when absent. */
  encryptionKey?: string;
  /** Permissions the policy denies (all others are allowed). */
  deniedPermissions?: string[];
  /**
   * The catalog's entities (Users and Groups for role bindings); by
   * default the mock user and two groups.
   */
  catalogEntities?: Entity[];
  /**
   * `roles`: the real permission framework — Backstage's permission
   * backend with the Astro role policy module, the real permissions and
   * permissions-registry services, `permission.enabled` — instead of a
   * mock policy.
   */
  policy?: 'roles';
  /** Config outside `astro` (merged at the root). */
  rootConfig?: JsonObject;
}

/** A User or Group entity as the catalog serves it, relations included. */
export function catalogEntity(
  ref: string,
  relations: Array<{ type: string; targetRef: string }> = [],
): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'user' ? 'User' : 'Group',
    metadata: { name, namespace },
    spec: kind === 'user' ? {} : { type: 'team', children: [] },
    relations,
  };
}

const DEFAULT_CATALOG = [
  catalogEntity('user:default/mock'),
  catalogEntity('group:default/data-engineering'),
  catalogEntity('group:default/analytics'),
];

/** A permission policy that denies the named permissions and allows the rest. */
function denyingPermissions(denied: string[]) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize(requests: Array<{ permission: { name: string } }>) {
        return requests.map(r => ({
          result: denied.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        }));
      },
      async authorizeConditional(
        requests: Array<{ permission: { name: string } }>,
      ) {
        return requests.map(r => ({
          result: denied.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        }));
      },
    }),
  });
}

/**
 * Starts a backend with the Astro plugin on a fresh database of the given
 * engine, with clusters declared by a test module.
 */
export async function startAstroTestBackend(
  options: AstroTestBackendOptions,
): Promise<{
  server: Server;
  knex: TestDatabaseClient;
  stop: () => Promise<void>;
}> {
  const knex = await options.databases.init(options.databaseId);
  const clusters = options.clusters ?? TEST_CLUSTERS;
  const clusterModule = createBackendModule({
    pluginId: 'astro',
    moduleId: 'test-clusters',
    register(env) {
      env.registerInit({
        deps: { extension: astroClustersExtensionPoint },
        async init({ extension }) {
          extension.addClusterSource({ getClusters: async () => clusters });
        },
      });
    },
  });
  const features = [
    astroPlugin,
    clusterModule,
    catalogServiceMock.factory({
      entities: options.catalogEntities ?? DEFAULT_CATALOG,
    }),
    ...(options.policy === 'roles'
      ? [
          mockHttpAuthWithActors(
            options.unauthenticatedByDefault
              ? mockCredentials.none()
              : mockCredentials.user(),
          ),
          permissionsServiceFactory,
          permissionsRegistryServiceFactory,
          import('@backstage/plugin-permission-backend'),
          import(
            '@airflow-portal/plugin-permission-backend-module-astro-policy'
          ),
        ]
      : []),
    mockServices.database.factory({ knex }),
    mockServices.rootConfig.factory({
      data: {
        ...(options.policy === 'roles'
          ? { permission: { enabled: true } }
          : {}),
        ...(options.rootConfig ?? {}),
        astro: {
          secrets: {
            encryptionKey:
              options.encryptionKey ?? randomBytes(32).toString('base64'),
          },
          reconciler: { enabled: false },
          ...(options.config ?? {}),
        },
      },
    }),
    ...(options.permission
      ? [mockServices.permissions.factory({ result: options.permission })]
      : []),
    ...(options.deniedPermissions
      ? [denyingPermissions(options.deniedPermissions)]
      : []),
    ...(options.unauthenticatedByDefault && options.policy !== 'roles'
      ? [
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ]
      : []),
    ...(options.logger
      ? [
          createServiceFactory({
            service: coreServices.rootLogger,
            deps: {},
            factory: (): RootLoggerService => options.logger!,
          }),
        ]
      : []),
  ];
  const backend = await startTestBackend({ features });
  return { server: backend.server, knex, stop: () => backend.stop() };
}
