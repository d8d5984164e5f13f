/**
 * A Kubernetes API simulator registered as a cluster of the Astro backend.
 *
 * @packageDocumentation
 */

export { astroModuleSimulator as default } from './module';
