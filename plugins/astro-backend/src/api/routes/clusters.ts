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
  /** A cluster as every route answers it: with its status and capacity. */
  const view = async (name: string) => {
    const [cluster] = await monitoring.withClusterStatus([
      await services.clusters.get(name),
    ]);
    return cluster;
  };

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
      async () => view((await services.clusters.create(actor, req.body)).name),
    );
    res.status(response.status).json(response.body);
  });

  router.get('/clusters/:cluster', async (req, res) => {
    await authorizer.authorize(req, astroClusterReadPermission);
    sendResource(res, 200, await view(req.params.cluster));
  });

  router.patch('/clusters/:cluster', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroClusterManagePermission,
    );
    const version = expectedVersion(req, req.body.version);
    const updated = await audited(
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
    sendResource(res, 200, await view(updated.name));
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
