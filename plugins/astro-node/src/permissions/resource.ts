import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { ASTRO_DEPLOYMENT_RESOURCE_TYPE } from '@airflow-portal/plugin-astro-common';

/**
 * What permission rules about a Deployment see.
 *
 * @public
 */
export interface AstroDeploymentResource {
  organization: string;
  workspace: string;
  name: string;
  cluster: string;
  /** The Deployment's owner, or its workspace's when it names none. */
  owner?: string;
}

/**
 * A query criterion produced by a rule's `toQuery`.
 *
 * @public
 */
export type AstroDeploymentFilter = {
  property: 'organization' | 'workspace' | 'owner' | 'cluster';
  values: string[];
};

/**
 * The permission resource of Deployments; resource refs are
 * `<organization>/<deployment>`.
 *
 * @public
 */
export const astroDeploymentPermissionResourceRef = createPermissionResourceRef<
  AstroDeploymentResource,
  AstroDeploymentFilter
>().with({
  pluginId: 'astro',
  resourceType: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
});
