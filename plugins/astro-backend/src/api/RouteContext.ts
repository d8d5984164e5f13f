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
import { IdempotencyGuard } from './idempotency';

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
  ) {}

  /** Runs a state change as an audit event of Backstage's auditor. */
  audited = async <T>(
    req: Request<any, any, any, any>,
    eventId: string,
    meta: Record<string, string>,
    action: () => Promise<T>,
    severityLevel: AuditorServiceEventSeverityLevel = 'medium',
  ): Promise<T> => {
    const event = await this.auditor.createEvent({
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
  ) =>
    this.idempotency.run(
      actor,
      `POST ${req.path}`,
      req.header('idempotency-key'),
      req.body,
      () =>
        this.audited(
          req,
          audit.eventId,
          audit.meta,
          async () => ({ status: 201, body: await action() }),
          audit.severityLevel,
        ),
    );
}
