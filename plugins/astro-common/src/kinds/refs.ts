import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  ASTRO_CLUSTER_ENTITY_NAMESPACE,
  ASTRO_ENTITY_ANNOTATIONS,
  ASTRO_ENTITY_KINDS,
} from './constants';

/*
 * How Astro resources are named in the catalog:
 *
 *   AstroOrganization  <org>/<org>        astroorganization:acme/acme
 *   AstroWorkspace     <org>/<workspace>  astroworkspace:acme/data-eng
 *   AstroDeployment    <org>/<deployment> astrodeployment:acme/prod-etl
 *   AstroCluster       default/<cluster>  astrocluster:default/simulator
 *
 * Resource names are DNS-1123 labels of at most 40 characters, unique in
 * their organization (workspaces, deployments) or globally (organizations,
 * clusters), so each maps to exactly one valid entity name.
 */

/**
 * The catalog entity of an organization.
 *
 * @public
 */
export function astroOrganizationEntityRef(
  organization: string,
): CompoundEntityRef {
  return {
    kind: ASTRO_ENTITY_KINDS.organization,
    namespace: organization,
    name: organization,
  };
}

/**
 * The catalog entity of a workspace.
 *
 * @public
 */
export function astroWorkspaceEntityRef(
  organization: string,
  workspace: string,
): CompoundEntityRef {
  return {
    kind: ASTRO_ENTITY_KINDS.workspace,
    namespace: organization,
    name: workspace,
  };
}

/**
 * The catalog entity of a deployment.
 *
 * @public
 */
export function astroDeploymentEntityRef(
  organization: string,
  deployment: string,
): CompoundEntityRef {
  return {
    kind: ASTRO_ENTITY_KINDS.deployment,
    namespace: organization,
    name: deployment,
  };
}

/**
 * The catalog entity of a cluster.
 *
 * @public
 */
export function astroClusterEntityRef(cluster: string): CompoundEntityRef {
  return {
    kind: ASTRO_ENTITY_KINDS.cluster,
    namespace: ASTRO_CLUSTER_ENTITY_NAMESPACE,
    name: cluster,
  };
}

/**
 * The resource of the Astro API an entity shows.
 *
 * @public
 */
export type AstroEntityResource =
  | { type: 'organization'; organization: string }
  | { type: 'workspace'; organization: string; workspace: string }
  | { type: 'deployment'; organization: string; deployment: string }
  | { type: 'cluster'; cluster: string };

/**
 * Tells which Astro API resource an Astro entity shows, from its annotations
 * or, for entities written by hand, its namespace and name. Returns
 * `undefined` for other kinds.
 *
 * @public
 */
export function getAstroEntityResource(
  entity: Entity,
): AstroEntityResource | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = entity.metadata.namespace ?? 'default';
  const organization =
    annotations[ASTRO_ENTITY_ANNOTATIONS.organization] ?? namespace;
  switch (entity.kind.toLocaleLowerCase('en-US')) {
    case 'astroorganization':
      return { type: 'organization', organization };
    case 'astroworkspace':
      return {
        type: 'workspace',
        organization,
        workspace:
          annotations[ASTRO_ENTITY_ANNOTATIONS.workspace] ??
          entity.metadata.name,
      };
    case 'astrodeployment':
      return {
        type: 'deployment',
        organization,
        deployment:
          annotations[ASTRO_ENTITY_ANNOTATIONS.deployment] ??
          entity.metadata.name,
      };
    case 'astrocluster':
      return {
        type: 'cluster',
        cluster:
          annotations[ASTRO_ENTITY_ANNOTATIONS.cluster] ?? entity.metadata.name,
      };
    default:
      return undefined;
  }
}
