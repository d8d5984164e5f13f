import { AstroApiRouter, RouteContext } from '../RouteContext';

/**
 * The DAG sync's endpoints. The router authenticated the Deployment's
 * bundle token before any of these runs (see `authenticateRequests`).
 */
export function registerBundleRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { bundles } = context.code;

  router.get('/bundles/:deploymentId/current', async (req, res) => {
    res.json(await bundles.current(req.params.deploymentId));
  });

  router.get('/bundles/:deploymentId/versions/:version', async (req, res) => {
    const bytes = await bundles.download(
      req.params.deploymentId,
      req.params.version,
    );
    res
      .status(200)
      .type('application/gzip')
      .setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.send(bytes);
  });

  router.put('/bundles/:deploymentId/pods/:pod', async (req, res) => {
    await bundles.report(req.params.deploymentId, req.params.pod, req.body);
    res.status(204).end();
  });
}
