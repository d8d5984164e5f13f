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
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  ASTRO_RESOURCES_TOPIC,
  astroClustersExtensionPoint,
} from '@airflow-portal/plugin-astro-node';
// The real Astro backend, as the test bed of this integration test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import astroPlugin from '@airflow-portal/plugin-astro-backend';
import { catalogModuleAstro } from '../module';

jest.setTimeout(60_000);

/** The subscription of the provider on the event bus, shared by replicas. */
const SUBSCRIPTION_ID = 'catalog.catalog-astro-entity-provider';

const databases = TestDatabases.create();
const postgresId = databases
  .eachSupportedId()
  .map(([id]) => id)
  .find(id => id.startsWith('POSTGRES'));

if (!postgresId) {
  if (process.env.CI === 'true') {
    it('has PostgreSQL: with CI=true the events across replicas must be tested', () => {
      expect(postgresId).toBeDefined();
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(
      '\n\n*** SKIPPED: the events-across-replicas tests need PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING): on SQLite the event bus is in memory, for one process only ***\n\n',
    );
  }
}

type Knex = Awaited<ReturnType<TestDatabases['init']>>;

/** Polls until `read` gives a value, failing after `timeoutMs`. */
async function waitFor<T>(
  read: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

const testClusters = createBackendModule({
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

interface Replica {
  /** Base URL of this replica's Astro API. */
  api: string;
  /** The mutations this replica's Astro entity provider applied. */
  mutations: EntityProviderMutation[];
  stop(): Promise<void>;
}

/*
 * Several backend processes on one PostgreSQL database, each with the Astro
 * backend, Backstage's events backend and the real events service (which
 * talks to the events backend's bus), and optionally the catalog module
 * with its entity provider.
 */
const describeOnPostgres = postgresId ? describe : describe.skip;

describeOnPostgres('Astro change events across backend replicas', () => {
  let knex: Knex;
  const encryptionKey = randomBytes(32).toString('base64');
  const replicas: Replica[] = [];

  beforeEach(async () => {
    if (!postgresId) {
      throw new Error('PostgreSQL is needed');
    }
    knex = await databases.init(postgresId);
  });

  afterEach(async () => {
    // Stop every replica before the database is dropped.
    await Promise.all(replicas.splice(0).map(replica => replica.stop()));
  });

  async function startReplica(options: { catalog: boolean }): Promise<Replica> {
    const providers: EntityProvider[] = [];
    const features = [
      astroPlugin,
      testClusters,
      eventsPlugin,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          backend: {
            // Every plugin in its own schema of the one test database, as a
            // real backend divides it, and every replica on the same ones.
            database: {
              client: 'pg',
              connection: knex.client.config.connection,
              pluginDivisionMode: 'schema',
            },
          },
          astro: {
            secrets: { encryptionKey },
            reconciler: { enabled: false },
          },
          catalog: { providers: { astro: { deltaDelayMs: 0 } } },
          // Idle long polls of the bus end after this, so that a replica
          // stops quickly (55 s by default); changes wake them at once.
          events: { notifyTimeoutMs: 1_000 },
        },
      }),
    ];
    const backend = options.catalog
      ? await startTestBackend({
          features: [...features, catalogModuleAstro],
          extensionPoints: [
            [
              catalogProcessingExtensionPoint,
              {
                addProcessor: () => {},
                addEntityProvider: (...added) => {
                  providers.push(...added.flat());
                },
              },
            ],
          ],
        })
      : await startTestBackend({ features });

    const mutations: EntityProviderMutation[] = [];
    const [provider] = providers;
    // What the catalog does with the provider of the module.
    await provider?.connect({
      applyMutation: async mutation => {
        mutations.push(mutation);
      },
      refresh: async () => {},
    });
    const port = (backend.server.address() as AddressInfo).port;
    const replica = {
      api: `http://localhost:${port}/api/astro`,
      mutations,
      stop: () => backend.stop(),
    };
    replicas.push(replica);
    return replica;
  }

  /** The events of the topic that the bus stored in the shared database. */
  const storedEvents = () =>
    knex
      .withSchema('events')
      .from('event_bus_events')
      .where({ topic: ASTRO_RESOURCES_TOPIC });

  /** Waits until the provider's subscription is on the shared bus. */
  function busSubscription() {
    return waitFor(
      () =>
        knex
          .withSchema('events')
          .from('event_bus_subscriptions')
          .where({ id: SUBSCRIPTION_ID })
          .first(),
      `the subscription ${SUBSCRIPTION_ID} on the bus`,
    );
  }

  async function post(api: string, path: string, body: object) {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
  }

  /** The entity refs a replica's provider added, in delta mutations only. */
  const deltaRefs = (replica: Replica) =>
    replica.mutations.flatMap(mutation =>
      mutation.type === 'delta'
        ? mutation.added.map(({ entity }) => stringifyEntityRef(entity))
        : [],
    );

  it('delivers a change made through one replica to the catalog provider of another', async () => {
    const a = await startReplica({ catalog: false });
    const b = await startReplica({ catalog: true });
    await busSubscription();

    await post(a.api, '/organizations', { name: 'acme' });
    await post(a.api, '/organizations/acme/workspaces', { name: 'data-eng' });
    await post(a.api, '/organizations/acme/deployments', {
      name: 'etl',
      workspace: 'data-eng',
    });

    await waitFor(
      () =>
        deltaRefs(b).includes('astrodeployment:acme/etl') ? true : undefined,
      "replica B's delta with astrodeployment:acme/etl",
    );
    expect(deltaRefs(b)).toEqual(
      expect.arrayContaining([
        'astroorganization:acme/acme',
        'astroworkspace:acme/data-eng',
        'astrodeployment:acme/etl',
      ]),
    );
    expect(b.mutations.every(mutation => mutation.type === 'delta')).toBe(true);
    // They travelled through the shared database.
    expect((await storedEvents()).length).toBeGreaterThanOrEqual(3);
  });

  it('applies a change once when every replica runs the provider: the replica that made it', async () => {
    const a = await startReplica({ catalog: true });
    const b = await startReplica({ catalog: true });
    await busSubscription();

    await post(a.api, '/organizations', { name: 'acme' });
    await post(a.api, '/organizations/acme/workspaces', { name: 'data-eng' });
    await post(a.api, '/organizations/acme/deployments', {
      name: 'etl',
      workspace: 'data-eng',
    });

    await waitFor(
      () =>
        deltaRefs(a).includes('astrodeployment:acme/etl') ? true : undefined,
      "replica A's delta with astrodeployment:acme/etl",
    );
    // A's events service delivered the events to A's provider in process
    // and told the bus so; with no other subscription left to serve, the
    // bus stored none of them for B.
    expect(await storedEvents()).toEqual([]);
    // Some time for a delivery that should not come.
    await new Promise(resolve => setTimeout(resolve, 1_000));
    expect(b.mutations).toEqual([]);
  });
});
