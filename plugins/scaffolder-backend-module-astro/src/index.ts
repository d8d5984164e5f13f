/**
 * Scaffolder actions for Airflow Deployments and Workspaces:
 * `astro:deployment:create`, `astro:deployment:update`,
 * `astro:deployment:variables:set`, `astro:workspace:create` and
 * `astro:deployment:wait`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAstro as default } from './module';
export * from './actions';
