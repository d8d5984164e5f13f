import { mockServices } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { validateAstroEntity } from '@airflow-portal/plugin-astro-common';
import {
  FakeAstroApi,
  makeCluster,
  makeDeployment,
  makeOrganization,
  makeWorkspace,
} from '../__testUtils__/fakeAstroApi';
import { AstroEntityProvider } from './AstroEntityProvider';

const LOCATION_KEY = 'astro-provider:AstroEntityProvider';

describe('AstroEntityProvider', () => {
  let api: FakeAstroApi;
  let baseUrl: string;
  let closeServer: () => Promise<void>;
  let mutations: EntityProviderMutation[];
  let connection: EntityProviderConnection;

  afterEach(() => closeServer());

  beforeEach(async () => {
    api = new FakeAstroApi();
    api.organizations = [makeOrganization('acme')];
    api.workspaces = [
      makeWorkspace('acme', 'data-eng', 'group:default/data-engineering'),
      makeWorkspace('acme', 'analytics'),
    ];
    api.clusters = [makeCluster('simulator'), makeCluster('acme-eu', 'acme')];
    api.deployments = [
      makeDeployment('acme', 'data-eng', 'prod-etl'),
      makeDeployment('acme', 'data-eng', 'reports', {
        owner: 'group:default/reporting',
      }),
      makeDeployment('acme', 'analytics', 'adhoc', {
        airflowUrl: undefined,
        status: 'CREATING',
        statusReason: 'Provisioning the namespace',
      }),
    ];
    ({ baseUrl, close: closeServer } = await api.start());
    mutations = [];
    connection = {
      applyMutation: jest.fn(async (mutation: EntityProviderMutation) => {
        mutations.push(mutation);
      }),
      refresh: jest.fn(),
    };
  });

  function createProvider(
    overrides: Partial<
      ConstructorParameters<typeof AstroEntityProvider>[0]
    > = {},
  ) {
    return new AstroEntityProvider({
      logger: mockServices.logger.mock(),
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => baseUrl,
      }),
      auth: mockServices.auth({ pluginId: 'catalog' }),
      appBaseUrl: 'http://portal.test',
      pageSize: 2,
      deltaDelayMs: 0,
      ...overrides,
    });
  }

  async function connected(
    overrides: Parameters<typeof createProvider>[0] = {},
  ) {
    const provider = createProvider(overrides);
    await provider.connect(connection);
    return provider;
  }

  const refsOf = (entities: DeferredEntity[]) =>
    entities.map(e => stringifyEntityRef(e.entity)).sort();

  function entityOf(entities: DeferredEntity[], ref: string): Entity {
    const found = entities.find(e => stringifyEntityRef(e.entity) === ref);
    if (!found) {
      throw new Error(`no entity ${ref} in ${refsOf(entities)}`);
    }
    return found.entity;
  }

  function fullMutation(): DeferredEntity[] {
    const full = mutations.filter(m => m.type === 'full');
    expect(full).toHaveLength(1);
    return full[0].type === 'full' ? full[0].entities : [];
  }

  describe('full refresh', () => {
    it('projects every resource into one full mutation', async () => {
      const provider = await connected();
      const summary = await provider.refresh();

      const entities = fullMutation();
      expect(refsOf(entities)).toEqual([
        'astrocluster:default/acme-eu',
        'astrocluster:default/simulator',
        'astrodeployment:acme/adhoc',
        'astrodeployment:acme/prod-etl',
        'astrodeployment:acme/reports',
        'astroorganization:acme/acme',
        'astroworkspace:acme/analytics',
        'astroworkspace:acme/data-eng',
      ]);
      expect(entities.every(e => e.locationKey === LOCATION_KEY)).toBe(true);
      expect(summary).toEqual({
        organizations: 1,
        workspaces: 2,
        deployments: 3,
        clusters: 2,
        entities: 8,
        // clusters, organizations, workspaces, 2 pages of deployments
        requests: 5,
      });
    });

    it('builds entities the processor accepts', async () => {
      const provider = await connected();
      await provider.refresh();
      for (const { entity } of fullMutation()) {
        expect(validateAstroEntity(entity)).toBe(entity);
      }
    });

    it('describes a Deployment with owner, links, settings, status and Kubernetes annotations', async () => {
      const provider = await connected();
      await provider.refresh();
      expect(entityOf(fullMutation(), 'astrodeployment:acme/prod-etl')).toEqual(
        {
          apiVersion: 'astro.airflow-portal.dev/v1alpha1',
          kind: 'AstroDeployment',
          metadata: {
            name: 'prod-etl',
            namespace: 'acme',
            title: 'ACME / prod-etl',
            tags: ['airflow'],
            annotations: {
              'backstage.io/managed-by-location':
                'astro:/organizations/acme/deployments/prod-etl',
              'backstage.io/managed-by-origin-location':
                'astro:/organizations/acme/deployments/prod-etl',
              'astro.airflow-portal.dev/organization': 'acme',
              'astro.airflow-portal.dev/workspace': 'data-eng',
              'astro.airflow-portal.dev/deployment': 'prod-etl',
              'astro.airflow-portal.dev/cluster': 'simulator',
              'backstage.io/kubernetes-id': 'astro-prod-etl-0a1b2c',
              'backstage.io/kubernetes-namespace': 'astro-prod-etl-0a1b2c',
              'backstage.io/kubernetes-cluster': 'simulator',
            },
            links: [
              {
                url: 'https://airflow.example.com/prod-etl',
                title: 'Airflow UI',
                icon: 'dashboard',
                type: 'airflow-ui',
              },
              {
                url: 'http://portal.test/astro/organizations/acme/deployments/prod-etl',
                title: 'Deployment in the portal',
                icon: 'dashboard',
                type: 'portal',
              },
            ],
          },
          spec: {
            organization: 'astroorganization:acme/acme',
            workspace: 'astroworkspace:acme/data-eng',
            cluster: 'astrocluster:default/simulator',
            owner: 'group:default/data-engineering',
            namespace: 'astro-prod-etl-0a1b2c',
            airflowUrl: 'https://airflow.example.com/prod-etl',
            settings: {
              airflowVersion: '3.1.3',
              executor: 'CELERY',
              schedulerSize: 'SMALL',
              highAvailability: false,
              workerQueues: [
                {
                  name: 'default',
                  isDefault: true,
                  workerSize: 'A5',
                  minWorkers: 0,
                  maxWorkers: 10,
                  concurrency: 5,
                },
              ],
            },
            status: { state: 'HEALTHY', since: '2026-11-26T10:05:00.000Z' },
          },
        },
      );
    });

    it("gives a Deployment its workspace's owner unless it names one", async () => {
      const provider = await connected();
      await provider.refresh();
      const entities = fullMutation();
      expect(
        entityOf(entities, 'astrodeployment:acme/prod-etl').spec?.owner,
      ).toBe('group:default/data-engineering');
      expect(
        entityOf(entities, 'astrodeployment:acme/reports').spec?.owner,
      ).toBe('group:default/reporting');
      // analytics has no owner, and neither has its Deployment
      expect(
        entityOf(entities, 'astrodeployment:acme/adhoc').spec,
      ).not.toHaveProperty('owner');
    });

    it('carries the status reason and leaves out an unknown Airflow UI', async () => {
      const provider = await connected();
      await provider.refresh();
      const adhoc = entityOf(fullMutation(), 'astrodeployment:acme/adhoc');
      expect(adhoc.spec?.status).toEqual({
        state: 'CREATING',
        reason: 'Provisioning the namespace',
        since: '2026-11-26T10:05:00.000Z',
      });
      expect(adhoc.spec).not.toHaveProperty('airflowUrl');
      expect(adhoc.metadata.links).toEqual([
        expect.objectContaining({ type: 'portal' }),
      ]);
    });

    it('describes workspaces, organizations and clusters', async () => {
      const provider = await connected();
      await provider.refresh();
      const entities = fullMutation();
      expect(entityOf(entities, 'astroworkspace:acme/data-eng')).toMatchObject({
        metadata: {
          description: 'The data-eng workspace',
          links: [
            {
              url: 'http://portal.test/astro/organizations/acme/workspaces/data-eng',
            },
          ],
        },
        spec: {
          organization: 'astroorganization:acme/acme',
          owner: 'group:default/data-engineering',
          clusterGrants: [],
        },
      });
      expect(entityOf(entities, 'astroorganization:acme/acme')).toMatchObject({
        metadata: { title: 'ACME' },
        spec: {},
      });
      expect(entityOf(entities, 'astrocluster:default/acme-eu')).toMatchObject({
        spec: {
          type: 'dedicated',
          provider: 'simulator',
          region: 'local',
          organization: 'astroorganization:acme/acme',
        },
      });
    });

    it('names the organization in the titles of workspaces and Deployments, whose titles repeat across organizations', async () => {
      api.organizations.push({ ...makeOrganization('globex'), title: '' });
      api.workspaces.push(makeWorkspace('globex', 'analytics'));
      api.deployments.push(makeDeployment('globex', 'analytics', 'adhoc'));
      const provider = await connected();
      await provider.refresh();
      const entities = fullMutation();
      const titled = (ref: string) => {
        const { name, namespace, title } = entityOf(entities, ref).metadata;
        return { name, namespace, title };
      };
      expect(titled('astroworkspace:acme/analytics')).toEqual({
        name: 'analytics',
        namespace: 'acme',
        title: 'ACME / analytics',
      });
      // An organization without a title is named by its name.
      expect(titled('astroworkspace:globex/analytics')).toEqual({
        name: 'analytics',
        namespace: 'globex',
        title: 'globex / analytics',
      });
      expect(titled('astrodeployment:acme/adhoc').title).toBe('ACME / adhoc');
      expect(titled('astrodeployment:globex/adhoc').title).toBe(
        'globex / adhoc',
      );
      // Organizations and clusters are unique by title already.
      expect(titled('astroorganization:acme/acme').title).toBe('ACME');
      expect(titled('astrocluster:default/simulator').title).toBe('simulator');
    });

    it('pages through Deployments with a service token for the astro plugin', async () => {
      const provider = await connected();
      await provider.refresh();
      expect(api.requests.map(r => r.path)).toEqual([
        '/clusters',
        '/organizations',
        '/organizations/acme/workspaces',
        '/organizations/acme/deployments?limit=2',
        '/organizations/acme/deployments?limit=2&cursor=prod-etl',
      ]);
      expect(new Set(api.requests.map(r => r.authorization))).toEqual(
        new Set([
          'Bearer mock-service-token:{"sub":"plugin:catalog","target":"astro"}',
        ]),
      );
    });

    it('puts no environment variable or secret into any entity', async () => {
      const provider = await connected();
      await provider.refresh();
      const json = JSON.stringify(fullMutation());
      expect(json).not.toContain('hunter2-secret-9c1d');
      expect(json).not.toContain('DB_PASSWORD');
      expect(json).not.toContain('plain-value-7f3a');
      expect(json).not.toContain('environmentVariables');
    });

    it('applies nothing when the API fails', async () => {
      api.failWith = 503;
      const provider = await connected();
      await expect(provider.refresh()).rejects.toThrow(/503/);
      expect(connection.applyMutation).not.toHaveBeenCalled();
    });

    it('runs on the schedule and retries while the backend is starting', async () => {
      let scheduled: SchedulerServiceTaskInvocationDefinition | undefined;
      const taskRunner = {
        run: jest.fn(async (task: SchedulerServiceTaskInvocationDefinition) => {
          scheduled = task;
        }),
      };
      const logger = mockServices.logger.mock();
      logger.child.mockReturnValue(logger);
      await connected({ taskRunner, logger, refreshRetryDelayMs: 1 });
      expect(scheduled?.id).toBe('AstroEntityProvider:refresh');

      api.failNext = 1;
      await scheduled!.fn(new AbortController().signal);

      expect(refsOf(fullMutation())).toHaveLength(8);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('attempt 1 of 3'),
      );
    });
  });

  describe('deltas from change events', () => {
    const event = (...changes: object[]) => ({
      topic: 'astro.resources',
      eventPayload: { changes },
    });

    it('adds a created Deployment', async () => {
      const provider = await connected();
      api.deployments.push(makeDeployment('acme', 'data-eng', 'fresh'));
      await provider.onEvent(
        event({
          kind: 'deployment',
          organization: 'acme',
          name: 'fresh',
          action: 'created',
        }),
      );
      await provider.flush();

      expect(mutations).toHaveLength(1);
      const [mutation] = mutations;
      expect(mutation.type).toBe('delta');
      if (mutation.type !== 'delta') return;
      expect(mutation.removed).toEqual([]);
      expect(refsOf(mutation.added)).toEqual(['astrodeployment:acme/fresh']);
      expect(mutation.added[0].locationKey).toBe(LOCATION_KEY);
      // inherited from the workspace, read for the purpose
      expect(mutation.added[0].entity.spec?.owner).toBe(
        'group:default/data-engineering',
      );
      // and the organization, whose title is part of the entity's
      expect(api.requests.map(r => r.path)).toEqual([
        '/organizations/acme/deployments/fresh',
        '/organizations/acme/workspaces/data-eng',
        '/organizations/acme',
      ]);
      expect(mutation.added[0].entity.metadata.title).toBe('ACME / fresh');
    });

    it('updates a Deployment whose status changed', async () => {
      const provider = await connected();
      api.deployments[0] = makeDeployment('acme', 'data-eng', 'prod-etl', {
        status: 'UNHEALTHY',
        statusReason: 'The scheduler is not heartbeating',
      });
      await provider.onEvent(
        event({
          kind: 'deployment',
          organization: 'acme',
          name: 'prod-etl',
          action: 'status',
        }),
      );
      await provider.flush();

      const [mutation] = mutations;
      expect(mutation).toMatchObject({ type: 'delta', removed: [] });
      if (mutation.type !== 'delta') return;
      expect(mutation.added[0].entity.spec?.status).toEqual({
        state: 'UNHEALTHY',
        reason: 'The scheduler is not heartbeating',
        since: '2026-11-26T10:05:00.000Z',
      });
    });

    it('removes a deleted Deployment without asking the API', async () => {
      const provider = await connected();
      await provider.onEvent(
        event({
          kind: 'deployment',
          organization: 'acme',
          name: 'prod-etl',
          action: 'deleted',
        }),
      );
      await provider.flush();

      expect(mutations).toEqual([
        {
          type: 'delta',
          added: [],
          removed: [
            {
              entityRef: 'astrodeployment:acme/prod-etl',
              locationKey: LOCATION_KEY,
            },
          ],
        },
      ]);
      expect(api.requests).toEqual([]);
    });

    it('removes a resource that is gone by the time it is read', async () => {
      const provider = await connected();
      await provider.onEvent(
        event(
          {
            kind: 'deployment',
            organization: 'acme',
            name: 'gone',
            action: 'updated',
          },
          { kind: 'cluster', name: 'old', action: 'updated' },
        ),
      );
      await provider.flush();
      expect(mutations).toEqual([
        expect.objectContaining({
          added: [],
          removed: [
            {
              entityRef: 'astrodeployment:acme/gone',
              locationKey: LOCATION_KEY,
            },
            {
              entityRef: 'astrocluster:default/old',
              locationKey: LOCATION_KEY,
            },
          ],
        }),
      ]);
    });

    it('handles organizations, workspaces and clusters', async () => {
      const provider = await connected();
      api.organizations.push(makeOrganization('globex'));
      api.workspaces.push(makeWorkspace('globex', 'ml'));
      api.clusters.push(makeCluster('gpu'));
      await provider.onEvent(
        event(
          { kind: 'organization', name: 'globex', action: 'created' },
          {
            kind: 'workspace',
            organization: 'globex',
            name: 'ml',
            action: 'created',
          },
          { kind: 'cluster', name: 'gpu', action: 'created' },
          {
            kind: 'workspace',
            organization: 'acme',
            name: 'old',
            action: 'deleted',
          },
          { kind: 'organization', name: 'initech', action: 'deleted' },
        ),
      );
      await provider.flush();
      const [mutation] = mutations;
      if (mutation.type !== 'delta') throw new Error('expected a delta');
      expect(refsOf(mutation.added)).toEqual([
        'astrocluster:default/gpu',
        'astroorganization:globex/globex',
        'astroworkspace:globex/ml',
      ]);
      expect(
        mutation.removed.map(r => 'entityRef' in r && r.entityRef),
      ).toEqual([
        'astroworkspace:acme/old',
        'astroorganization:initech/initech',
      ]);
      for (const { entity } of mutation.added) {
        expect(validateAstroEntity(entity)).toBe(entity);
      }
    });

    it("titles a changed workspace or Deployment with its organization's title", async () => {
      const provider = await connected();
      await provider.onEvent(
        event(
          {
            kind: 'workspace',
            organization: 'acme',
            name: 'analytics',
            action: 'created',
          },
          {
            kind: 'deployment',
            organization: 'acme',
            name: 'adhoc',
            action: 'created',
          },
        ),
      );
      await provider.flush();
      const [mutation] = mutations;
      if (mutation.type !== 'delta') throw new Error('expected a delta');
      expect(
        Object.fromEntries(
          mutation.added.map(e => [
            stringifyEntityRef(e.entity),
            e.entity.metadata.title,
          ]),
        ),
      ).toEqual({
        'astroworkspace:acme/analytics': 'ACME / analytics',
        'astrodeployment:acme/adhoc': 'ACME / adhoc',
      });
    });

    it("retitles an organization's workspaces and Deployments when its title changes", async () => {
      const provider = await connected();
      api.organizations[0] = {
        ...makeOrganization('acme'),
        title: 'Acme Corp',
      };
      await provider.onEvent(
        event({ kind: 'organization', name: 'acme', action: 'updated' }),
      );
      await provider.flush();
      const [mutation] = mutations;
      if (mutation.type !== 'delta') throw new Error('expected a delta');
      const added = Object.fromEntries(
        mutation.added.map(e => [stringifyEntityRef(e.entity), e.entity]),
      );
      expect(
        Object.fromEntries(
          Object.entries(added).map(([ref, e]) => [ref, e.metadata.title]),
        ),
      ).toEqual({
        'astroorganization:acme/acme': 'Acme Corp',
        'astroworkspace:acme/data-eng': 'Acme Corp / data-eng',
        'astroworkspace:acme/analytics': 'Acme Corp / analytics',
        'astrodeployment:acme/prod-etl': 'Acme Corp / prod-etl',
        'astrodeployment:acme/reports': 'Acme Corp / reports',
        'astrodeployment:acme/adhoc': 'Acme Corp / adhoc',
      });
      // Owners are still inherited from the workspace.
      expect(added['astrodeployment:acme/prod-etl'].spec?.owner).toBe(
        'group:default/data-engineering',
      );
      expect(added['astrodeployment:acme/reports'].spec?.owner).toBe(
        'group:default/reporting',
      );
    });

    it("passes a workspace's new owner on to the Deployments that inherit it", async () => {
      const provider = await connected();
      api.workspaces[0] = makeWorkspace(
        'acme',
        'data-eng',
        'group:default/new-team',
      );
      await provider.onEvent(
        event({
          kind: 'workspace',
          organization: 'acme',
          name: 'data-eng',
          action: 'updated',
        }),
      );
      await provider.flush();
      const [mutation] = mutations;
      if (mutation.type !== 'delta') throw new Error('expected a delta');
      const owners = Object.fromEntries(
        mutation.added.map(e => [
          stringifyEntityRef(e.entity),
          e.entity.spec?.owner,
        ]),
      );
      expect(owners).toEqual({
        'astroworkspace:acme/data-eng': 'group:default/new-team',
        'astrodeployment:acme/prod-etl': 'group:default/new-team',
        'astrodeployment:acme/reports': 'group:default/reporting',
      });
    });

    it('coalesces changes to one resource into one entity', async () => {
      const provider = await connected({ deltaDelayMs: 60_000 });
      const change = {
        kind: 'deployment',
        organization: 'acme',
        name: 'prod-etl',
      };
      await provider.onEvent(event({ ...change, action: 'updated' }));
      await provider.onEvent(event({ ...change, action: 'status' }));
      await provider.onEvent(event({ ...change, action: 'status' }));
      expect(mutations).toEqual([]);
      await provider.flush();
      expect(mutations).toHaveLength(1);
      expect(
        api.requests.filter(
          r => r.path === '/organizations/acme/deployments/prod-etl',
        ),
      ).toHaveLength(1);
    });

    it('applies a delta shortly after the event without being asked', async () => {
      const provider = await connected({ deltaDelayMs: 10 });
      await provider.onEvent(
        event({ kind: 'cluster', name: 'simulator', action: 'status' }),
      );
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(mutations).toEqual([
        expect.objectContaining({ type: 'delta', removed: [] }),
      ]);
    });

    it('ignores malformed payloads and other topics', async () => {
      const provider = await connected();
      await provider.onEvent({
        topic: 'astro.resources',
        eventPayload: 'nope',
      });
      await provider.onEvent({
        topic: 'astro.resources',
        eventPayload: {
          changes: [
            { kind: 'deployment', name: 'no-org', action: 'created' },
            { kind: 'pipeline', name: 'x', action: 'created' },
            { kind: 'cluster', name: 'x', action: 'exploded' },
            null,
          ],
        },
      });
      await provider.onEvent({
        topic: 'github.push',
        eventPayload: event({ kind: 'cluster', name: 'x', action: 'created' })
          .eventPayload,
      });
      await provider.flush();
      expect(mutations).toEqual([]);
      expect(api.requests).toEqual([]);
    });

    it('receives changes through the events service', async () => {
      const events = DefaultEventsService.create({
        logger: mockServices.logger.mock(),
      });
      const provider = await connected({ events });
      await events.publish(
        event({
          kind: 'deployment',
          organization: 'acme',
          name: 'prod-etl',
          action: 'deleted',
        }),
      );
      await provider.flush();
      expect(mutations).toEqual([
        expect.objectContaining({
          removed: [
            {
              entityRef: 'astrodeployment:acme/prod-etl',
              locationKey: LOCATION_KEY,
            },
          ],
        }),
      ]);
    });

    it('applies changes again that arrived while a full refresh was reading', async () => {
      const provider = await connected();
      connection.applyMutation = jest.fn(async mutation => {
        mutations.push(mutation);
        if (mutation.type === 'full') {
          // Created after the refresh listed Deployments.
          api.deployments.push(makeDeployment('acme', 'data-eng', 'late'));
          await provider.onEvent(
            event({
              kind: 'deployment',
              organization: 'acme',
              name: 'late',
              action: 'created',
            }),
          );
        }
      });
      await provider.refresh();
      await provider.flush();

      const last = mutations[mutations.length - 1];
      expect(last.type).toBe('delta');
      if (last.type !== 'delta') return;
      expect(refsOf(last.added)).toEqual(['astrodeployment:acme/late']);
    });

    it('logs and carries on when the API fails during a delta', async () => {
      const logger = mockServices.logger.mock();
      logger.child.mockReturnValue(logger);
      const provider = await connected({ logger });
      api.failWith = 500;
      await provider.onEvent(
        event({ kind: 'cluster', name: 'simulator', action: 'updated' }),
      );
      await provider.flush();
      expect(mutations).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('the next full refresh will'),
      );

      api.failWith = undefined;
      await provider.onEvent(
        event({ kind: 'cluster', name: 'simulator', action: 'updated' }),
      );
      await provider.flush();
      expect(mutations).toHaveLength(1);
    });
  });
});
