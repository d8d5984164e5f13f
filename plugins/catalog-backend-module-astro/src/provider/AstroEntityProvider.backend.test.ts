import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { astroClustersExtensionPoint } from '@airflow-portal/plugin-astro-node';
import { validateAstroEntity } from '@airflow-portal/plugin-astro-common';
// The real Astro backend, as the test bed of this integration test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import astroPlugin from '@airflow-portal/plugin-astro-backend';
import { AstroEntitiesProcessor } from '../processor/AstroEntitiesProcessor';
import { AstroEntityProvider } from './AstroEntityProvider';

jest.setTimeout(60_000);

/*
 * The provider against the real Astro backend: its REST API, its paging,
 * and the change events it publishes on the events service.
 */
describe('AstroEntityProvider with the Astro backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup() {
    const knex = await databases.init('SQLITE_3');
    const received: Array<
      (params: { topic: string; eventPayload: unknown }) => Promise<void>
    > = [];
    // Forwards the backend's events to the provider, as the catalog's
    // events service would.
    const forwarder = createBackendModule({
      pluginId: 'astro',
      moduleId: 'test-forwarder',
      register(env) {
        env.registerInit({
          deps: {
            events: eventsServiceRef,
            clusters: astroClustersExtensionPoint,
          },
          async init({ events, clusters }) {
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
            await events.subscribe({
              id: 'test-forwarder',
              topics: ['astro.resources'],
              onEvent: async params => {
                await Promise.all(received.map(handler => handler(params)));
              },
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        astroPlugin,
        forwarder,
        mockServices.database.factory({ knex }),
        mockServices.events.factory(),
        mockServices.rootConfig.factory({
          data: {
            astro: {
              demo: { seed: true },
              secrets: { encryptionKey: randomBytes(32).toString('base64') },
            },
          },
        }),
      ],
    });
    const port = (backend.server.address() as AddressInfo).port;
    const baseUrl = `http://localhost:${port}/api/astro`;

    const mutations: EntityProviderMutation[] = [];
    const provider = new AstroEntityProvider({
      logger: mockServices.logger.mock(),
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => baseUrl,
      }),
      auth: mockServices.auth({ pluginId: 'catalog' }),
      appBaseUrl: 'http://portal.test',
      pageSize: 2,
      deltaDelayMs: 0,
    });
    await provider.connect({
      applyMutation: async mutation => {
        mutations.push(mutation);
      },
      refresh: async () => {},
    });
    received.push(params => provider.onEvent(params));

    const api = (path: string, init: { method: string; body?: unknown }) =>
      fetch(`${baseUrl}${path}`, {
        method: init.method,
        headers: { 'Content-Type': 'application/json' },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
    return { backend, provider, mutations, api };
  }

  const refs = (entities: DeferredEntity[]) =>
    entities.map(e => stringifyEntityRef(e.entity)).sort();

  it('projects the demo organization and follows changes made through the API', async () => {
    const { backend, provider, mutations, api } = await setup();
    try {
      for (const name of ['etl-a', 'etl-b', 'etl-c']) {
        const created = await api('/organizations/demo/deployments', {
          method: 'POST',
          body: {
            name,
            workspace: 'data-engineering',
            settings: {
              environmentVariables: [
                { key: 'TOKEN', value: 'do-not-leak-4e2f', secret: true },
              ],
            },
          },
        });
        expect(created.status).toBe(201);
      }
      await provider.flush();
      const deltas = mutations.splice(0);
      expect(deltas.every(m => m.type === 'delta')).toBe(true);

      const summary = await provider.refresh();
      expect(summary).toMatchObject({
        organizations: 1,
        workspaces: 2,
        deployments: 3,
        clusters: 1,
      });
      const [full] = mutations.splice(0);
      if (full.type !== 'full') throw new Error('expected a full mutation');
      expect(refs(full.entities)).toEqual([
        'astrocluster:default/shared-1',
        'astrodeployment:demo/etl-a',
        'astrodeployment:demo/etl-b',
        'astrodeployment:demo/etl-c',
        'astroorganization:demo/demo',
        'astroworkspace:demo/analytics',
        'astroworkspace:demo/data-engineering',
      ]);
      expect(JSON.stringify(full.entities)).not.toContain('do-not-leak-4e2f');

      // Every entity passes the processor and relates to the others.
      const processor = new AstroEntitiesProcessor();
      const relations: string[] = [];
      for (const { entity } of full.entities) {
        await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
        await processor.postProcessEntity(
          entity,
          { type: 'url', target: 'x' },
          result => {
            if (result.type === 'relation') {
              const { source, type, target } = result.relation;
              relations.push(
                `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(
                  target,
                )}`,
              );
            }
          },
        );
      }
      expect(relations).toEqual(
        expect.arrayContaining([
          'astrodeployment:demo/etl-a partOf astroworkspace:demo/data-engineering',
          'astroworkspace:demo/data-engineering hasPart astrodeployment:demo/etl-a',
          'astroworkspace:demo/data-engineering partOf astroorganization:demo/demo',
          'astroorganization:demo/demo hasPart astroworkspace:demo/data-engineering',
          'astrodeployment:demo/etl-a dependsOn astrocluster:default/shared-1',
          'astrocluster:default/shared-1 dependencyOf astrodeployment:demo/etl-a',
          'astrodeployment:demo/etl-a ownedBy group:default/data-engineering',
          'group:default/data-engineering ownerOf astrodeployment:demo/etl-a',
        ]),
      );

      // A new Deployment arrives as a delta, from the backend's event.
      await api('/organizations/demo/deployments', {
        method: 'POST',
        body: {
          name: 'etl-d',
          workspace: 'analytics',
          owner: 'group:default/analytics',
        },
      });
      await provider.flush();
      const added = mutations.splice(0);
      expect(added).toHaveLength(1);
      if (added[0].type !== 'delta') throw new Error('expected a delta');
      expect(refs(added[0].added)).toEqual(['astrodeployment:demo/etl-d']);
      expect(added[0].added[0].entity.spec).toMatchObject({
        owner: 'group:default/analytics',
        workspace: 'astroworkspace:demo/analytics',
        settings: { executor: 'CELERY', schedulerSize: 'SMALL' },
      });

      // Deleting it is reflected too (DELETING first, removed once gone).
      const deleted = await api('/organizations/demo/deployments/etl-d', {
        method: 'DELETE',
      });
      expect(deleted.status).toBe(202);
      await provider.flush();
      const afterDelete = mutations.splice(0);
      expect(afterDelete.length).toBeGreaterThan(0);
      const last = afterDelete[afterDelete.length - 1];
      if (last.type !== 'delta') throw new Error('expected a delta');
      const stillThere = last.added.find(
        e => stringifyEntityRef(e.entity) === 'astrodeployment:demo/etl-d',
      );
      const removed = last.removed.some(
        r => 'entityRef' in r && r.entityRef === 'astrodeployment:demo/etl-d',
      );
      const typed = stillThere && validateAstroEntity(stillThere.entity);
      const deleting =
        typed &&
        typed.kind === 'AstroDeployment' &&
        typed.spec.status?.state === 'DELETING';
      expect(removed || deleting).toBe(true);
    } finally {
      await backend.stop();
    }
  });
});
