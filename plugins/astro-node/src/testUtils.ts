/**
 * Test utilities for backend modules of the Astro plugin suite: a mock
 * Astro API typed by its OpenAPI document for modules that call it, and the
 * contract suite for authors of cluster drivers. Import them from tests
 * only; the contract suite needs Jest's globals, the mock needs msw and
 * openapi-msw, and `mockHttpAuthWithActors` needs
 * `@backstage/backend-test-utils`.
 *
 * @packageDocumentation
 */

export { startMockAstroApi } from './testUtils/mockAstroApi';
export type { MockAstroApiKit } from './testUtils/mockAstroApi';
export { describeClusterContract } from './testUtils/clusterContract';
export type {
  ClusterContractOptions,
  ContractTarget,
  SimulatedClusterControls,
} from './testUtils/clusterContract';
export { waitFor } from './testUtils/waitFor';
export { mockHttpAuthWithActors } from './testUtils/httpAuthWithActors';
