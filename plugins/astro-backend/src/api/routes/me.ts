import {
  astroBasicPermissions,
  astroPermissionsByResourceType,
  astroReadPermissionOf,
  ASTRO_DEPLOYMENT_RESOURCE_TYPE,
  ASTRO_ORGANIZATION_RESOURCE_TYPE,
  ASTRO_WORKSPACE_RESOURCE_TYPE,
} from '@airflow-portal/plugin-astro-common';
import {
  BasicPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { RoleTarget } from '../../service';
import { notFoundFor } from '../../permissions/Authorizer';
import { AstroApiRouter, RouteContext } from '../RouteContext';

type Kind = 'organization' | 'workspace' | 'deployment';

const RESOURCE_TYPES = {
  organization: ASTRO_ORGANIZATION_RESOURCE_TYPE,
  workspace: ASTRO_WORKSPACE_RESOURCE_TYPE,
  deployment: ASTRO_DEPLOYMENT_RESOURCE_TYPE,
} as const;

function targetOf(kind: Kind, ref: string): RoleTarget {
  const [organization, name] = ref.split('/');
  if (kind === 'organization') {
    return { kind, organization };
  }
  return kind === 'workspace'
    ? { kind, organization, workspace: name }
    : { kind, organization, deployment: name };
}

/**
 * `GET /me/permissions`: the caller's decisions on the permissions of one
 * resource (the same decisions every route makes), the role bindings that
 * apply and the claims they were looked up for. A resource the caller may
 * not see answers 404, like the resource's own routes.
 */
export function registerMeRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, callerRoles, services } = context;

  router.get('/me/permissions', async (req, res) => {
    const { credentials } = await authorizer.backstageCredentials(req);
    const caller = await callerRoles.identify(credentials);
    const resource = req.query.resource;
    let permissions: Permission[] = astroBasicPermissions;
    let resourceRef: string | undefined;
    let target: RoleTarget | undefined;
    if (resource) {
      const separator = resource.indexOf(':');
      const kind = resource.slice(0, separator) as Kind;
      resourceRef = resource.slice(separator + 1);
      const resourceType = RESOURCE_TYPES[kind];
      const [visible] = await authorizer.decideAll(
        credentials,
        [astroReadPermissionOf[resourceType]],
        resourceRef,
      );
      if (!visible) {
        throw notFoundFor(resourceType, resourceRef);
      }
      permissions = astroPermissionsByResourceType[resourceType];
      target = targetOf(kind, resourceRef);
    }
    const decisions = await authorizer.decideAll(
      credentials,
      permissions as BasicPermission[],
      resourceRef,
    );
    res.json({
      principal: caller.principal,
      claims: caller.claims,
      platformAdmin: caller.platformAdmin,
      ...(resource ? { resource } : {}),
      roles: await services.roleBindings.bindingsOf(caller.claims, target),
      allowed: permissions.filter((_, i) => decisions[i]).map(p => p.name),
      denied: permissions.filter((_, i) => !decisions[i]).map(p => p.name),
    });
  });
}
