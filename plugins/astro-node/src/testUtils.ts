/**
 * Test utilities for backend modules of the Astro plugin suite.
 *
 * @packageDocumentation
 */

export { startFakeServer } from './testUtils/fakeHttpServer';
export type {
  FakeRequest,
  FakeResponse,
  FakeRoute,
} from './testUtils/fakeHttpServer';
