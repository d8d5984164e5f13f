import {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import {
  ASTRO_ENTITY_ANNOTATIONS,
  ASTRO_ENTITY_KINDS,
  ASTRO_ROLE_GRANTS,
  AstroRole,
  astroDeploymentReadPermission,
  astroOrganizationReadPermission,
  astroWorkspaceReadPermission,
  RoleBinding,
  rolesAtLeast,
} from '@airflow-portal/plugin-astro-common';

/** A condition (or tree of conditions) on catalog entities. */
export type CatalogEntityCriteria = PermissionCriteria<
  PermissionCondition<'catalog-entity'>
>;

/**
 * The entity kinds whose visibility follows Astro's roles. `AstroCluster`
 * is not among them: clusters are readable by every signed-in user.
 *
 * @public
 */
export const ASTRO_ROLE_GOVERNED_KINDS = [
  ASTRO_ENTITY_KINDS.organization,
  ASTRO_ENTITY_KINDS.workspace,
  ASTRO_ENTITY_KINDS.deployment,
];

type EntityScope = 'organization' | 'workspace' | 'deployment';

/** Which read permission decides the visibility of each governed kind. */
const READ_PERMISSION_OF: Record<EntityScope, string> = {
  organization: astroOrganizationReadPermission.name,
  workspace: astroWorkspaceReadPermission.name,
  deployment: astroDeploymentReadPermission.name,
};

const KIND_OF: Record<EntityScope, string> = {
  organization: ASTRO_ENTITY_KINDS.organization,
  workspace: ASTRO_ENTITY_KINDS.workspace,
  deployment: ASTRO_ENTITY_KINDS.deployment,
};

const annotation = (
  key: keyof typeof ASTRO_ENTITY_ANNOTATIONS,
  value: string,
) =>
  catalogConditions.hasAnnotation({
    annotation: ASTRO_ENTITY_ANNOTATIONS[key],
    value,
  });

/**
 * The entities of one kind a binding makes readable, as a condition on the
 * entities' annotations; undefined when the binding grants nothing there.
 * Mirrors the policy's conditions on the Astro resources: an organization
 * role covers everything in its organization, a workspace role the
 * workspace and its Deployments, a Deployment role that Deployment, and
 * `withinOrganization` any binding in the organization.
 */
function matchOf(
  binding: RoleBinding,
  scope: EntityScope,
): CatalogEntityCriteria | undefined {
  const grant = ASTRO_ROLE_GRANTS[READ_PERMISSION_OF[scope]];
  const role = binding.role as AstroRole;
  const { organization, workspace, deployment } = binding.scope;
  if (grant.withinOrganization && scope === 'organization') {
    return annotation('organization', organization);
  }
  if (
    binding.scope.kind === 'organization' &&
    rolesAtLeast('organization', grant.organization).includes(role)
  ) {
    return annotation('organization', organization);
  }
  if (
    binding.scope.kind === 'workspace' &&
    workspace &&
    scope !== 'organization' &&
    rolesAtLeast('workspace', grant.workspace).includes(role)
  ) {
    return {
      allOf: [
        annotation('organization', organization),
        annotation('workspace', workspace),
      ],
    };
  }
  if (
    binding.scope.kind === 'deployment' &&
    deployment &&
    scope === 'deployment' &&
    rolesAtLeast('deployment', grant.deployment).includes(role)
  ) {
    return {
      allOf: [
        annotation('organization', organization),
        annotation('deployment', deployment),
      ],
    };
  }
  return undefined;
}

const anyOf = (criteria: CatalogEntityCriteria[]): CatalogEntityCriteria =>
  criteria.length === 1
    ? criteria[0]
    : {
        anyOf: criteria as [CatalogEntityCriteria, ...CatalogEntityCriteria[]],
      };

/**
 * The Astro entities (of the governed kinds) a user with these role
 * bindings may read, as catalog conditions the catalog applies in its
 * database; undefined when the bindings make none readable.
 *
 * @public
 */
export function visibleAstroEntities(
  bindings: RoleBinding[],
): CatalogEntityCriteria | undefined {
  const byKind: CatalogEntityCriteria[] = [];
  for (const scope of ['organization', 'workspace', 'deployment'] as const) {
    const matches = new Map<string, CatalogEntityCriteria>();
    for (const binding of bindings) {
      const match = matchOf(binding, scope);
      if (match) {
        matches.set(JSON.stringify(match), match);
      }
    }
    if (matches.size > 0) {
      byKind.push({
        allOf: [
          catalogConditions.isEntityKind({ kinds: [KIND_OF[scope]] }),
          anyOf([...matches.values()]),
        ],
      });
    }
  }
  return byKind.length > 0 ? anyOf(byKind) : undefined;
}

/**
 * Entities of the role-governed Astro kinds.
 *
 * @public
 */
export function astroRoleGoverned(): CatalogEntityCriteria {
  return catalogConditions.isEntityKind({ kinds: ASTRO_ROLE_GOVERNED_KINDS });
}

/**
 * Entities of every kind but the role-governed Astro kinds.
 *
 * @public
 */
export function notAstroRoleGoverned(): CatalogEntityCriteria {
  return { not: astroRoleGoverned() };
}
