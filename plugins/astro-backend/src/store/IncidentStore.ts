import { Incident, IncidentKind } from '@airflow-portal/plugin-astro-common';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import { Db, toIso } from './util';
import { DEPLOYMENT_COLUMNS } from './DeploymentStore';
import { ListCriteria, restrictToCriteria } from './permissionCriteria';

interface IncidentRow {
  id: number | string;
  deployment_id: string;
  kind: IncidentKind;
  subject: string;
  title: string;
  severity: Incident['severity'];
  component: string | null;
  state: Incident['state'];
  message: string;
  link: string | null;
  opened_at: Date | string | number;
  resolved_at: Date | string | number | null;
  acknowledged_at: Date | string | number | null;
  acknowledged_by: string | null;
}

/** An incident to open: what it is about and what to tell. */
export interface NewIncident {
  kind: IncidentKind;
  /** Component, queue or DAG id; empty for the whole Deployment. */
  subject: string;
  title: string;
  severity: Incident['severity'];
  message: string;
  link?: string;
  /** The component it concerns, when it concerns one. */
  component?: string;
}

/** The key of an open incident: one open per Deployment, kind and subject. */
export function openKeyOf(kind: IncidentKind, subject: string): string {
  return `${kind}/${subject}`;
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: String(row.id),
    kind: row.kind,
    ...(row.subject ? { subject: row.subject } : {}),
    title: row.title,
    severity: row.severity,
    ...(row.component ? { component: row.component } : {}),
    state: row.state,
    openedAt: toIso(row.opened_at),
    ...(row.resolved_at ? { resolvedAt: toIso(row.resolved_at) } : {}),
    message: row.message,
    ...(row.link ? { link: row.link } : {}),
    ...(row.acknowledged_at
      ? { acknowledgedAt: toIso(row.acknowledged_at) }
      : {}),
    ...(row.acknowledged_by ? { acknowledgedBy: row.acknowledged_by } : {}),
  };
}

/** Incidents of Deployments. */
export class IncidentStore {
  constructor(private readonly db: Db) {}

  /**
   * Opens an incident unless one of the same kind and subject is open for
   * the Deployment (the unique index decides, so concurrent callers on
   * several replicas open it once); the new incident, or `undefined`.
   */
  async open(
    deploymentId: string,
    incident: NewIncident,
    now: Date,
  ): Promise<Incident | undefined> {
    const inserted = await this.db('incidents')
      .insert({
        deployment_id: deploymentId,
        kind: incident.kind,
        subject: incident.subject,
        title: incident.title.slice(0, 200),
        severity: incident.severity,
        component: incident.component ?? null,
        state: 'open',
        message: incident.message,
        link: incident.link ?? null,
        opened_at: now,
        open_key: openKeyOf(incident.kind, incident.subject),
      })
      .onConflict(['deployment_id', 'open_key'])
      .ignore()
      .returning('id');
    if (inserted.length === 0) {
      return undefined;
    }
    const id = (inserted[0] as { id: number | string }).id ?? inserted[0];
    return this.get(deploymentId, String(id));
  }

  /** Changes what an open incident tells (its situation evolved). */
  async update(
    id: string,
    changes: Pick<NewIncident, 'title' | 'severity' | 'message' | 'link'>,
  ): Promise<void> {
    await this.db('incidents')
      .where({ id, state: 'open' })
      .update({
        title: changes.title.slice(0, 200),
        severity: changes.severity,
        message: changes.message,
        link: changes.link ?? null,
      });
  }

  /** Resolves an open incident; whether this call resolved it. */
  async resolve(id: string, now: Date): Promise<boolean> {
    const updated = await this.db('incidents')
      .where({ id, state: 'open' })
      .update({ state: 'resolved', resolved_at: now, open_key: null });
    return updated === 1;
  }

  /**
   * Records the first acknowledgement of an incident; the incident (as it
   * is now), or `undefined` when the Deployment has no such incident.
   */
  async acknowledge(
    deploymentId: string,
    id: string,
    by: string,
    now: Date,
  ): Promise<{ incident: Incident; acknowledged: boolean } | undefined> {
    const updated = await this.db('incidents')
      .where({ id, deployment_id: deploymentId })
      .whereNull('acknowledged_at')
      .update({ acknowledged_at: now, acknowledged_by: by });
    const incident = await this.get(deploymentId, id);
    return incident && { incident, acknowledged: updated === 1 };
  }

  async get(deploymentId: string, id: string): Promise<Incident | undefined> {
    const row = await this.db<IncidentRow>('incidents')
      .where({ id, deployment_id: deploymentId })
      .first();
    return row ? toIncident(row) : undefined;
  }

  /** The open incidents of a Deployment, oldest first. */
  async openOf(deploymentId: string): Promise<Incident[]> {
    const rows = await this.db<IncidentRow>('incidents')
      .where({ deployment_id: deploymentId, state: 'open' })
      .orderBy('id', 'asc');
    return rows.map(toIncident);
  }

  async list(deploymentId: string, limit = 100): Promise<Incident[]> {
    const rows = await this.db<IncidentRow>('incidents')
      .where({ deployment_id: deploymentId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(toIncident);
  }

  /** Incidents of an organization's Deployments, newest first. */
  async listOfOrganization(
    organizationId: string,
    options: {
      state?: Incident['state'];
      limit: number;
      /** Which Deployments' incidents the caller may see. */
      criteria?: ListCriteria<AstroDeploymentFilter>;
    },
  ): Promise<Incident[]> {
    const query = this.db<IncidentRow & { deployment_name: string }>(
      'incidents as i',
    )
      .join('deployments as d', 'd.id', 'i.deployment_id')
      .join('organizations as o', 'o.id', 'd.organization_id')
      .join('workspaces as w', 'w.id', 'd.workspace_id')
      .join('clusters as c', 'c.id', 'd.cluster_id')
      .where('d.organization_id', organizationId)
      .orderBy('i.id', 'desc')
      .limit(options.limit)
      .select('i.*', 'd.name as deployment_name');
    if (options.state) {
      query.where('i.state', options.state);
    }
    restrictToCriteria(query, options.criteria, DEPLOYMENT_COLUMNS);
    return (await query).map(row => ({
      ...toIncident(row),
      deployment: row.deployment_name,
    }));
  }

  /** Number of open incidents per Deployment id (of these, when given). */
  async openCounts(deploymentIds?: string[]): Promise<Map<string, number>> {
    const query = this.db('incidents').where({ state: 'open' });
    if (deploymentIds) {
      query.whereIn('deployment_id', deploymentIds);
    }
    const rows = await query
      .groupBy('deployment_id')
      .select<{ deployment_id: string; count: number | string }[]>(
        'deployment_id',
        this.db.raw('count(*) as count'),
      );
    return new Map(rows.map(r => [r.deployment_id, Number(r.count)]));
  }
}
