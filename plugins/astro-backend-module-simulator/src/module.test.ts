import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import {
  astroClustersExtensionPoint,
  ClusterDeclaration,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';
import { ConfigReader } from '@backstage/config';
import { readSimulatorConfig } from './config';
import { astroModuleSimulator } from './module';

async function startWith(simulator: JsonObject) {
  const sources: ClusterSource[] = [];
  const fakeAstro = createBackendPlugin({
    pluginId: 'astro',
    register(env) {
      env.registerExtensionPoint(astroClustersExtensionPoint, {
        addClusterSource: source => sources.push(source),
        addDriver: () => {},
      });
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {},
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      fakeAstro,
      astroModuleSimulator,
      mockServices.rootConfig.factory({ data: { astro: { simulator } } }),
    ],
  });
  const clusters: ClusterDeclaration[] = (
    await Promise.all(sources.map(source => source.getClusters()))
  ).flat();
  return { backend, clusters };
}

describe('astroModuleSimulator', () => {
  it('starts a simulator and contributes it as a cluster labelled as a simulator', async () => {
    const { backend, clusters } = await startWith({
      clusterName: 'sim-1',
      title: 'Local simulator',
      keda: false,
    });
    expect(clusters).toEqual([
      {
        name: 'sim-1',
        title: 'Local simulator',
        description: expect.stringContaining('simulator'),
        driver: 'simulator',
        type: 'standard',
        provider: 'simulator',
        region: 'local',
        connection: {
          server: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
          token: expect.any(String),
        },
        airflowUrlTemplate: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/airflow\/\{namespace\}$/,
        ),
      },
    ]);
    const { server, token } = clusters[0].connection!;
    // The simulated Airflow URL needs no simulator token; with no Airflow
    // in the namespace it says it is not serving.
    const page = await fetch(`${server}/airflow/some-namespace`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Simulated Airflow: some-namespace');
    const info = await fetch(`${server}/simulator/v1/info`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await info.json()).toMatchObject({
      driver: 'simulator',
      title: 'Local simulator',
      keda: false,
    });

    await backend.stop();
    await expect(fetch(`${server}/version`)).rejects.toThrow();
  });

  it('uses the configured token and defaults', async () => {
    const { backend, clusters } = await startWith({ token: 'dev-token' });
    expect(clusters[0]).toMatchObject({
      name: 'simulator',
      title: 'Built-in simulator',
      connection: { token: 'dev-token' },
    });
    const answer = await fetch(`${clusters[0].connection!.server}/apis`, {
      headers: { Authorization: 'Bearer dev-token' },
    });
    expect(JSON.stringify(await answer.json())).toContain('keda.sh/v1alpha1');
    await backend.stop();
  });

  it('contributes nothing when disabled', async () => {
    const { backend, clusters } = await startWith({ enabled: false });
    expect(clusters).toEqual([]);
    await backend.stop();
  });

  it('reads the DAG sync settings', () => {
    expect(readSimulatorConfig(new ConfigReader({})).dagSync).toEqual({
      enabled: true,
      minIntervalMs: undefined,
      intervalMs: undefined,
    });
    expect(
      readSimulatorConfig(
        new ConfigReader({
          astro: {
            simulator: {
              dagSync: { enabled: false, minIntervalMs: 50, intervalMs: 500 },
            },
          },
        }),
      ).dagSync,
    ).toEqual({ enabled: false, minIntervalMs: 50, intervalMs: 500 });
  });
});
