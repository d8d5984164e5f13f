/**
 * The Astro backend plugin: control-plane API, store, reconciler and monitor
 * for Airflow Deployments.
 *
 * @packageDocumentation
 */

export { astroPlugin as default } from './plugin';
