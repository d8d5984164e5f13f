import {
  astroDeploymentCreatePermission,
  astroDeploymentDeletePermission,
  astroDeploymentReadPermission,
  astroDeploymentUpdatePermission,
  astroDeploymentVariablesUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { InputError } from '@backstage/errors';
import { AstroApiRouter, RouteContext } from '../RouteContext';
import { expectedVersion, sendResource } from '../http';

/** Routes of Deployments: settings, variables, events and deployment files. */
export function registerDeploymentRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, create, services } = context;

  router.get('/deployments', async (req, res) => {
    const { visibility, criteria } =
      await authorizer.authorizeDeploymentListAcross(req);
    res.json(
      await services.deployments.listAcross(
        {
          organization: req.query.organization,
          workspace: req.query.workspace,
          cluster: req.query.cluster,
          name: req.query.name,
          status: req.query.status,
          search: req.query.search,
          limit:
            req.query.limit === undefined ? undefined : Number(req.query.limit),
          offset:
            req.query.offset === undefined
              ? undefined
              : Number(req.query.offset),
        },
        visibility,
        criteria,
      ),
    );
  });

  router.get('/organizations/:org/deployments', async (req, res) => {
    const { visibility, criteria } = await authorizer.authorizeDeploymentList(
      req,
      req.params.org,
    );
    res.json(
      await services.deployments.list(
        req.params.org,
        {
          workspace: req.query.workspace,
          limit:
            req.query.limit === undefined ? undefined : Number(req.query.limit),
          cursor: req.query.cursor,
        },
        visibility,
        criteria,
      ),
    );
  });

  router.post('/organizations/:org/deployments', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroDeploymentCreatePermission,
      `${req.params.org}/${req.body.workspace}`,
    );
    const response = await create(
      req,
      actor,
      {
        eventId: 'deployment-create',
        meta: { organization: req.params.org, name: req.body.name },
      },
      () => services.deployments.create(actor, req.params.org, req.body),
    );
    res.status(response.status).json(response.body);
  });

  // `:import` is a literal suffix in the spec; Express reads it as a
  // parameter named "import", so anything else after "deployments" is not
  // this route.
  router.post(
    '/organizations/:org/deployments:import',
    async (req, res, next) => {
      if (!decodeURIComponent(req.path).endsWith('/deployments:import')) {
        next();
        return;
      }
      const { credentials, actor } = await authorizer.backstageCredentials(req);
      if (typeof req.body !== 'string') {
        throw new InputError(
          'file: send the deployment file as YAML with Content-Type application/yaml',
        );
      }
      const file = services.deploymentFiles.parse(req.body);
      const name = file.metadata.name;
      // Updating an existing Deployment needs the update permission on it
      // (404 when the caller may not see it); creating one, the create
      // permission on the file's workspace.
      if (await services.deployments.exists(req.params.org, name)) {
        await authorizer.assertAllowed(
          credentials,
          astroDeploymentUpdatePermission,
          `${req.params.org}/${name}`,
        );
      } else {
        await authorizer.assertAllowed(
          credentials,
          astroDeploymentCreatePermission,
          `${req.params.org}/${file.metadata.workspace}`,
        );
      }
      if (req.query.dryRun === 'true') {
        // Checked and built like an import, then rolled back: a preview
        // that changes nothing, so there is nothing to audit.
        res.json(
          await services.deploymentFiles.apply(actor, req.params.org, file, {
            dryRun: true,
          }),
        );
        return;
      }
      const result = await audited(
        req,
        'deployment-import',
        { organization: req.params.org, deployment: name },
        () => services.deploymentFiles.apply(actor, req.params.org, file),
      );
      res.status(result.created ? 201 : 200).json(result);
    },
  );

  router.get('/organizations/:org/deployments/:dep', async (req, res) => {
    await authorizer.authorizeDeploymentRead(
      req,
      req.params.org,
      req.params.dep,
    );
    sendResource(
      res,
      200,
      await services.deployments.get(req.params.org, req.params.dep),
    );
  });

  router.patch('/organizations/:org/deployments/:dep', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroDeploymentUpdatePermission,
      `${req.params.org}/${req.params.dep}`,
    );
    const version = expectedVersion(req, req.body.version);
    const deployment = await audited(
      req,
      'deployment-update',
      { organization: req.params.org, deployment: req.params.dep },
      () =>
        services.deployments.update(
          actor,
          req.params.org,
          req.params.dep,
          { ...req.body, version },
          { force: req.query.force === 'true' },
        ),
    );
    sendResource(res, 200, deployment);
  });

  router.post(
    '/organizations/:org/deployments/:dep/migration/retry',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentUpdatePermission,
        `${req.params.org}/${req.params.dep}`,
      );
      const deployment = await audited(
        req,
        'deployment-migration-retry',
        { organization: req.params.org, deployment: req.params.dep },
        () =>
          services.deployments.retryMigration(
            actor,
            req.params.org,
            req.params.dep,
          ),
      );
      res.status(202).json(deployment);
    },
  );

  router.delete('/organizations/:org/deployments/:dep', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroDeploymentDeletePermission,
      `${req.params.org}/${req.params.dep}`,
    );
    const deployment = await audited(
      req,
      'deployment-delete',
      { organization: req.params.org, deployment: req.params.dep },
      () =>
        services.deployments.delete(actor, req.params.org, req.params.dep, {
          version: expectedVersion(req, undefined),
        }),
      'high',
    );
    res.status(202).json(deployment);
  });

  router.get(
    '/organizations/:org/deployments/:dep/variables',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentReadPermission,
        `${req.params.org}/${req.params.dep}`,
      );
      const deployment = await services.deployments.get(
        req.params.org,
        req.params.dep,
      );
      sendResource(res, 200, {
        environmentVariables: deployment.settings.environmentVariables,
        version: deployment.version,
      });
    },
  );

  router.put(
    '/organizations/:org/deployments/:dep/variables',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentVariablesUpdatePermission,
        `${req.params.org}/${req.params.dep}`,
      );
      const version = expectedVersion(req, req.body.version);
      const deployment = await audited(
        req,
        'deployment-variables-update',
        { organization: req.params.org, deployment: req.params.dep },
        () =>
          services.deployments.putVariables(
            actor,
            req.params.org,
            req.params.dep,
            { ...req.body, version },
          ),
      );
      sendResource(res, 200, {
        environmentVariables: deployment.settings.environmentVariables,
        version: deployment.version,
      });
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/events',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentReadPermission,
        `${req.params.org}/${req.params.dep}`,
      );
      res.json(
        await services.deployments.events(req.params.org, req.params.dep, {
          limit:
            req.query.limit === undefined ? undefined : Number(req.query.limit),
          cursor: req.query.cursor,
        }),
      );
    },
  );

  router.get('/organizations/:org/deployments/:dep/spec', async (req, res) => {
    await authorizer.authorize(
      req,
      astroDeploymentReadPermission,
      `${req.params.org}/${req.params.dep}`,
    );
    const file = await services.deploymentFiles.export(
      req.params.org,
      req.params.dep,
    );
    res.type('application/yaml').send(file);
  });
}
