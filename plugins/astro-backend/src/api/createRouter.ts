import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  astroClusterManagePermission,
  astroDeploymentCreatePermission,
  astroDeploymentDeletePermission,
  astroDeploymentUpdatePermission,
  astroOrganizationManagePermission,
  astroReadPermission,
  astroWorkspaceManagePermission,
} from '@airflow-portal/plugin-astro-common';
import { createHash } from 'node:crypto';
import express, { Request, Response } from 'express';
import { spec } from '../schema/openapi';
import { Authorizer } from '../permissions/Authorizer';
import { Actor, AstroServices } from '../service';
import { MonitoringService } from '../monitor/MonitoringService';
import { IdempotencyGuard } from './idempotency';
import { createOpenApiRouter } from './openApiRouter';

/** Largest JSON or YAML body the API accepts. */
const BODY_LIMIT = '1mb';

/** Dependencies of the API router. */
export interface RouterOptions {
  services: AstroServices;
  monitoring: MonitoringService;
  idempotency: IdempotencyGuard;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}

/** The version a client read, from the body or an If-Match header. */
function expectedVersion(
  request: Request<any, any, any, any>,
  bodyVersion: number | undefined,
): number | undefined {
  const header = request.header('if-match');
  if (header === undefined) {
    return bodyVersion;
  }
  // An ETag of this API (`W/"<version>-<hash>"`) or a bare version.
  const version = Number(
    header
      .replace(/^W\//, '')
      .replace(/"/g, '')
      .replace(/-[0-9a-f]+$/, ''),
  );
  if (!Number.isInteger(version) || version < 1) {
    throw new InputError('If-Match: must be a resource version such as "3"');
  }
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw new InputError('version: differs from the If-Match header');
  }
  return version;
}

/**
 * Sends a resource with an ETag made of its version (what If-Match is
 * checked against) and a hash of the whole representation, which also
 * changes with status: caches never serve a stale status for an unchanged
 * version.
 */
function sendResource<T extends { version: number }>(
  res: Response,
  status: number,
  resource: T,
) {
  const body = JSON.stringify(resource);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  res.setHeader('ETag', `W/"${resource.version}-${hash}"`);
  res.status(status).type('application/json').send(body);
}

/** Builds the HTTP API of the Astro backend from its OpenAPI spec. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { services, monitoring, idempotency, auditor } = options;
  const authorizer = new Authorizer(options.httpAuth, options.permissions);
  const router = createOpenApiRouter(spec, [
    express.json({ limit: BODY_LIMIT }),
    express.text({
      type: ['application/yaml', 'text/yaml', 'application/x-yaml'],
      limit: BODY_LIMIT,
    }),
  ]);

  /** Runs a state change as an audit event of Backstage's auditor. */
  async function audited<T>(
    req: Request<any, any, any, any>,
    eventId: string,
    meta: Record<string, string>,
    action: () => Promise<T>,
    severityLevel: AuditorServiceEventSeverityLevel = 'medium',
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    try {
      const result = await action();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * Runs a create as an audited, idempotent operation: a retry with the
   * same Idempotency-Key and body gets the first response again.
   */
  async function create<T>(
    req: Request<any, any, any, any>,
    actor: Actor,
    audit: {
      eventId: string;
      meta: Record<string, string>;
      severityLevel?: AuditorServiceEventSeverityLevel;
    },
    action: () => Promise<T>,
  ) {
    return idempotency.run(
      actor,
      `POST ${req.path}`,
      req.header('idempotency-key'),
      req.body,
      () =>
        audited(
          req,
          audit.eventId,
          audit.meta,
          async () => ({ status: 201, body: await action() }),
          audit.severityLevel,
        ),
    );
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/deployment-options', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
    res.json(services.deployments.deploymentOptions);
  });

  // Organizations

  router.get('/organizations', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
    res.json({ items: await services.organizations.list() });
  });

  router.post('/organizations', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroOrganizationManagePermission,
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
    await authorizer.authorize(req, astroReadPermission);
    sendResource(res, 200, await services.organizations.get(req.params.org));
  });

  router.patch('/organizations/:org', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroOrganizationManagePermission,
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
      astroOrganizationManagePermission,
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

  // Workspaces

  router.get('/organizations/:org/workspaces', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
    res.json({ items: await services.workspaces.list(req.params.org) });
  });

  router.post('/organizations/:org/workspaces', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroWorkspaceManagePermission,
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
    await authorizer.authorize(req, astroReadPermission);
    sendResource(
      res,
      200,
      await services.workspaces.get(req.params.org, req.params.ws),
    );
  });

  router.patch('/organizations/:org/workspaces/:ws', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroWorkspaceManagePermission,
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
      astroWorkspaceManagePermission,
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

  // Clusters

  router.get('/clusters', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
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
    await authorizer.authorize(req, astroReadPermission);
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

  // Deployments

  router.get('/organizations/:org/deployments', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
    res.json(
      await services.deployments.list(req.params.org, {
        workspace: req.query.workspace,
        limit:
          req.query.limit === undefined ? undefined : Number(req.query.limit),
        cursor: req.query.cursor,
      }),
    );
  });

  router.post('/organizations/:org/deployments', async (req, res) => {
    const { actor } = await authorizer.authorize(
      req,
      astroDeploymentCreatePermission,
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
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentCreatePermission,
      );
      if (typeof req.body !== 'string') {
        throw new InputError(
          'file: send the deployment file as YAML with Content-Type application/yaml',
        );
      }
      const file = services.deploymentFiles.parse(req.body);
      const name = file.metadata.name;
      // Updating an existing Deployment needs the update permission too.
      if (await services.deployments.exists(req.params.org, name)) {
        await authorizer.authorize(
          req,
          astroDeploymentUpdatePermission,
          `${req.params.org}/${name}`,
        );
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
    await authorizer.authorize(req, astroReadPermission);
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
        services.deployments.update(actor, req.params.org, req.params.dep, {
          ...req.body,
          version,
        }),
    );
    sendResource(res, 200, deployment);
  });

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
      () => services.deployments.delete(actor, req.params.org, req.params.dep),
      'high',
    );
    res.status(202).json(deployment);
  });

  router.get(
    '/organizations/:org/deployments/:dep/variables',
    async (req, res) => {
      await authorizer.authorize(req, astroReadPermission);
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
        astroDeploymentUpdatePermission,
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
      await authorizer.authorize(req, astroReadPermission);
      res.json(
        await services.deployments.events(req.params.org, req.params.dep, {
          limit:
            req.query.limit === undefined ? undefined : Number(req.query.limit),
          cursor: req.query.cursor,
        }),
      );
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/components',
    async (req, res) => {
      await authorizer.authorize(req, astroReadPermission);
      res.json(await monitoring.components(req.params.org, req.params.dep));
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/health',
    async (req, res) => {
      await authorizer.authorize(req, astroReadPermission);
      res.json(await monitoring.health(req.params.org, req.params.dep));
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/incidents',
    async (req, res) => {
      await authorizer.authorize(req, astroReadPermission);
      res.json({
        items: await monitoring.incidents(req.params.org, req.params.dep),
      });
    },
  );

  router.get('/organizations/:org/incidents', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
    res.json({
      items: await monitoring.organizationIncidents(req.params.org, {
        state: req.query.state,
        limit:
          req.query.limit === undefined ? undefined : Number(req.query.limit),
      }),
    });
  });

  router.get('/organizations/:org/deployments/:dep/spec', async (req, res) => {
    await authorizer.authorize(req, astroReadPermission);
    const file = await services.deploymentFiles.export(
      req.params.org,
      req.params.dep,
    );
    res.type('application/yaml').send(file);
  });

  return router;
}
