import { AstroEvent } from '@airflow-portal/plugin-astro-common';
import { Db, toIso } from './util';

/** An event to record. */
export interface NewEvent {
  organization: string;
  resourceType: AstroEvent['resourceType'];
  resourceName: string;
  deploymentId?: string;
  action: string;
  actor: string;
  message: string;
  before?: unknown;
  after?: unknown;
}

interface EventRow {
  id: number | string;
  organization: string;
  resource_type: AstroEvent['resourceType'];
  resource_name: string;
  deployment_id: string | null;
  action: string;
  actor: string;
  message: string;
  before: string | null;
  after: string | null;
  created_at: Date | string | number;
}

/** The event log: audit entries and status changes. */
export class EventStore {
  constructor(private readonly db: Db) {}

  async insert(event: NewEvent, now: Date): Promise<void> {
    await this.db('events').insert({
      organization: event.organization,
      resource_type: event.resourceType,
      resource_name: event.resourceName,
      deployment_id: event.deploymentId ?? null,
      action: event.action,
      actor: event.actor,
      message: event.message,
      before: event.before === undefined ? null : JSON.stringify(event.before),
      after: event.after === undefined ? null : JSON.stringify(event.after),
      created_at: now,
    });
  }

  /** A deployment's events, newest first. */
  async listForDeployment(
    deploymentId: string,
    options: { beforeId?: number; limit: number },
  ): Promise<AstroEvent[]> {
    const query = this.db<EventRow>('events')
      .where({ deployment_id: deploymentId })
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.beforeId !== undefined) {
      query.where('id', '<', options.beforeId);
    }
    return (await query).map(EventStore.toApi);
  }

  static toApi(row: EventRow): AstroEvent {
    return {
      id: String(row.id),
      organization: row.organization,
      resourceType: row.resource_type,
      resourceName: row.resource_name,
      action: row.action,
      actor: row.actor,
      message: row.message,
      ...(row.before ? { before: JSON.parse(row.before) } : {}),
      ...(row.after ? { after: JSON.parse(row.after) } : {}),
      createdAt: toIso(row.created_at),
    };
  }
}
