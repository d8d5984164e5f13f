import { ClusterCapabilities } from '@airflow-portal/plugin-astro-node';
import { ClusterStatusReader } from './ClusterStatusReader';

const capabilities: ClusterCapabilities = {
  serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.2' },
  apiGroupVersions: ['v1', 'keda.sh/v1alpha1'],
  keda: true,
};

describe('ClusterStatusReader', () => {
  it('reports capabilities and reuses the answer', async () => {
    const getClient = jest.fn(async () => ({
      capabilities: async () => capabilities,
    }));
    const reader = new ClusterStatusReader({ getClient });

    await expect(reader.read('eu')).resolves.toEqual({
      reachable: true,
      capabilities: { keda: true, kubernetesVersion: 'v1.31.2' },
    });
    await reader.read('eu');
    expect(getClient).toHaveBeenCalledTimes(1);
  });

  it('gives up after its timeout and asks again soon after a failure', async () => {
    let answer: () => Promise<ClusterCapabilities> = () =>
      new Promise(() => {});
    const getClient = jest.fn(async () => ({ capabilities: () => answer() }));
    const reader = new ClusterStatusReader(
      { getClient },
      {
        timeoutMs: 20,
        failureTtlMs: 30,
      },
    );

    await expect(reader.read('eu')).resolves.toEqual({ reachable: false });
    answer = async () => capabilities;
    await expect(reader.read('eu')).resolves.toEqual({ reachable: false });
    await new Promise(resolve => setTimeout(resolve, 40));
    await expect(reader.read('eu')).resolves.toMatchObject({ reachable: true });
    expect(getClient).toHaveBeenCalledTimes(2);
  });
});
