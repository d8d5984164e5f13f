/**
 * A Kubernetes API simulator registered as a cluster of the Astro backend:
 * the embedded default cluster of a local portal and the test bed of the
 * suite.
 *
 * @packageDocumentation
 */

export { astroModuleSimulator as default } from './module';
export {
  KubernetesSimulator,
  startKubernetesSimulator,
} from './KubernetesSimulator';
export type { KubernetesSimulatorOptions } from './KubernetesSimulator';
export { SimulatorControl } from './control/SimulatorControl';
export type {
  SimulatorStats,
  UnavailabilityMode,
} from './control/SimulatorControl';
export type { SimulatorInfo } from './control/controlRoutes';
export { DEFAULT_SIMULATED_NODES } from './nodes/simulatedNodes';
export type { SimulatedNode } from './nodes/simulatedNodes';
export type { QueueDepth } from './controllers/SimulationState';
export type { FaultSettings } from './faults/FaultInjector';
export type { DagSyncOptions, PodDagSyncStatus } from './dagsync/DagSync';
export type {
  ApiVerb,
  DagSyncRequestCounts,
  RequestStatsSnapshot,
  WriteRecord,
} from './stats/RequestStats';
export { runSimulatorCommand } from './cli/runSimulator';
export { startSimulatorProcess } from './cli/SimulatorProcess';
export type { SimulatorProcess } from './cli/SimulatorProcess';
