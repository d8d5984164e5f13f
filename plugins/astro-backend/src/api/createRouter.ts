import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { astroReadPermission } from '@airflow-portal/plugin-astro-common';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { Authorizer } from '../permissions/Authorizer';
import { AstroServices } from '../service';
import { MonitoringService } from '../monitor/MonitoringService';
import { IdempotencyGuard } from './idempotency';
import { createOpenApiRouter } from './openApiRouter';
import { RouteContext } from './RouteContext';
import { registerClusterRoutes } from './routes/clusters';
import { registerDeploymentRoutes } from './routes/deployments';
import { registerMonitoringRoutes } from './routes/monitoring';
import { registerOrganizationRoutes } from './routes/organizations';
import { registerWorkspaceRoutes } from './routes/workspaces';

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

/**
 * Builds the HTTP API of the Astro backend from its OpenAPI document: one
 * module of routes per resource, all sharing authorization, auditing and
 * idempotent creates.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = createOpenApiRouter(spec, [
    express.json({ limit: BODY_LIMIT }),
    express.text({
      type: ['application/yaml', 'text/yaml', 'application/x-yaml'],
      limit: BODY_LIMIT,
    }),
  ]);
  const context = new RouteContext(
    options.services,
    options.monitoring,
    new Authorizer(options.httpAuth, options.permissions),
    options.auditor,
    options.idempotency,
  );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/deployment-options', async (req, res) => {
    await context.authorizer.authorize(req, astroReadPermission);
    res.json(options.services.deployments.deploymentOptions);
  });

  registerOrganizationRoutes(router, context);
  registerWorkspaceRoutes(router, context);
  registerClusterRoutes(router, context);
  registerDeploymentRoutes(router, context);
  registerMonitoringRoutes(router, context);
  return router;
}
