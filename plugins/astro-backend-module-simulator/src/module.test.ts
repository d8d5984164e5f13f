import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import {
  astroClustersExtensionPoint,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';
import { astroModuleSimulator } from './module';

describe('astroModuleSimulator', () => {
  it('contributes a cluster labelled as a simulator', async () => {
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

    await startTestBackend({
      features: [
        fakeAstro,
        astroModuleSimulator,
        mockServices.rootConfig.factory({
          data: { astro: { simulator: { clusterName: 'sim-1' } } },
        }),
      ],
    });

    expect(sources).toHaveLength(1);
    await expect(sources[0].getClusters()).resolves.toEqual([
      expect.objectContaining({ name: 'sim-1', driver: 'simulator' }),
    ]);
  });
});
