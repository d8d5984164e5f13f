/**
 * Names shared by every Astro entity kind: the apiVersion, the kinds, the
 * catalog namespace of clusters and the annotations that point an entity
 * back at its resource in the Astro API.
 */

/**
 * The apiVersion of every Astro entity kind.
 *
 * @public
 */
export const ASTRO_ENTITY_API_VERSION = 'astro.airflow-portal.dev/v1alpha1';

/**
 * The Astro entity kinds.
 *
 * @public
 */
export const ASTRO_ENTITY_KINDS = {
  organization: 'AstroOrganization',
  workspace: 'AstroWorkspace',
  deployment: 'AstroDeployment',
  cluster: 'AstroCluster',
} as const;

/**
 * One of the Astro entity kinds.
 *
 * @public
 */
export type AstroEntityKind =
  (typeof ASTRO_ENTITY_KINDS)[keyof typeof ASTRO_ENTITY_KINDS];

/**
 * The catalog namespace of `AstroCluster` entities. Cluster names are unique
 * across organizations, so clusters share one namespace; everything that
 * belongs to an organization lives in the namespace named after it.
 *
 * @public
 */
export const ASTRO_CLUSTER_ENTITY_NAMESPACE = 'default';

/**
 * The catalog namespace owners resolve in when a ref names no namespace
 * (`owner: data-engineering` means `group:default/data-engineering`):
 * Backstage's groups usually live in `default` while Astro entities live in
 * their organization's namespace.
 *
 * @public
 */
export const ASTRO_OWNER_DEFAULT_NAMESPACE = 'default';

const PREFIX = 'astro.airflow-portal.dev';

/**
 * Annotations on Astro entities naming the resource of the Astro API they
 * show. The entity provider sets them; entity pages use them to call the API.
 *
 * @public
 */
export const ASTRO_ENTITY_ANNOTATIONS = {
  /** Name of the organization (on every entity of an organization). */
  organization: `${PREFIX}/organization`,
  /** Name of the workspace (on workspaces and deployments). */
  workspace: `${PREFIX}/workspace`,
  /** Name of the deployment. */
  deployment: `${PREFIX}/deployment`,
  /** Name of the cluster (on clusters and deployments). */
  cluster: `${PREFIX}/cluster`,
} as const;
