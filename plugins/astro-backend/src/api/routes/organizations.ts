import {
  astroOrganizationCreatePermission,
  astroOrganizationDeletePermission,
  astroOrganizationReadPermission,
  astroOrganizationUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { AstroOrganizationFilter } from '@airflow-portal/plugin-astro-node';
import { AstroApiRouter, RouteContext } from '../RouteContext';
import { expectedVersion, sendResource } from '../http';

/** Routes of organizations. */
export function registerOrganizationRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, create, services } = context;

  router.get('/organizations', async (req, res) => {
    const criteria = await authorizer.listCriteria<AstroOrganizationFilter>(
      req,
      astroOrganizationReadPermission,
    );
    res.json({ items: await services.organizations.list(criteria) });
  });

  router.post('/organizations', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroOrganizationCreatePermission,
    );
    const response = await create(
      req,
      actor,
      { eventId: 'organization-create', meta: { name: req.body.name } },
      () => services.organizations.create(actor, req.body),
    );
    res.status(response.status).json(response.body);
  });

  router.get('/organizations/:org', async (req, res) => {
    await authorizer.authorize(
      req,
      astroOrganizationReadPermission,
      req.params.org,
    );
    sendResource(res, 200, await services.organizations.get(req.params.org));
  });

  router.patch('/organizations/:org', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroOrganizationUpdatePermission,
      req.params.org,
    );
    const version = expectedVersion(req, req.body.version);
    const organization = await audited(
      req,
      'organization-update',
      { organization: req.params.org },
      () =>
        services.organizations.update(actor, req.params.org, {
          ...req.body,
          version,
        }),
    );
    sendResource(res, 200, organization);
  });

  router.delete('/organizations/:org', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroOrganizationDeletePermission,
      req.params.org,
    );
    await audited(
      req,
      'organization-delete',
      { organization: req.params.org },
      () => services.organizations.delete(actor, req.params.org),
      'high',
    );
    res.status(204).end();
  });
}
