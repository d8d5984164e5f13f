import { startKubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { KubernetesClusterDriver } from '../kubernetes';
import { describeClusterContract } from '@airflow-portal/plugin-astro-node/testUtils';

describeClusterContract(
  'the kubernetes driver against the simulator (HTTP on loopback)',
  async () => {
    const simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      namespaceDeletionDelayMs: 50,
    });
    const driver = new KubernetesClusterDriver({
      requestTimeoutMs: 5000,
      informerBackoff: { initialMs: 50, maxMs: 500 },
    });
    const client = await driver.connect({
      name: 'simulator',
      driver: 'simulator',
      type: 'standard',
      provider: 'simulator',
      region: 'local',
      connection: { server: simulator.url, token: simulator.token },
    });
    return {
      client,
      simulator: simulator.control,
      close: async () => {
        await client.close();
        await simulator.stop();
      },
    };
  },
  { simulated: true, timeoutMs: 10_000 },
);

// The module declares the simulator over HTTPS with its generated CA: the
// driver verifies the certificate as it would a real cluster's.
describeClusterContract(
  'the kubernetes driver against the simulator (HTTPS with its CA)',
  async () => {
    const simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      namespaceDeletionDelayMs: 50,
    });
    const driver = new KubernetesClusterDriver({
      requestTimeoutMs: 5000,
      informerBackoff: { initialMs: 50, maxMs: 500 },
    });
    const client = await driver.connect({
      name: 'simulator',
      driver: 'simulator',
      type: 'standard',
      provider: 'simulator',
      region: 'local',
      connection: {
        server: simulator.httpsUrl,
        token: simulator.token,
        caData: Buffer.from(simulator.caCertificate!).toString('base64'),
      },
    });
    return {
      client,
      simulator: simulator.control,
      close: async () => {
        await client.close();
        await simulator.stop();
      },
    };
  },
  { simulated: true, timeoutMs: 10_000 },
);
