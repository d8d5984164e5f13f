import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { LIMITS } from '@airflow-portal/plugin-astro-common';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { spec } from '../schema/openapi.generated';
import { Authorizer } from '../permissions/Authorizer';
import { AstroServices } from '../service';
import { MonitoringService } from '../monitor/MonitoringService';
import { IdempotencyGuard } from './idempotency';
import { createOpenApiRouter } from './openApiRouter';
import { CodeServices, RouteContext } from './RouteContext';
import { authenticateRequests } from './authentication';
import { formatBytes, PayloadTooLargeError } from '../lib/errors';
import { registerBundleRoutes } from './routes/bundles';
import { registerDeployRoutes } from './routes/deploys';
import { registerTokenRoutes } from './routes/tokens';
import { registerClusterRoutes } from './routes/clusters';
import { registerHibernationRoutes } from './routes/hibernation';
import { registerAlertRoutes } from './routes/alerts';
import { registerDeploymentRoutes } from './routes/deployments';
import { registerMonitoringRoutes } from './routes/monitoring';
import { registerOrganizationRoutes } from './routes/organizations';
import { registerWorkspaceRoutes } from './routes/workspaces';
import { registerAirflowAccessRoutes } from './routes/airflowAccess';
import { AirflowAccessService } from '../airflowAccess';
import { CallerRoles } from '../permissions/CallerRoles';
import { registerRoleRoutes } from './routes/roles';
import { registerMeRoutes } from './routes/me';
import { registerAirflowInsightRoutes } from './routes/airflowInsight';
import { AirflowInsightService } from '../monitor/insight';

/** Largest JSON or YAML body the API accepts. */
const BODY_LIMIT = LIMITS.requestBodyBytes;

/** Dependencies of the API router. */
export interface RouterOptions {
  services: AstroServices;
  monitoring: MonitoringService;
  idempotency: IdempotencyGuard;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  /** Deploys, the DAG sync's bundle endpoints and API tokens. */
  code: CodeServices;
  /** Airflow sign-in: login tickets and API tokens signed for portal users. */
  airflowAccess: AirflowAccessService;
  /** The callers' claims and roles (for /me and API-token role caps). */
  callerRoles: CallerRoles;
  /** DAGs, runs, import errors, pools and heartbeats read from each Airflow. */
  airflowInsight: AirflowInsightService;
}

/**
 * The raw body of DAG deploys (application/gzip), read up to the bundle
 * limit: a larger body is refused with 413 naming the limit (from its
 * Content-Length before anything is read, else as soon as it is
 * exceeded). Content-Encoding is refused rather than inflated, so no
 * compressed request body expands past the limit here.
 */
function bundleBodyParser(maxBytes: number): RequestHandler[] {
  const parse = express.raw({
    type: 'application/gzip',
    limit: maxBytes,
    inflate: false,
  });
  const tooLarge: ErrorRequestHandler = (error, _req, _res, next) => {
    if (error?.type === 'entity.too.large') {
      next(
        new PayloadTooLargeError(
          `body: the bundle is larger than the limit of ${formatBytes(
            maxBytes,
          )} (astro.deploys.maxBundleBytes)`,
        ),
      );
      return;
    }
    next(error);
  };
  return [parse, tooLarge as unknown as RequestHandler];
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
    authenticateRequests({
      httpAuth: options.httpAuth,
      tokens: options.code.tokens,
      bundles: options.code.bundles,
      auditor: options.auditor,
    }),
    ...bundleBodyParser(options.code.deploys.options.limits.maxBytes),
    express.json({ limit: BODY_LIMIT }),
    express.text({
      type: ['application/yaml', 'text/yaml', 'application/x-yaml'],
      limit: BODY_LIMIT,
    }),
  ]);
  const context = new RouteContext(
    options.services,
    options.monitoring,
    new Authorizer(
      options.httpAuth,
      options.permissions,
      options.services.deployments,
    ),
    options.auditor,
    options.idempotency,
    options.code,
    options.airflowAccess,
    options.callerRoles,
    options.airflowInsight,
  );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/deployment-options', async (req, res) => {
    // Any signed-in caller: the form of every Deployment needs them.
    await context.authorizer.backstageCredentials(req);
    res.json(options.services.deployments.deploymentOptions);
  });

  registerOrganizationRoutes(router, context);
  registerWorkspaceRoutes(router, context);
  registerClusterRoutes(router, context);
  registerDeploymentRoutes(router, context);
  registerHibernationRoutes(router, context);
  registerAlertRoutes(router, context);
  registerMonitoringRoutes(router, context);
  registerDeployRoutes(router, context);
  registerTokenRoutes(router, context);
  registerBundleRoutes(router, context);
  registerAirflowAccessRoutes(router, context);
  registerAirflowInsightRoutes(router, context);
  registerRoleRoutes(router, context);
  registerMeRoutes(router, context);
  return router;
}
