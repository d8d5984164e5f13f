import { astroDeploymentUpdatePermission } from '@airflow-portal/plugin-astro-common';
import { AstroApiRouter, RouteContext } from '../RouteContext';

/** Routes of a Deployment's hibernation override. */
export function registerHibernationRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, services } = context;

  router.post(
    '/organizations/:org/deployments/:dep/hibernation-override',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentUpdatePermission,
        `${req.params.org}/${req.params.dep}`,
      );
      const state = await audited(
        req,
        'deployment-hibernation-override-set',
        {
          organization: req.params.org,
          deployment: req.params.dep,
          isHibernating: String(req.body.isHibernating),
          ...(req.body.overrideUntil
            ? { overrideUntil: String(req.body.overrideUntil) }
            : {}),
        },
        () =>
          services.hibernation.setOverride(
            actor,
            req.params.org,
            req.params.dep,
            req.body,
          ),
      );
      res.json(state);
    },
  );

  router.delete(
    '/organizations/:org/deployments/:dep/hibernation-override',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentUpdatePermission,
        `${req.params.org}/${req.params.dep}`,
      );
      const state = await audited(
        req,
        'deployment-hibernation-override-remove',
        { organization: req.params.org, deployment: req.params.dep },
        () =>
          services.hibernation.removeOverride(
            actor,
            req.params.org,
            req.params.dep,
          ),
      );
      res.json(state);
    },
  );
}
