/**
 * The driver contract against a real cluster. Runs only when
 * `ASTRO_CONTRACT_KUBECONFIG` names a kubeconfig file (and optionally
 * `ASTRO_CONTRACT_CONTEXT` one of its contexts); the suite creates
 * namespaces named `contract-<random>` and deletes them afterwards. The
 * tests that need the simulator's fault controls are skipped.
 */
import { KubernetesClusterDriver } from '../kubernetes';
import { describeClusterContract } from '@airflow-portal/plugin-astro-node/testUtils';

const kubeconfig = process.env.ASTRO_CONTRACT_KUBECONFIG;
const context = process.env.ASTRO_CONTRACT_CONTEXT;

if (kubeconfig) {
  describeClusterContract(
    `the kubernetes driver against a real cluster (${
      context ?? 'current context'
    })`,
    async () => {
      const client = await new KubernetesClusterDriver({
        informerBackoff: { initialMs: 200, maxMs: 2000 },
      }).connect({
        name: 'contract',
        driver: 'kubernetes',
        type: 'standard',
        provider: 'kubernetes',
        region: 'unknown',
        connection: { kubeconfig: { path: kubeconfig, context } },
      });
      return { client, close: () => client.close() };
    },
    { simulated: false, timeoutMs: 120_000 },
  );
} else {
  describe('the kubernetes driver against a real cluster', () => {
    it.todo(
      'runs when ASTRO_CONTRACT_KUBECONFIG names a kubeconfig file (and ASTRO_CONTRACT_CONTEXT optionally one of its contexts)',
    );
  });
}
