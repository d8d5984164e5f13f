import { InputError } from '@backstage/errors';
import { AstroApiRouter, RouteContext } from '../RouteContext';

const BUNDLE_QUERY = [
  'type',
  'image',
  'airflowVersion',
  'description',
  'origin',
  'checksum',
] as const;

/** Routes of code deploys: image and DAG deploys, their history, rollbacks. */
export function registerDeployRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, create, code } = context;

  router.get(
    '/organizations/:org/deployments/:dep/deploys',
    async (req, res) => {
      await authorizer.authorizeDeploymentRead(
        req,
        req.params.org,
        req.params.dep,
      );
      res.json(
        await code.deploys.list(req.params.org, req.params.dep, {
          limit:
            req.query.limit === undefined ? undefined : Number(req.query.limit),
          cursor: req.query.cursor,
        }),
      );
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/deploys',
    async (req, res) => {
      const { org, dep } = req.params;
      const deployer = await authorizer.authorizeDeploy(req, org, dep);
      const meta = { organization: org, deployment: dep };
      if (req.is('application/gzip')) {
        const bytes: unknown = req.body;
        if (!Buffer.isBuffer(bytes)) {
          throw new InputError(
            'body: send the bundle as the raw .tar.gz bytes (Content-Type application/gzip)',
          );
        }
        const query = {
          type: req.query.type,
          image: req.query.image,
          airflowVersion: req.query.airflowVersion,
          description: req.query.description,
          origin: req.query.origin,
          checksum: req.query.checksum,
        };
        const response = await create(
          req,
          deployer.actor,
          {
            eventId: 'deploy-create',
            meta: {
              ...meta,
              type: query.type ?? 'DAG',
              checksum: query.checksum ?? '',
            },
          },
          () => code.deploys.deployBundle(deployer, org, dep, query, bytes),
          // The checksum stands for the body (it is checked against it).
          { identity: query },
        );
        res.status(response.status).json(response.body);
        return;
      }
      const given = BUNDLE_QUERY.find(name => req.query[name] !== undefined);
      if (given) {
        throw new InputError(
          `query.${given}: only with a bundle body (Content-Type application/gzip); an image deploy sends its fields as JSON`,
        );
      }
      const request = req.body;
      const response = await create(
        req,
        deployer.actor,
        {
          eventId: 'deploy-create',
          meta: { ...meta, type: 'IMAGE', image: request.image },
        },
        () => code.deploys.deployImage(deployer, org, dep, request),
      );
      res.status(response.status).json(response.body);
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/deploys/:deploy',
    async (req, res) => {
      await authorizer.authorizeDeploymentRead(
        req,
        req.params.org,
        req.params.dep,
      );
      res.json(
        await code.deploys.get(
          req.params.org,
          req.params.dep,
          req.params.deploy,
        ),
      );
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/deploys/:deploy/rollback',
    async (req, res) => {
      const { org, dep, deploy } = req.params;
      const deployer = await authorizer.authorizeDeploy(req, org, dep);
      const response = await create(
        req,
        deployer.actor,
        {
          eventId: 'deploy-rollback',
          meta: { organization: org, deployment: dep, rollbackOf: deploy },
        },
        () => code.deploys.rollback(deployer, org, dep, deploy, req.body),
      );
      res.status(response.status).json(response.body);
    },
  );
}
