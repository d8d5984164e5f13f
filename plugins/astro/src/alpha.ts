/**
 * The Airflow plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */

export { default, astroOverviewPage } from './alpha/plugin';
