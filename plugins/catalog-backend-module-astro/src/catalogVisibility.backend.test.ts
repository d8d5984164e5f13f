import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { astroClustersExtensionPoint } from '@airflow-portal/plugin-astro-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import astroRolePolicyModule from '@airflow-portal/plugin-permission-backend-module-astro-policy';
// The real Astro backend, as the test bed of this integration test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import astroPlugin from '@airflow-portal/plugin-astro-backend';
import { catalogModuleAstro } from './module';
import { mockHttpAuthWithActors } from '@airflow-portal/plugin-astro-node/testUtils';

jest.setTimeout(180_000);

/*
 * Catalog visibility of the Astro kinds, end to end: the real catalog
 * backend with this module (processor and entity provider), the real Astro
 * backend, and the permission backend with the Astro role policy. Users
 * and groups come from a test entity provider; the Astro entities are the
 * provider's projection of what the test creates through the Astro API.
 */

const ADMIN = 'user:default/admin';
const LOCATION = {
  'backstage.io/managed-by-location': 'url:https://people.test/org.yaml',
  'backstage.io/managed-by-origin-location': 'url:https://people.test/org.yaml',
};

function user(name: string, memberOf: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default', annotations: LOCATION },
    spec: { memberOf },
  };
}

function group(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations: LOCATION },
    spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
  };
}

/** Users and groups: carol is in team-a-devs, a child group of team-a. */
const PEOPLE: Entity[] = [
  user('admin'),
  user('olivia'),
  user('mia'),
  user('dax'),
  user('nobody'),
  user('carol', ['team-a-devs']),
  group('team-a'),
  group('team-a-devs', 'team-a'),
];

const peopleModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-people',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        const provider: EntityProvider = {
          getProviderName: () => 'test-people',
          async connect(connection: EntityProviderConnection) {
            await connection.applyMutation({
              type: 'full',
              entities: PEOPLE.map(entity => ({
                entity,
                locationKey: 'test-people',
              })),
            });
          },
        };
        catalog.addEntityProvider(provider);
      },
    });
  },
});

const clustersModule = createBackendModule({
  pluginId: 'astro',
  moduleId: 'test-clusters',
  register(env) {
    env.registerInit({
      deps: { clusters: astroClustersExtensionPoint },
      async init({ clusters }) {
        clusters.addClusterSource({
          getClusters: async () => [
            {
              name: 'shared-1',
              title: 'Shared',
              type: 'standard',
              provider: 'test',
              region: 'local',
              driver: 'test-nothing',
            },
          ],
        });
      },
    });
  },
});

const ASTRO_KINDS = [
  'AstroOrganization',
  'AstroWorkspace',
  'AstroDeployment',
  'AstroCluster',
];

async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 90_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify(value)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('catalog visibility of the Astro kinds with the Astro role policy', () => {
  it('shows each user the Astro entities its roles let it read, filtered by the catalog', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleAstro,
        peopleModule,
        astroPlugin,
        clustersModule,
        permissionPlugin,
        astroRolePolicyModule,
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        mockHttpAuthWithActors(mockCredentials.none()),
        // The real scheduler: the provider's full refresh runs every second
        // (the mock one runs each task once, at startup).
        schedulerServiceFactory,
        mockServices.events.factory(),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            // Entity links are absolute URLs of the portal.
            app: { baseUrl: 'http://portal.test' },
            catalog: {
              providers: {
                astro: {
                  schedule: {
                    frequency: { seconds: 1 },
                    timeout: { seconds: 30 },
                    initialDelay: { seconds: 0 },
                    scope: 'local',
                  },
                  deltaDelayMs: 0,
                },
              },
            },
            astro: {
              bootstrapOwners: [ADMIN],
              permissions: { membershipCacheSeconds: 1 },
              secrets: { encryptionKey: randomBytes(32).toString('base64') },
              reconciler: { enabled: false },
            },
          },
        }),
      ],
    });
    const port = (backend.server.address() as AddressInfo).port;
    const call = async (
      as: string,
      path: string,
      init: { method?: string; body?: unknown } = {},
    ) => {
      const response = await fetch(`http://localhost:${port}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: mockCredentials.user.header(as),
          'Content-Type': 'application/json',
        },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      };
    };
    const astro = async (path: string, method: string, body: unknown) => {
      const response = await call(ADMIN, `/api/astro${path}`, {
        method,
        body,
      });
      expect([path, response.status]).toEqual([
        path,
        method === 'POST' ? 201 : 200,
      ]);
    };
    /** The Astro entities a user gets from the catalog's entity list. */
    const astroEntitiesOf = async (who: string) => {
      const response = await call(
        who,
        `/api/catalog/entities?${ASTRO_KINDS.map(
          kind => `filter=kind=${kind}`,
        ).join('&')}`,
      );
      expect(response.status).toBe(200);
      return (response.body as Entity[]).map(e => stringifyEntityRef(e)).sort();
    };

    try {
      // The people are in the catalog before roles are granted to them.
      await eventually(
        'the people in the catalog',
        () => call(ADMIN, '/api/catalog/entities?filter=kind=user'),
        response => response.status === 200 && response.body?.length === 6,
      );

      await astro('/organizations', 'POST', { name: 'acme' });
      await astro('/organizations', 'POST', { name: 'globex' });
      for (const [org, ws] of [
        ['acme', 'data-eng'],
        ['acme', 'analytics'],
        ['globex', 'data-eng'],
      ]) {
        await astro(`/organizations/${org}/workspaces`, 'POST', { name: ws });
      }
      for (const [org, name, workspace] of [
        ['acme', 'etl', 'data-eng'],
        ['acme', 'reports', 'analytics'],
        ['globex', 'etl', 'data-eng'],
      ]) {
        await astro(`/organizations/${org}/deployments`, 'POST', {
          name,
          workspace,
        });
      }
      const acme = '/organizations/acme';
      await astro(`${acme}/roles`, 'PUT', {
        principal: 'user:default/olivia',
        role: 'ORGANIZATION_OWNER',
      });
      await astro(`${acme}/workspaces/data-eng/roles`, 'PUT', {
        principal: 'user:default/mia',
        role: 'WORKSPACE_MEMBER',
      });
      await astro(`${acme}/deployments/reports/roles`, 'PUT', {
        principal: 'user:default/dax',
        role: 'DEPLOYMENT_ADMIN',
      });
      await astro(`${acme}/workspaces/analytics/roles`, 'PUT', {
        principal: 'group:default/team-a',
        role: 'WORKSPACE_MEMBER',
      });

      const everything = [
        'astrocluster:default/shared-1',
        'astrodeployment:acme/etl',
        'astrodeployment:acme/reports',
        'astrodeployment:globex/etl',
        'astroorganization:acme/acme',
        'astroorganization:globex/globex',
        'astroworkspace:acme/analytics',
        'astroworkspace:acme/data-eng',
        'astroworkspace:globex/data-eng',
      ];
      // A platform admin sees every entity the provider projected.
      await eventually(
        'the Astro entities in the catalog',
        () => astroEntitiesOf(ADMIN),
        refs => refs.length === everything.length,
      );
      expect(await astroEntitiesOf(ADMIN)).toEqual(everything);

      expect(await astroEntitiesOf('user:default/mia')).toEqual([
        'astrocluster:default/shared-1',
        'astrodeployment:acme/etl',
        'astroorganization:acme/acme',
        'astroworkspace:acme/data-eng',
      ]);
      expect(await astroEntitiesOf('user:default/olivia')).toEqual(
        everything.filter(ref => !ref.includes('globex')),
      );
      expect(await astroEntitiesOf('user:default/dax')).toEqual([
        'astrocluster:default/shared-1',
        'astrodeployment:acme/reports',
        'astroorganization:acme/acme',
      ]);
      // Through the parent group of its own group.
      expect(await astroEntitiesOf('user:default/carol')).toEqual([
        'astrocluster:default/shared-1',
        'astrodeployment:acme/reports',
        'astroorganization:acme/acme',
        'astroworkspace:acme/analytics',
      ]);
      expect(await astroEntitiesOf('user:default/nobody')).toEqual([
        'astrocluster:default/shared-1',
      ]);

      // Entity pages and search go through the same filter: an entity the
      // user may not read answers 404, like a missing one.
      const page = (who: string, kind: string, ns: string, name: string) =>
        call(who, `/api/catalog/entities/by-name/${kind}/${ns}/${name}`);
      expect(
        (await page('user:default/mia', 'astroworkspace', 'acme', 'data-eng'))
          .status,
      ).toBe(200);
      expect(
        (await page('user:default/mia', 'astroworkspace', 'acme', 'analytics'))
          .status,
      ).toBe(404);
      const query = await call(
        'user:default/mia',
        '/api/catalog/entities/by-query?filter=kind=AstroDeployment',
      );
      expect(
        query.body.items.map((e: Entity) => stringifyEntityRef(e)),
      ).toEqual(['astrodeployment:acme/etl']);
      // Other kinds stay visible to everyone.
      const users = await call(
        'user:default/nobody',
        '/api/catalog/entities?filter=kind=user',
      );
      expect(users.body).toHaveLength(6);

      // A removed role stops showing its entities once the cache expires.
      const removed = await call(
        ADMIN,
        `/api/astro${acme}/workspaces/data-eng/roles?principal=${encodeURIComponent(
          'user:default/mia',
        )}`,
        { method: 'DELETE' },
      );
      expect(removed.status).toBe(204);
      await eventually(
        'the removal to reach the catalog',
        () => astroEntitiesOf('user:default/mia'),
        refs => refs.length === 1,
        10_000,
      );
      expect(await astroEntitiesOf('user:default/mia')).toEqual([
        'astrocluster:default/shared-1',
      ]);
    } finally {
      await backend.stop();
    }
  });
});
