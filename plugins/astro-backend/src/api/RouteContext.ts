import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { Request } from 'express';
import { spec } from '../schema/openapi.generated';
import { Authorizer } from '../permissions/Authorizer';
import { Actor, AstroServices } from '../service';
import { MonitoringService } from '../monitor/MonitoringService';
import { IdempotencyGuard, IdempotencyOptions } from './idempotency';
import { principalOf } from '../permissions/principals';
import { tokenActor } from '../tokens/ApiTokenService';
import { ApiTokenService } from '../tokens/ApiTokenService';
import { DeployService } from '../deploys/DeployService';
import { BundleService } from '../deploys/BundleService';
import { AirflowAccessService } from '../airflowAccess';
import { CallerRoles } from '../permissions/CallerRoles';
import { AirflowInsightService } from '../monitor/insight';

/** The code-deploy services the routes use. */
export interface CodeServices {
  deploys: DeployService;
  bundles: BundleService;
  tokens: ApiTokenService;
}

/** The router, typed by the OpenAPI document. */
export type AstroApiRouter = ApiRouter<typeof spec>;

/** What the route modules share: services, authorization and auditing. */
export class RouteContext {
  constructor(
    readonly services: AstroServices,
    readonly monitoring: MonitoringService,
    readonly authorizer: Authorizer,
    private readonly auditor: AuditorService,
    private readonly idempotency: IdempotencyGuard,
    readonly code: CodeServices,
    readonly airflowAccess: AirflowAccessService,
    readonly callerRoles: CallerRoles,
    readonly airflowInsight: AirflowInsightService,
  ) {}

  /** Runs a state change as an audit event of Backstage's auditor. */
  audited = async <T>(
    req: Request<any, any, any, any>,
    eventId: string,
    meta: Record<string, string>,
    action: () => Promise<T>,
    severityLevel: AuditorServiceEventSeverityLevel = 'medium',
  ): Promise<T> => {
    // Backstage's auditor reads the actor from the request's Backstage
    // credentials; a request made with an API token has none, so its
    // entry names the token as actor in its metadata instead.
    const principal = principalOf(req);
    const event = await this.auditor.createEvent(
      principal?.type === 'token'
        ? {
            eventId,
            severityLevel,
            meta: {
              ...meta,
              actor: tokenActor(principal),
              tokenId: principal.tokenId,
              method: req.method,
              url: req.originalUrl,
            },
          }
        : { eventId, severityLevel, request: req, meta },
    );
    try {
      const result = await action();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  };

  /**
   * Runs a create as an audited, idempotent operation: a retry with the
   * same Idempotency-Key and body gets the first response again.
   */
  create = async <T>(
    req: Request<any, any, any, any>,
    actor: Actor,
    audit: {
      eventId: string;
      meta: Record<string, string>;
      severityLevel?: AuditorServiceEventSeverityLevel;
    },
    action: () => Promise<T>,
    options: IdempotencyOptions<T> & {
      /** What identifies the request instead of its body (e.g. a bundle's checksum). */
      identity?: unknown;
    } = {},
  ) =>
    this.idempotency.run(
      actor,
      `POST ${req.path}`,
      req.header('idempotency-key'),
      options.identity === undefined ? req.body : options.identity,
      () =>
        this.audited(
          req,
          audit.eventId,
          audit.meta,
          async () => ({ status: 201, body: await action() }),
          audit.severityLevel,
        ),
      options,
    );
}
