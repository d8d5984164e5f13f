/**
 * Test utilities of the Astro plugin suite's common package.
 *
 * @packageDocumentation
 */

export { testDeploymentOptions } from './testUtils/deploymentOptions';
