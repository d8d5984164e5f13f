import {
  astroClusterManagePermission,
  astroClusterReadPermission,
} from '@airflow-portal/plugin-astro-common';
import { AstroApiRouter, RouteContext } from '../RouteContext';
import { expectedVersion, sendResource } from '../http';

/** Routes of clusters. */
export function registerClusterRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, create, services, monitoring } = context;

  router.get('/clusters', async (req, res) => {
    await authorizer.authorize(req, astroClusterReadPermission);
    res.json({
      items: await monitoring.withClusterStatus(await services.clusters.list()),
    });
  });

  router.post('/clusters', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroClusterManagePermission,
    );
    const response = await create(
      req,
      actor,
      {
        eventId: 'cluster-create',
        meta: { name: req.body.name },
        severityLevel: 'high',
      },
      () => services.clusters.create(actor, req.body),
    );
    res.status(response.status).json(response.body);
  });

  router.get('/clusters/:cluster', async (req, res) => {
    await authorizer.authorize(req, astroClusterReadPermission);
    const [cluster] = await monitoring.withClusterStatus([
      await services.clusters.get(req.params.cluster),
    ]);
    sendResource(res, 200, cluster);
  });

  router.patch('/clusters/:cluster', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroClusterManagePermission,
    );
    const version = expectedVersion(req, req.body.version);
    const cluster = await audited(
      req,
      'cluster-update',
      { cluster: req.params.cluster },
      () =>
        services.clusters.update(actor, req.params.cluster, {
          ...req.body,
          version,
        }),
      'high',
    );
    sendResource(res, 200, cluster);
  });

  router.delete('/clusters/:cluster', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroClusterManagePermission,
    );
    await audited(
      req,
      'cluster-delete',
      { cluster: req.params.cluster },
      () => services.clusters.delete(actor, req.params.cluster),
      'high',
    );
    res.status(204).end();
  });
}
