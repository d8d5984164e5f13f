import { HealthSample, Incident } from '@airflow-portal/plugin-astro-common';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import { Db, toIso } from './util';
import { DEPLOYMENT_COLUMNS } from './DeploymentStore';
import { ListCriteria, restrictToCriteria } from './permissionCriteria';

interface SampleRow {
  id: number | string;
  deployment_id: string;
  sampled_at: Date | string | number;
  status: HealthSample['status'];
  components: string;
  scheduler_heartbeat: string | null;
}

interface IncidentRow {
  id: number | string;
  deployment_id: string;
  title: string;
  severity: Incident['severity'];
  component: string | null;
  state: Incident['state'];
  message: string;
  opened_at: Date | string | number;
  resolved_at: Date | string | number | null;
}

function toSample(row: SampleRow): HealthSample {
  return {
    timestamp: toIso(row.sampled_at),
    status: row.status,
    components: JSON.parse(row.components),
    ...(row.scheduler_heartbeat
      ? { schedulerHeartbeat: row.scheduler_heartbeat }
      : {}),
  };
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: String(row.id),
    title: row.title,
    severity: row.severity,
    ...(row.component ? { component: row.component } : {}),
    state: row.state,
    openedAt: toIso(row.opened_at),
    ...(row.resolved_at ? { resolvedAt: toIso(row.resolved_at) } : {}),
    message: row.message,
  };
}

/** Health samples and incidents of Deployments. */
export class MonitorStore {
  constructor(private readonly db: Db) {}

  async insertSample(deploymentId: string, sample: HealthSample) {
    await this.db('health_samples').insert({
      deployment_id: deploymentId,
      sampled_at: new Date(sample.timestamp),
      status: sample.status,
      components: JSON.stringify(sample.components),
      scheduler_heartbeat: sample.schedulerHeartbeat ?? null,
    });
  }

  async latestSample(deploymentId: string): Promise<HealthSample | undefined> {
    const row = await this.db<SampleRow>('health_samples')
      .where({ deployment_id: deploymentId })
      .orderBy('id', 'desc')
      .first();
    return row ? toSample(row) : undefined;
  }

  /** Samples since a time, oldest first. */
  async history(deploymentId: string, since: Date): Promise<HealthSample[]> {
    const rows = await this.db<SampleRow>('health_samples')
      .where({ deployment_id: deploymentId })
      .where('sampled_at', '>=', since)
      .orderBy('id', 'asc')
      .limit(2000);
    return rows.map(toSample);
  }

  async deleteSamplesBefore(before: Date): Promise<number> {
    return this.db('health_samples').where('sampled_at', '<', before).delete();
  }

  async openIncident(
    deploymentId: string,
    incident: Pick<Incident, 'title' | 'severity' | 'component' | 'message'>,
    now: Date,
  ): Promise<boolean> {
    const open = await this.db('incidents')
      .where({ deployment_id: deploymentId, state: 'open' })
      .first();
    if (open) {
      return false;
    }
    await this.db('incidents').insert({
      deployment_id: deploymentId,
      title: incident.title.slice(0, 200),
      severity: incident.severity,
      component: incident.component ?? null,
      state: 'open',
      message: incident.message,
      opened_at: now,
    });
    return true;
  }

  async resolveIncidents(deploymentId: string, now: Date): Promise<number> {
    return this.db('incidents')
      .where({ deployment_id: deploymentId, state: 'open' })
      .update({ state: 'resolved', resolved_at: now });
  }

  async incidents(deploymentId: string, limit = 100): Promise<Incident[]> {
    const rows = await this.db<IncidentRow>('incidents')
      .where({ deployment_id: deploymentId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(toIncident);
  }

  /** Incidents of an organization's Deployments, newest first. */
  async incidentsOfOrganization(
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

  /** Number of open incidents per Deployment id. */
  async openIncidentCounts(): Promise<Map<string, number>> {
    const rows = await this.db('incidents')
      .where({ state: 'open' })
      .groupBy('deployment_id')
      .select<{ deployment_id: string; count: number | string }[]>(
        'deployment_id',
        this.db.raw('count(*) as count'),
      );
    return new Map(rows.map(r => [r.deployment_id, Number(r.count)]));
  }
}
