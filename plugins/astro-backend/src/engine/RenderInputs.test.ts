import { TestDatabases } from '@backstage/backend-test-utils';
import { DEPLOYER, setupDeploys } from '../deploys/__testUtils__/deploysSetup';
import { MetadataDatabases } from '../metadataDatabases';
import {
  CLUSTER_DIGEST_TTL_MS,
  dockerConfigJson,
  PULL_SECRET_NAME,
  RenderInputs,
} from './RenderInputs';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const capabilities = {
  serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.2' },
  apiGroupVersions: ['v1'],
  keda: false,
};

describe('dockerConfigJson', () => {
  it('puts each registry under auths, Docker Hub under its legacy key', () => {
    expect(
      JSON.parse(
        dockerConfigJson([
          { registry: 'docker.io', username: 'a', password: 'b' },
          { registry: 'ghcr.io', username: 'c', password: 'd' },
          { registry: 'ghcr.io', username: 'e', password: 'f' },
        ]),
      ),
    ).toEqual({
      auths: {
        'https://index.docker.io/v1/': {
          username: 'a',
          password: 'b',
          auth: Buffer.from('a:b').toString('base64'),
        },
        'ghcr.io': {
          username: 'e',
          password: 'f',
          auth: Buffer.from('e:f').toString('base64'),
        },
      },
    });
  });
});

describe.each(databases.eachSupportedId())('RenderInputs on %s', databaseId => {
  it('renders the current image deploy, the bundle token, the DAG sync and the pull secrets', async () => {
    const { deploys, db, services, box, id, knex } = await setupDeploys(
      databases,
      databaseId,
    );
    const inputs = new RenderInputs(
      db,
      box,
      services.deployments.deploymentOptions,
      new MetadataDatabases(undefined),
      {
        dagSync: {
          baseUrl: 'https://portal.example.com/api/astro/',
          syncIntervalSeconds: 15,
        },
        clusterPullCredentials: async name => [
          {
            registry: `${name}.registry.example.com`,
            username: 'cluster',
            password: 'cluster-pw',
          },
        ],
      },
    );
    const before = await inputs.build(
      (await db.deployments.getById(id))!,
      capabilities,
    );
    expect(before.runtime).toEqual({
      airflowVersion: '3.1.3',
      image: 'apache/airflow:3.1.3',
    });
    expect(before.dagSync).toEqual({
      url: `https://portal.example.com/api/astro/bundles/${id}`,
      syncIntervalSeconds: 15,
    });
    expect(before.credentials.bundleToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await deploys.service.deployImage(DEPLOYER, 'acme', 'etl', {
      type: 'IMAGE',
      image: 'registry.example.com/data/etl:7',
      // The same Airflow version in another image (going back to 2.x would
      // be a downgrade, which a deploy cannot force).
      airflowVersion: '3.1.3',
      registryCredentials: { username: 'ci', password: 'deploy-pw' },
    });
    const after = await inputs.build(
      (await db.deployments.getById(id))!,
      capabilities,
    );
    expect(after.runtime).toEqual({
      airflowVersion: '3.1.3',
      image: 'registry.example.com/data/etl:7',
    });
    expect(after.deployment.generation).toBe(2);
    // The bundle token is created once and kept.
    expect(after.credentials.bundleToken).toBe(before.credentials.bundleToken);
    expect(after.pullSecrets).toHaveLength(1);
    expect(after.pullSecrets![0].name).toBe(PULL_SECRET_NAME);
    expect(JSON.parse(after.pullSecrets![0].dockerConfigJson).auths).toEqual({
      'c.registry.example.com': expect.objectContaining({
        username: 'cluster',
        password: 'cluster-pw',
      }),
      'registry.example.com': expect.objectContaining({
        username: 'ci',
        password: 'deploy-pw',
      }),
    });

    // A Deployment created before code deploys gets its token on first render.
    await knex('deployment_credentials')
      .where({ deployment_id: id, name: 'bundleToken' })
      .delete();
    const record = (await db.deployments.getById(id))!;
    const [a, b] = await Promise.all([
      inputs.build(record, capabilities),
      inputs.build(record, capabilities),
    ]);
    expect(a.credentials.bundleToken).toBeDefined();
    expect(a.credentials.bundleToken).toBe(b.credentials.bundleToken);
  });

  it('passes the cluster settings on and pulls the release image with its own credentials', async () => {
    const { deploys, db, services, box, id } = await setupDeploys(
      databases,
      databaseId,
    );
    const inputs = new RenderInputs(
      db,
      box,
      services.deployments.deploymentOptions,
      new MetadataDatabases(undefined),
      {
        runtimePullCredentials: new Map([
          [
            '3.1.3',
            [
              {
                registry: 'mirror.example.com',
                username: 'runtime',
                password: 'runtime-pw',
              },
            ],
          ],
        ]),
        clusterSettings: async () => ({
          airflowIngress: { hostTemplate: '{deployment}.example.com' },
          remoteLogging: { type: 'gcs', baseFolder: 'gs://logs' },
          keda: { namespace: 'autoscaling', operatorPodLabels: { app: 'k' } },
        }),
      },
    );
    const built = await inputs.build(
      (await db.deployments.getById(id))!,
      capabilities,
    );
    expect(built.exposure).toEqual({
      kind: 'ingress',
      hostTemplate: '{deployment}.example.com',
    });
    expect(built.remoteLogging).toEqual({
      type: 'gcs',
      baseFolder: 'gs://logs',
    });
    expect(built.keda).toEqual({
      namespace: 'autoscaling',
      operatorPodLabels: { app: 'k' },
    });
    expect(
      Object.keys(JSON.parse(built.pullSecrets![0].dockerConfigJson).auths),
    ).toEqual(['mirror.example.com']);

    // A custom image is not the release's: its credentials no longer apply.
    await deploys.service.deployImage(DEPLOYER, 'acme', 'etl', {
      type: 'IMAGE',
      image: 'registry.example.com/data/etl:8',
      airflowVersion: '3.1.3',
    });
    const custom = await inputs.build(
      (await db.deployments.getById(id))!,
      capabilities,
    );
    expect(custom.pullSecrets).toEqual([]);
  });
});

describe('RenderInputs.clusterDigest', () => {
  afterEach(() => jest.useRealTimers());

  it('reads a cluster once for many passes, and sees a changed declaration after its reuse time', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-03T12:00:00Z') });
    let host = '{deployment}.one.example.com';
    const reads: string[] = [];
    const inputs = new RenderInputs(
      {} as any,
      {} as any,
      {} as any,
      new MetadataDatabases(undefined),
      {
        clusterSettings: async name => {
          reads.push(name);
          return { airflowIngress: { hostTemplate: host } };
        },
        clusterPullCredentials: async () => [],
      },
    );
    const first = await inputs.clusterDigest('c1');
    for (let i = 0; i < 100; i++) {
      expect(await inputs.clusterDigest('c1')).toBe(first);
    }
    await inputs.clusterDigest('c2');
    expect(reads).toEqual(['c1', 'c2']);

    host = '{deployment}.two.example.com';
    expect(await inputs.clusterDigest('c1')).toBe(first);
    jest.setSystemTime(Date.now() + CLUSTER_DIGEST_TTL_MS);
    expect(await inputs.clusterDigest('c1')).not.toBe(first);
    expect(reads).toEqual(['c1', 'c2', 'c1']);
  });
});
