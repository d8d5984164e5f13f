import {
  astroDeploymentReadPermission,
  astroDeploymentUpdatePermission,
  astroOrganizationReadPermission,
} from '@airflow-portal/plugin-astro-common';
import { AstroApiRouter, RouteContext } from '../RouteContext';

/**
 * Routes of what the monitor observes: components, health, history and
 * incidents.
 */
export function registerMonitoringRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, monitoring } = context;
  router.get(
    '/organizations/:org/deployments/:dep/components',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentReadPermission,
        `${req.params.org}/${req.params.dep}`,
      );
      res.json(await monitoring.components(req.params.org, req.params.dep));
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/health',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentReadPermission,
        `${req.params.org}/${req.params.dep}`,
      );
      res.json(await monitoring.health(req.params.org, req.params.dep));
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/history',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentReadPermission,
        `${req.params.org}/${req.params.dep}`,
      );
      res.json(
        await monitoring.history(req.params.org, req.params.dep, {
          since: req.query.since,
          until: req.query.until,
        }),
      );
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/incidents',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentReadPermission,
        `${req.params.org}/${req.params.dep}`,
      );
      res.json({
        items: await monitoring.incidents(req.params.org, req.params.dep),
      });
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/incidents/:incidentId/acknowledge',
    async (req, res) => {
      const { org, dep, incidentId } = req.params;
      const incident = await audited(
        req,
        'incident-acknowledge',
        { organization: org, deployment: dep, incidentId },
        async () => {
          const { actor } = await authorizer.authorize(
            req,
            astroDeploymentUpdatePermission,
            `${org}/${dep}`,
          );
          return monitoring.acknowledgeIncident(org, dep, incidentId, actor);
        },
      );
      res.json(incident);
    },
  );

  router.get('/organizations/:org/incidents', async (req, res) => {
    await authorizer.authorize(
      req,
      astroOrganizationReadPermission,
      req.params.org,
    );
    const criteria = await authorizer.listCriteria(
      req,
      astroDeploymentReadPermission,
    );
    res.json({
      items: await monitoring.organizationIncidents(req.params.org, {
        criteria,
        state: req.query.state,
        limit:
          req.query.limit === undefined ? undefined : Number(req.query.limit),
      }),
    });
  });
}
