import {
  astroWorkspaceCreatePermission,
  astroWorkspaceDeletePermission,
  astroWorkspaceReadPermission,
  astroWorkspaceUpdatePermission,
  astroOrganizationReadPermission,
} from '@airflow-portal/plugin-astro-common';
import { AstroWorkspaceFilter } from '@airflow-portal/plugin-astro-node';
import { AstroApiRouter, RouteContext } from '../RouteContext';
import { expectedVersion, sendResource } from '../http';

/** Routes of workspaces. */
export function registerWorkspaceRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, create, services } = context;

  router.get('/organizations/:org/workspaces', async (req, res) => {
    await authorizer.authorize(
      req,
      astroOrganizationReadPermission,
      req.params.org,
    );
    const criteria = await authorizer.listCriteria<AstroWorkspaceFilter>(
      req,
      astroWorkspaceReadPermission,
    );
    res.json({
      items: await services.workspaces.list(req.params.org, criteria),
    });
  });

  router.post('/organizations/:org/workspaces', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroWorkspaceCreatePermission,
      req.params.org,
    );
    const response = await create(
      req,
      actor,
      {
        eventId: 'workspace-create',
        meta: { organization: req.params.org, name: req.body.name },
      },
      () => services.workspaces.create(actor, req.params.org, req.body),
    );
    res.status(response.status).json(response.body);
  });

  router.get('/organizations/:org/workspaces/:ws', async (req, res) => {
    await authorizer.authorize(
      req,
      astroWorkspaceReadPermission,
      `${req.params.org}/${req.params.ws}`,
    );
    sendResource(
      res,
      200,
      await services.workspaces.get(req.params.org, req.params.ws),
    );
  });

  router.patch('/organizations/:org/workspaces/:ws', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroWorkspaceUpdatePermission,
      `${req.params.org}/${req.params.ws}`,
    );
    const version = expectedVersion(req, req.body.version);
    const workspace = await audited(
      req,
      'workspace-update',
      { organization: req.params.org, workspace: req.params.ws },
      () =>
        services.workspaces.update(actor, req.params.org, req.params.ws, {
          ...req.body,
          version,
        }),
    );
    sendResource(res, 200, workspace);
  });

  router.delete('/organizations/:org/workspaces/:ws', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroWorkspaceDeletePermission,
      `${req.params.org}/${req.params.ws}`,
    );
    await audited(
      req,
      'workspace-delete',
      { organization: req.params.org, workspace: req.params.ws },
      () => services.workspaces.delete(actor, req.params.org, req.params.ws),
      'high',
    );
    res.status(204).end();
  });
}
