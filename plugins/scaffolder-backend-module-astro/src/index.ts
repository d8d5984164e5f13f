/**
 * Scaffolder actions for Airflow Deployments and Workspaces.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAstro as default } from './module';
