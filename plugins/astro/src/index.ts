/**
 * Frontend plugin for Airflow Deployments. The new frontend system plugin is
 * the default export of `@airflow-portal/plugin-astro/alpha`; this entry point
 * serves apps on the legacy frontend system.
 *
 * @packageDocumentation
 */

export {
  astroPlugin,
  AstroPage,
  EntityAstroClusterCard,
  EntityAstroClusterDeploymentsCard,
  EntityAstroDeploymentContent,
  EntityAstroDeploymentStatusCard,
  EntityAstroOrganizationCard,
  EntityAstroWorkspaceDeploymentsCard,
  EntityAstroWorkspaceDeploymentsContent,
  isAstroClusterEntity,
  isAstroDeploymentEntity,
  isAstroOrganizationEntity,
  isAstroWorkspaceEntity,
} from './plugin';
export { astroApiRef, AstroApiClient } from './api';
export type { AstroApi } from './api';
export * from './scaffolder/legacy';
