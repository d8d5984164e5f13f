import {
  ClusterCapabilities,
  ClusterError,
  KubernetesObject,
} from '@airflow-portal/plugin-astro-node';
import { ClusterOutage } from '../engine/ClusterAvailability';
import {
  ClusterStatusReader,
  StatusClient,
  sumAllocatable,
} from './ClusterStatusReader';

const capabilities: ClusterCapabilities = {
  serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.2' },
  apiGroupVersions: ['v1', 'keda.sh/v1alpha1'],
  keda: true,
};

function node(name: string, cpu: string, memory: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { allocatable: { cpu, memory, pods: '110' } },
  };
}

const NODES = [node('a', '7800m', '30Gi'), node('b', '4', '16284072Ki')];

function client(overrides: Partial<StatusClient> = {}): StatusClient {
  return {
    capabilities: async () => capabilities,
    list: async () => ({ items: NODES, resourceVersion: '1' }),
    ...overrides,
  };
}

describe('sumAllocatable', () => {
  it('adds up CPU and memory of every node, in cores and bytes', () => {
    expect(sumAllocatable(NODES)).toEqual({
      nodes: 2,
      cpu: 11.8,
      memoryBytes: 30 * 1024 ** 3 + 16284072 * 1024,
    });
  });

  it('counts a node without readable allocatable resources as offering nothing', () => {
    expect(
      sumAllocatable([
        node('a', '2', '1Gi'),
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'new' } },
      ]),
    ).toEqual({ nodes: 2, cpu: 2, memoryBytes: 1024 ** 3 });
  });
});

describe('ClusterStatusReader', () => {
  it('reports capabilities and allocatable resources, and reuses the answer', async () => {
    const getClient = jest.fn(async () => client());
    const reader = new ClusterStatusReader({ getClient });

    const status = await reader.read('eu', 1);
    expect(status).toEqual({
      reachable: true,
      reachability: {
        since: expect.any(String),
        checkedAt: status.reachability.since,
      },
      capabilities: { keda: true, kubernetesVersion: 'v1.31.2' },
      allocatable: {
        nodes: 2,
        cpu: 11.8,
        memoryBytes: 30 * 1024 ** 3 + 16284072 * 1024,
      },
    });
    await reader.read('eu', 1);
    expect(getClient).toHaveBeenCalledTimes(1);

    // A changed record (e.g. a new connection) is asked again at once.
    await reader.read('eu', 2);
    expect(getClient).toHaveBeenCalledTimes(2);
  });

  it('says why nodes are not readable when the credentials may not list them', async () => {
    const reader = new ClusterStatusReader({
      getClient: async () =>
        client({
          list: async () => {
            throw new ClusterError(
              'Forbidden',
              'nodes is forbidden: User "system:serviceaccount:astro:platform" cannot list resource "nodes"',
            );
          },
        }),
    });

    const status = await reader.read('eu');
    expect(status.reachable).toBe(true);
    expect(status.allocatable).toBeUndefined();
    expect(status.allocatableError).toBe(
      'Nodes not readable: Cluster eu refused the platform\'s credentials: nodes is forbidden: User "system:serviceaccount:astro:platform" cannot list resource "nodes"',
    );
  });

  it('gives up after its timeout, says so, and asks again soon after a failure', async () => {
    let answer: () => Promise<ClusterCapabilities> = () =>
      new Promise(() => {});
    const getClient = jest.fn(async () =>
      client({ capabilities: () => answer() }),
    );
    const reader = new ClusterStatusReader(
      { getClient },
      { timeoutMs: 100, failureTtlMs: 1_000 },
    );

    const down = await reader.read('eu');
    expect(down).toEqual({
      reachable: false,
      reachability: {
        since: expect.any(String),
        checkedAt: expect.any(String),
        lastError: 'Cluster eu did not answer within 0.1 s',
      },
    });
    answer = async () => capabilities;
    await expect(reader.read('eu')).resolves.toMatchObject({
      reachable: false,
    });
    await new Promise(resolve => setTimeout(resolve, 1_050));
    const up = await reader.read('eu');
    expect(up).toMatchObject({ reachable: true });
    expect(up.reachability.lastError).toBeUndefined();
    expect(Date.parse(up.reachability.since)).toBeGreaterThan(
      Date.parse(down.reachability.since),
    );
    expect(getClient).toHaveBeenCalledTimes(2);
  });

  it('keeps "since" while the state holds and moves it when the state changes', async () => {
    let now = new Date('2026-12-03T10:00:00Z');
    let refuse = true;
    const reader = new ClusterStatusReader(
      {
        getClient: async () =>
          client({
            capabilities: async () => {
              if (refuse) {
                throw new ClusterError('Unreachable', 'connect ECONNREFUSED');
              }
              return capabilities;
            },
          }),
      },
      { ttlMs: 0, failureTtlMs: 0, clock: () => now },
    );

    await reader.read('eu');
    now = new Date('2026-12-03T10:05:00Z');
    const still = await reader.read('eu');
    expect(still.reachability).toEqual({
      since: '2026-12-03T10:00:00.000Z',
      checkedAt: '2026-12-03T10:05:00.000Z',
      lastError: 'Cluster eu is unreachable: connect ECONNREFUSED',
    });

    refuse = false;
    now = new Date('2026-12-03T10:06:00Z');
    await new Promise(resolve => setTimeout(resolve, 1));
    const back = await reader.read('eu');
    expect(back.reachable).toBe(true);
    expect(back.reachability).toEqual({
      since: '2026-12-03T10:06:00.000Z',
      checkedAt: '2026-12-03T10:06:00.000Z',
    });
  });

  it("takes the engine's outage over its own cached answer, with the engine's reason", async () => {
    const engine: { outage?: ClusterOutage } = {};
    const getClient = jest.fn(async () => client());
    const reader = new ClusterStatusReader(
      { getClient },
      { outageOf: () => engine.outage },
    );
    await expect(reader.read('eu')).resolves.toMatchObject({
      reachable: true,
    });

    engine.outage = {
      failure: {
        message: "Cluster eu refused the platform's credentials: Unauthorized",
        unreachable: true,
      },
      since: new Date('2026-12-03T10:00:00Z'),
      checkedAt: new Date('2026-12-03T10:00:04Z'),
    };
    await expect(reader.read('eu')).resolves.toEqual({
      reachable: false,
      reachability: {
        since: '2026-12-03T10:00:00.000Z',
        checkedAt: '2026-12-03T10:00:04.000Z',
        lastError:
          "Cluster eu refused the platform's credentials: Unauthorized",
      },
    });
    expect(getClient).toHaveBeenCalledTimes(1);
  });
});
