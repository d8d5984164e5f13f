import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { AstroEntitiesProcessor } from './AstroEntitiesProcessor';

const API_VERSION = 'astro.airflow-portal.dev/v1alpha1';
const location = { type: 'url', target: 'https://example.com/astro.yaml' };

const organization: Entity = {
  apiVersion: API_VERSION,
  kind: 'AstroOrganization',
  metadata: { name: 'acme', namespace: 'acme' },
  spec: { owner: 'data-platform' },
};

const workspace: Entity = {
  apiVersion: API_VERSION,
  kind: 'AstroWorkspace',
  metadata: { name: 'data-eng', namespace: 'acme' },
  spec: { organization: 'acme', owner: 'group:default/data-engineering' },
};

const deployment: Entity = {
  apiVersion: API_VERSION,
  kind: 'AstroDeployment',
  metadata: { name: 'prod-etl', namespace: 'acme' },
  spec: {
    organization: 'astroorganization:acme/acme',
    workspace: 'data-eng',
    cluster: 'simulator',
    owner: 'group:default/data-engineering',
    namespace: 'astro-prod-etl-1a2b3c',
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
    status: { state: 'HEALTHY', since: '2026-11-26T10:00:00.000Z' },
  },
};

const cluster: Entity = {
  apiVersion: API_VERSION,
  kind: 'AstroCluster',
  metadata: { name: 'acme-eu', namespace: 'default' },
  spec: {
    type: 'dedicated',
    provider: 'aws',
    region: 'eu-west-1',
    organization: 'acme',
  },
};

/** A copy of `entity` with `value` at `path` (undefined deletes). */
function withValue(entity: Entity, path: string, value: unknown): Entity {
  const copy = JSON.parse(JSON.stringify(entity));
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) {
    delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

async function relationsOf(entity: Entity) {
  const processor = new AstroEntitiesProcessor();
  const emitted: CatalogProcessorResult[] = [];
  await processor.postProcessEntity(entity, location, result =>
    emitted.push(result),
  );
  return emitted.map(result => {
    if (result.type !== 'relation') {
      throw new Error(`unexpected ${result.type}`);
    }
    const { source, type, target } = result.relation;
    return `${source.kind}:${source.namespace}/${source.name} ${type} ${target.kind}:${target.namespace}/${target.name}`;
  });
}

describe('AstroEntitiesProcessor', () => {
  const processor = new AstroEntitiesProcessor();

  it.each([
    ['AstroOrganization', organization],
    ['AstroWorkspace', workspace],
    ['AstroDeployment', deployment],
    ['AstroCluster', cluster],
  ])('accepts a valid %s', async (_kind, entity) => {
    await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
  });

  it('accepts the smallest valid entities', async () => {
    await expect(
      processor.validateEntityKind(withValue(organization, 'spec', {})),
    ).resolves.toBe(true);
    await expect(
      processor.validateEntityKind(
        withValue(deployment, 'spec.status', undefined),
      ),
    ).resolves.toBe(true);
  });

  it('leaves other kinds to other processors', async () => {
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).resolves.toBe(false);
    expect(
      await relationsOf({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: { owner: 'me' },
      }),
    ).toEqual([]);
  });

  it('emits both directions of the organization relations', async () => {
    expect(await relationsOf(organization)).toEqual([
      'AstroOrganization:acme/acme ownedBy Group:default/data-platform',
      'Group:default/data-platform ownerOf AstroOrganization:acme/acme',
    ]);
  });

  it('emits both directions of the workspace relations', async () => {
    expect(await relationsOf(workspace)).toEqual([
      'AstroWorkspace:acme/data-eng ownedBy group:default/data-engineering',
      'group:default/data-engineering ownerOf AstroWorkspace:acme/data-eng',
      'AstroWorkspace:acme/data-eng partOf AstroOrganization:acme/acme',
      'AstroOrganization:acme/acme hasPart AstroWorkspace:acme/data-eng',
    ]);
  });

  it('emits both directions of the deployment relations', async () => {
    expect(await relationsOf(deployment)).toEqual([
      'AstroDeployment:acme/prod-etl ownedBy group:default/data-engineering',
      'group:default/data-engineering ownerOf AstroDeployment:acme/prod-etl',
      'AstroDeployment:acme/prod-etl partOf AstroWorkspace:acme/data-eng',
      'AstroWorkspace:acme/data-eng hasPart AstroDeployment:acme/prod-etl',
      'AstroDeployment:acme/prod-etl dependsOn AstroCluster:default/simulator',
      'AstroCluster:default/simulator dependencyOf AstroDeployment:acme/prod-etl',
    ]);
  });

  it('emits no owner relations for an entity without owner', async () => {
    expect(await relationsOf(cluster)).toEqual([]);
    expect(
      await relationsOf(withValue(workspace, 'spec.owner', undefined)),
    ).toEqual([
      'AstroWorkspace:acme/data-eng partOf AstroOrganization:acme/acme',
      'AstroOrganization:acme/acme hasPart AstroWorkspace:acme/data-eng',
    ]);
  });

  it('accepts a user as owner', async () => {
    expect(
      await relationsOf(withValue(organization, 'spec.owner', 'user:jane')),
    ).toEqual([
      'AstroOrganization:acme/acme ownedBy user:default/jane',
      'user:default/jane ownerOf AstroOrganization:acme/acme',
    ]);
  });

  it.each([
    [
      'spec.workspace',
      deployment,
      undefined,
      "/spec must have required property 'workspace'",
    ],
    [
      'spec.settings.executor',
      deployment,
      'SEQUENTIAL',
      '/spec/settings/executor must be equal to one of the allowed values',
    ],
    [
      'spec.settings.workerQueues',
      deployment,
      [
        {
          name: 'q',
          isDefault: true,
          workerSize: 'A5',
          minWorkers: 0,
          maxWorkers: 'ten',
          concurrency: 5,
        },
      ],
      '/spec/settings/workerQueues/0/maxWorkers must be integer',
    ],
    [
      'spec.settings.workerQueues',
      deployment,
      [
        {
          name: 'q',
          isDefault: true,
          workerSize: 'A5',
          minWorkers: -1,
          maxWorkers: 1,
          concurrency: 5,
        },
      ],
      '/spec/settings/workerQueues/0/minWorkers must be >= 0',
    ],
    [
      'spec.status',
      deployment,
      { state: 'ON_FIRE' },
      '/spec/status/state must be equal to one of the allowed values',
    ],
    [
      'spec.namespace',
      deployment,
      'Not A Namespace',
      '/spec/namespace must match pattern',
    ],
    [
      'spec.settings',
      deployment,
      undefined,
      "/spec must have required property 'settings'",
    ],
    [
      'spec.workspace',
      deployment,
      'component:default/data-eng',
      '/spec/workspace must refer to AstroWorkspace, not "component:default/data-eng"',
    ],
    [
      'spec.cluster',
      deployment,
      'astroworkspace:x',
      '/spec/cluster must refer to AstroCluster',
    ],
    [
      'spec.owner',
      deployment,
      'component:web',
      '/spec/owner must refer to Group or User',
    ],
    [
      'spec.organization',
      workspace,
      undefined,
      "/spec must have required property 'organization'",
    ],
    [
      'spec.organization',
      workspace,
      'astroworkspace:acme/other',
      '/spec/organization must refer to AstroOrganization',
    ],
    [
      'spec.clusterGrants',
      workspace,
      ['Not_A_Name'],
      '/spec/clusterGrants/0 must match pattern',
    ],
    ['spec.owner', workspace, 42, '/spec/owner must be string'],
    [
      'spec.type',
      cluster,
      'shared',
      '/spec/type must be equal to one of the allowed values',
    ],
    [
      'spec.region',
      cluster,
      undefined,
      "/spec must have required property 'region'",
    ],
    [
      'spec',
      organization,
      undefined,
      "<root> must have required property 'spec'",
    ],
  ])(
    'rejects a malformed %s (case %#)',
    async (path, entity, value, message) => {
      const malformed = withValue(entity, path, value);
      const rejection = processor.validateEntityKind(malformed);
      await expect(rejection).rejects.toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
      await expect(rejection).rejects.toThrow(message);
    },
  );

  it('rejects an Astro kind of another apiVersion instead of ignoring it', async () => {
    await expect(
      processor.validateEntityKind(
        withValue(deployment, 'apiVersion', 'backstage.io/v1alpha1'),
      ),
    ).rejects.toThrow(
      'Invalid AstroDeployment astrodeployment:acme/prod-etl: /apiVersion must be astro.airflow-portal.dev/v1alpha1, not "backstage.io/v1alpha1"',
    );
  });

  it('names the entity in the error', async () => {
    await expect(
      processor.validateEntityKind(
        withValue(deployment, 'spec.settings.schedulerSize', 'HUGE'),
      ),
    ).rejects.toThrow(
      /^Invalid AstroDeployment astrodeployment:acme\/prod-etl: /,
    );
  });
});
