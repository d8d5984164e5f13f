/**
 * Test utilities for backend modules of the Astro plugin suite.
 *
 * @packageDocumentation
 */

export { startMockAstroApi } from './testUtils/mockAstroApi';
export type { MockAstroApiKit } from './testUtils/mockAstroApi';
