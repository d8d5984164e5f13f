import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  astroClustersExtensionPoint,
  ClusterDeclaration,
} from '@airflow-portal/plugin-astro-node';
import { readFile } from 'node:fs/promises';
import { readSimulatorConfig, SimulatorSettings } from './config';
import { KubernetesSimulator } from './KubernetesSimulator';

/**
 * Registers the built-in Kubernetes API simulator as a cluster of the Astro
 * backend: starts it on loopback during init, stops it on shutdown, and
 * declares it with `driver: simulator` and a connection to its URL, so that
 * the Astro backend drives it through its Kubernetes driver.
 *
 * @public
 */
export const astroModuleSimulator = createBackendModule({
  pluginId: 'astro',
  moduleId: 'simulator',
  register(env) {
    env.registerInit({
      deps: {
        clusters: astroClustersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ clusters, config, logger, lifecycle }) {
        const settings = readSimulatorConfig(config);
        if (!settings.enabled) {
          logger.info('The Kubernetes simulator is disabled by configuration');
          return;
        }
        const simulator = await KubernetesSimulator.start({
          host: settings.host,
          port: settings.port,
          token: settings.token,
          tls: await readTls(settings.tls),
          name: settings.clusterName,
          kubeconfigPath: settings.kubeconfigPath,
          keda: settings.keda,
          title: settings.title,
          podReadyDelayMs: settings.podReadyDelayMs,
          dagSync: settings.dagSync,
          logger,
        });
        lifecycle.addShutdownHook(() => simulator.stop());
        logger.info(
          `Kubernetes API simulator for cluster "${settings.clusterName}" listening on ${simulator.httpsUrl} (also plain HTTP on the same port; in memory: a restart resets it); kubeconfig for kubectl and helm: ${simulator.kubeconfigFile}`,
        );
        const declaration: ClusterDeclaration = {
          name: settings.clusterName,
          title: settings.title,
          description:
            'A Kubernetes API simulator running inside the portal backend; nothing runs for real and its state is lost on restart.',
          driver: 'simulator',
          type: 'standard',
          provider: 'simulator',
          region: 'local',
          // Over HTTPS, verifying the simulator's certificate like any
          // other cluster's.
          connection: {
            server: simulator.httpsUrl,
            token: simulator.token,
            ...(simulator.caCertificate
              ? {
                  caData: Buffer.from(simulator.caCertificate).toString(
                    'base64',
                  ),
                }
              : {}),
          },
          airflowUrlTemplate: `${simulator.url}/airflow/{namespace}`,
        };
        clusters.addClusterSource({
          async getClusters() {
            return [declaration];
          },
        });
      },
    });
  },
});

async function readTls(
  files: SimulatorSettings['tls'],
): Promise<{ cert: string; key: string; ca?: string } | undefined> {
  if (!files) {
    return undefined;
  }
  const [cert, key, ca] = await Promise.all([
    readFile(files.certFile, 'utf8'),
    readFile(files.keyFile, 'utf8'),
    files.caFile ? readFile(files.caFile, 'utf8') : undefined,
  ]);
  return { cert, key, ca };
}
