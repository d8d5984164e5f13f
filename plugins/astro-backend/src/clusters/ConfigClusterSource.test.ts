import { ConfigReader, JsonObject } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigClusterSource } from './ConfigClusterSource';

async function clustersOf(
  data: JsonObject,
  logger = mockServices.logger.mock(),
) {
  return ConfigClusterSource.fromConfig(new ConfigReader(data), {
    logger,
  }).getClusters();
}

describe('ConfigClusterSource', () => {
  it('reads astro.clusters with each way of connecting', async () => {
    await expect(
      clustersOf({
        astro: {
          clusters: [
            {
              name: 'prod-eu',
              title: 'Production EU',
              type: 'dedicated',
              organization: 'acme',
              provider: 'aws',
              region: 'eu-west-1',
              url: 'https://10.0.0.1:6443',
              serviceAccountToken: 'secret-token',
              caData: 'LS0tLS1CRUdJTg==',
            },
            {
              name: 'dev',
              kubeconfig: { path: '/etc/kube/config', context: 'dev' },
            },
            {
              name: 'home',
              inCluster: true,
              provider: 'on-prem',
              region: 'basement',
            },
          ],
        },
      }),
    ).resolves.toEqual([
      {
        name: 'prod-eu',
        title: 'Production EU',
        type: 'dedicated',
        organization: 'acme',
        provider: 'aws',
        region: 'eu-west-1',
        driver: 'kubernetes',
        connection: {
          server: 'https://10.0.0.1:6443',
          token: 'secret-token',
          caData: 'LS0tLS1CRUdJTg==',
        },
      },
      {
        name: 'dev',
        type: 'standard',
        provider: 'kubernetes',
        region: 'unknown',
        driver: 'kubernetes',
        connection: {
          kubeconfig: { path: '/etc/kube/config', context: 'dev' },
        },
      },
      {
        name: 'home',
        type: 'standard',
        provider: 'on-prem',
        region: 'basement',
        driver: 'kubernetes',
        connection: { inCluster: true },
      },
    ]);
  });

  it.each([
    [{ name: 'Bad_Name', url: 'https://k' }, /DNS-1123/],
    [{ name: 'a', url: 'https://k', inCluster: true }, /only one of/],
    [{ name: 'a' }, /has no connection/],
    [
      { name: 'a', url: 'https://k', type: 'dedicated' },
      /needs an organization/,
    ],
    [
      { name: 'a', url: 'https://k', type: 'shared' },
      /"standard" or "dedicated"/,
    ],
  ])('rejects the invalid declaration %p', async (cluster, message) => {
    await expect(
      clustersOf({ astro: { clusters: [cluster] } }),
    ).rejects.toThrow(message);
  });

  it('rejects duplicate names', async () => {
    await expect(
      clustersOf({
        astro: {
          clusters: [
            { name: 'a', url: 'https://k' },
            { name: 'a', url: 'https://l' },
          ],
        },
      }),
    ).rejects.toThrow(/Duplicate cluster name "a"/);
  });

  const kubernetes = {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'shared',
            url: 'https://shared:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'sa-token',
            skipTLSVerify: true,
          },
          {
            name: 'pod-sa',
            url: 'https://kubernetes.default',
            authProvider: 'serviceAccount',
          },
          { name: 'gke', url: 'https://gke', authProvider: 'google' },
        ],
      },
      { type: 'catalog' },
    ],
  };

  it('ignores the Kubernetes plugin clusters unless asked', async () => {
    await expect(clustersOf({ kubernetes })).resolves.toEqual([]);
  });

  it('declares the Kubernetes plugin’s service-account clusters once, and skips the others with a warning', async () => {
    const logger = mockServices.logger.mock();
    const clusters = await clustersOf(
      {
        kubernetes,
        astro: {
          clustersFromKubernetesConfig: true,
          clusters: [
            {
              name: 'shared',
              title: 'Shared',
              provider: 'aws',
              region: 'us-east-1',
            },
          ],
        },
      },
      logger,
    );
    expect(clusters).toEqual([
      {
        name: 'shared',
        title: 'Shared',
        type: 'standard',
        provider: 'aws',
        region: 'us-east-1',
        driver: 'kubernetes',
        connection: {
          server: 'https://shared:6443',
          token: 'sa-token',
          skipTLSVerify: true,
        },
      },
      {
        name: 'pod-sa',
        type: 'standard',
        provider: 'kubernetes',
        region: 'unknown',
        driver: 'kubernetes',
        connection: { inCluster: true },
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Skipping cluster "gke"'),
    );
  });

  it('reads the registry credentials Deployments on a cluster pull with', async () => {
    const [cluster] = await clustersOf({
      astro: {
        clusters: [
          {
            name: 'prod',
            url: 'https://10.0.0.1:6443',
            imagePullCredentials: [
              {
                registry: 'registry.example.com',
                username: 'ci',
                password: 'p',
              },
              { registry: 'localhost:5000', username: 'me', password: 'q' },
            ],
          },
        ],
      },
    });
    expect(cluster.imagePullCredentials).toEqual([
      { registry: 'registry.example.com', username: 'ci', password: 'p' },
      { registry: 'localhost:5000', username: 'me', password: 'q' },
    ]);
  });

  it('refuses a registry given as a URL', async () => {
    await expect(
      clustersOf({
        astro: {
          clusters: [
            {
              name: 'prod',
              url: 'https://10.0.0.1:6443',
              imagePullCredentials: [
                {
                  registry: 'https://registry.example.com',
                  username: 'ci',
                  password: 'p',
                },
              ],
            },
          ],
        },
      }),
    ).rejects.toThrow(/imagePullCredentials\[0\]\.registry/);
  });
});
