import { SIMULATED_VERSION } from '../api/discovery';
import { ResourceCatalog } from '../api/resources';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ApiOperations } from '../api/ApiOperations';

/**
 * A node of the simulated cluster: what it offers to pods. The kubelet
 * keeps part of a machine for itself, so `allocatable` (what the
 * scheduler places pods on) is less than `capacity`.
 *
 * @public
 */
export interface SimulatedNode {
  name: string;
  /** CPU quantities, e.g. `8` and `7800m`. */
  cpu: { capacity: string; allocatable: string };
  /** Memory quantities, e.g. `32Gi` and `30Gi`. */
  memory: { capacity: string; allocatable: string };
}

/**
 * Eight machines of 16 CPUs and 64 GiB: 126.4 CPUs and 496 GiB allocatable,
 * room for three Deployments at the default quota (40 CPUs, 80 GiB).
 */
export const DEFAULT_SIMULATED_NODES: readonly SimulatedNode[] = Array.from(
  { length: 8 },
  (_, index) => ({
    name: `simulator-node-${index + 1}`,
    cpu: { capacity: '16', allocatable: '15800m' },
    memory: { capacity: '64Gi', allocatable: '62Gi' },
  }),
);

const MANAGER = 'kubelet';

function nodeStatus(node: SimulatedNode) {
  return {
    capacity: {
      cpu: node.cpu.capacity,
      memory: node.memory.capacity,
      pods: '110',
    },
    allocatable: {
      cpu: node.cpu.allocatable,
      memory: node.memory.allocatable,
      pods: '110',
    },
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status (simulated)',
      },
    ],
    nodeInfo: {
      kubeletVersion: SIMULATED_VERSION.gitVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
      containerRuntimeVersion: 'simulator://1',
    },
  };
}

/**
 * Registers the simulated nodes as a kubelet does: the Node object, then
 * its status. Idempotent, so it runs at every start and after a reset.
 */
export function seedNodes(api: ApiOperations, nodes: readonly SimulatedNode[]) {
  const type = ResourceCatalog.kind('Node');
  for (const node of nodes) {
    const { object } = api.apply(
      type,
      undefined,
      node.name,
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: node.name,
          labels: {
            'kubernetes.io/hostname': node.name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
          },
        },
        spec: {},
      },
      { manager: MANAGER },
    );
    const status = nodeStatus(node);
    if (JSON.stringify(object.status) !== JSON.stringify(status)) {
      const next: KubernetesObject = { ...object, status };
      api.controllerWrite(type, next, MANAGER, 'status');
    }
  }
}
