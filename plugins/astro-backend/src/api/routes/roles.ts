import {
  astroDeploymentReadPermission,
  astroDeploymentRolesManagePermission,
  astroOrganizationReadPermission,
  astroOrganizationRolesManagePermission,
  astroWorkspaceReadPermission,
  astroWorkspaceRolesManagePermission,
} from '@airflow-portal/plugin-astro-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { InputError, NotAllowedError } from '@backstage/errors';
import { normalizePrincipalRef } from '@airflow-portal/plugin-astro-node';
import { Request, Response } from 'express';
import { RoleTarget } from '../../service';
import { AstroApiRouter, RouteContext } from '../RouteContext';

/** How one kind of resource maps onto its role-binding routes. */
interface RoleScopeRoutes {
  path: string;
  read: ResourcePermission;
  manage: ResourcePermission;
  target: (params: Record<string, string>) => RoleTarget;
  resourceRef: (params: Record<string, string>) => string;
}

const SCOPES: RoleScopeRoutes[] = [
  {
    path: '/organizations/:org/roles',
    read: astroOrganizationReadPermission,
    manage: astroOrganizationRolesManagePermission,
    target: p => ({ kind: 'organization', organization: p.org }),
    resourceRef: p => p.org,
  },
  {
    path: '/organizations/:org/workspaces/:ws/roles',
    read: astroWorkspaceReadPermission,
    manage: astroWorkspaceRolesManagePermission,
    target: p => ({
      kind: 'workspace',
      organization: p.org,
      workspace: p.ws,
    }),
    resourceRef: p => `${p.org}/${p.ws}`,
  },
  {
    path: '/organizations/:org/deployments/:dep/roles',
    read: astroDeploymentReadPermission,
    manage: astroDeploymentRolesManagePermission,
    target: p => ({
      kind: 'deployment',
      organization: p.org,
      deployment: p.dep,
    }),
    resourceRef: p => `${p.org}/${p.dep}`,
  },
];

/**
 * Routes of role bindings on organizations, workspaces and Deployments:
 * whoever may see the resource may see who holds roles on it; granting and
 * removing take `astro.<kind>.roles.manage`.
 */
export function registerRoleRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, services } = context;
  // The typed router types each path's handler from the document; these
  // three paths share one implementation, registered through Express's
  // own handler type.
  const untyped = router as unknown as {
    get(path: string, h: (req: Request, res: Response) => Promise<void>): void;
    put(path: string, h: (req: Request, res: Response) => Promise<void>): void;
    delete(
      path: string,
      h: (req: Request, res: Response) => Promise<void>,
    ): void;
  };

  for (const scope of SCOPES) {
    untyped.get(scope.path, async (req, res) => {
      await authorizer.authorize(
        req,
        scope.read,
        scope.resourceRef(req.params),
      );
      res.json({
        items: await services.roleBindings.list(scope.target(req.params)),
      });
    });

    untyped.put(scope.path, async (req, res) => {
      const ref = scope.resourceRef(req.params);
      const { actor } = await authorizer.authorize(req, scope.manage, ref);
      const binding = await audited(
        req,
        'role-grant',
        { resource: ref, principal: String(req.body.principal) },
        () =>
          services.roleBindings.set(actor, scope.target(req.params), req.body),
        'high',
      );
      res.json(binding);
    });

    untyped.delete(scope.path, async (req, res) => {
      const ref = scope.resourceRef(req.params);
      const { actor } = await authorizer.authorize(req, scope.manage, ref);
      const principal = String(req.query.principal);
      await audited(
        req,
        'role-remove',
        { resource: ref, principal },
        () =>
          services.roleBindings.remove(
            actor,
            scope.target(req.params),
            principal,
          ),
        'high',
      );
      res.status(204).end();
    });
  }

  // The bindings of a set of principals, for backend services (the
  // permission policy deciding catalog visibility). Users never reach it:
  // it would tell who holds which role anywhere.
  router.get('/role-bindings', async (req, res) => {
    const { credentials } = await authorizer.backstageCredentials(req);
    if ((credentials.principal as { type?: string }).type !== 'service') {
      throw new NotAllowedError(
        'GET /role-bindings is for backend services; users read role bindings on an organization, workspace or Deployment',
      );
    }
    res.json({
      items: await services.roleBindings.bindingsOf(
        principalsOf(req.query.principal),
      ),
    });
  });
}

/** The `principal` query values, normalized; InputError naming the field. */
function principalsOf(value: unknown): string[] {
  const values = ([] as unknown[]).concat(value ?? []);
  if (values.length === 0) {
    throw new InputError('principal: name at least one user or group');
  }
  return [
    ...new Set(
      values.map(ref => {
        try {
          return normalizePrincipalRef(String(ref));
        } catch {
          throw new InputError(
            `principal: "${String(
              ref,
            )}" is not an entity ref; use user:<namespace>/<name> or group:<namespace>/<name>`,
          );
        }
      }),
    ),
  ];
}
