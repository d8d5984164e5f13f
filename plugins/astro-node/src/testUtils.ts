/**
 * Test utilities for backend modules of the Astro plugin suite: a fake
 * Astro API for modules that call it, and the contract suite for authors
 * of cluster drivers. Import them from tests only; the contract suite needs
 * Jest's globals.
 *
 * @packageDocumentation
 */

export { startFakeServer } from './testUtils/fakeHttpServer';
export type {
  FakeRequest,
  FakeResponse,
  FakeRoute,
} from './testUtils/fakeHttpServer';
export { describeClusterContract } from './testUtils/clusterContract';
export type {
  ClusterContractOptions,
  ContractTarget,
  SimulatedClusterControls,
} from './testUtils/clusterContract';
export { waitFor } from './testUtils/waitFor';
