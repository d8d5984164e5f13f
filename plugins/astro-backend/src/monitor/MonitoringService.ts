import {
  Cluster,
  DeploymentComponents,
  DeploymentHealth,
  DeploymentHistory,
  Incident,
} from '@airflow-portal/plugin-astro-common';
import { NotFoundError } from '@backstage/errors';
import {
  Actor,
  DeploymentService,
  MutationRunner,
  OrganizationService,
} from '../service';
import { StatusWriter } from '../engine/StatusWriter';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import {
  HistoryStore,
  IncidentStore,
  ListCriteria,
  MonitorStore,
} from '../store';
import { ClusterStatusReader } from './ClusterStatusReader';
import { coarsenHistory } from './history/coarsenHistory';
import { historyRange } from './history/historyRange';
import { HistorySettings } from './history/readHistorySettings';

/** How far back the health history reaches. */
const HISTORY_WINDOW_MS = 6 * 60 * 60_000;

/** What the API tells about a running Deployment. */
export class MonitoringService {
  constructor(
    private readonly deps: {
      deployments: DeploymentService;
      organizations: OrganizationService;
      monitor: MonitorStore;
      history: HistoryStore;
      historySettings: HistorySettings;
      incidents: IncidentStore;
      mutations: Pick<MutationRunner, 'run'>;
      status: StatusWriter;
      clusterStatus: ClusterStatusReader;
      clock?: () => Date;
    },
  ) {}

  /**
   * Components and workers, as the status writer last evaluated them from
   * the cluster's watch caches (it does on every watch event); evaluated now
   * only when this backend has not yet.
   */
  async components(
    organization: string,
    name: string,
  ): Promise<DeploymentComponents> {
    const record = await this.deps.deployments.getRecord(organization, name);
    if (!this.deps.status.lastComponents(record.id)) {
      await this.deps.status.update(record.id);
    }
    return (
      this.deps.status.lastComponents(record.id) ?? {
        components: [],
        workerQueues: [],
      }
    );
  }

  async health(organization: string, name: string): Promise<DeploymentHealth> {
    const record = await this.deps.deployments.getRecord(organization, name);
    const now = (this.deps.clock ?? (() => new Date()))();
    const history = await this.deps.monitor.history(
      record.id,
      new Date(now.getTime() - HISTORY_WINDOW_MS),
    );
    const current = history[history.length - 1];
    return current ? { current, history } : { history };
  }

  /**
   * The Deployment's history in a range (see {@link historyRange}), oldest
   * point first, in buckets coarse enough for one chart.
   */
  async history(
    organization: string,
    name: string,
    query: { since?: unknown; until?: unknown },
  ): Promise<DeploymentHistory> {
    const now = (this.deps.clock ?? (() => new Date()))();
    const { bucketMs, retentionMs } = this.deps.historySettings;
    const range = historyRange(query, now, retentionMs);
    const record = await this.deps.deployments.getRecord(organization, name);
    const stored = await this.deps.history.range(
      record.id,
      range.since,
      range.until,
    );
    const served = coarsenHistory(stored, range, bucketMs);
    return {
      since: range.since.toISOString(),
      until: range.until.toISOString(),
      bucketMinutes: served.bucketMs / 60_000,
      retentionDays: retentionMs / 86_400_000,
      points: served.points,
    };
  }

  /**
   * Adds what each cluster reports of itself to the cluster views: whether
   * it answers (since when, why not), its capabilities and what its nodes
   * offer next to what the quotas on it reserve.
   */
  async withClusterStatus(clusters: Cluster[]): Promise<Cluster[]> {
    return Promise.all(
      clusters.map(async cluster => {
        const { allocatable, allocatableError, ...status } =
          await this.deps.clusterStatus.read(cluster.name, cluster.version);
        return {
          ...cluster,
          ...status,
          capacity: {
            reserved: cluster.capacity?.reserved ?? { cpu: 0, memoryBytes: 0 },
            ...(allocatable ? { allocatable } : {}),
            ...(allocatableError ? { allocatableError } : {}),
          },
        };
      }),
    );
  }

  /** Incidents across an organization, e.g. the open ones for an overview. */
  async organizationIncidents(
    organization: string,
    query: {
      state?: Incident['state'];
      limit?: number;
      criteria?: ListCriteria<AstroDeploymentFilter>;
    },
  ): Promise<Incident[]> {
    const org = await this.deps.organizations.getRow(organization);
    return this.deps.incidents.listOfOrganization(org.id, {
      state: query.state,
      limit: query.limit ?? 100,
      criteria: query.criteria,
    });
  }

  async incidents(organization: string, name: string): Promise<Incident[]> {
    const record = await this.deps.deployments.getRecord(organization, name);
    return this.deps.incidents.list(record.id);
  }

  /**
   * Acknowledges an incident of a Deployment (the first acknowledgement
   * stays), recorded in the Deployment's events.
   */
  async acknowledgeIncident(
    organization: string,
    name: string,
    incidentId: string,
    actor: Actor,
  ): Promise<Incident> {
    const record = await this.deps.deployments.getRecord(organization, name);
    return this.deps.mutations.run(async (tx, now) => {
      const outcome = await tx.incidents.acknowledge(
        record.id,
        incidentId,
        actor,
        now,
      );
      if (!outcome) {
        throw new NotFoundError(
          `Deployment "${organization}/${name}" has no incident ${incidentId}`,
        );
      }
      const { incident, acknowledged } = outcome;
      return {
        result: incident,
        events: acknowledged
          ? [
              {
                organization: record.organization_name,
                resourceType: 'deployment' as const,
                resourceName: `${record.organization_name}/${record.name}`,
                deploymentId: record.id,
                action: 'incident-acknowledged',
                actor,
                message: `Incident "${incident.title}" acknowledged by ${actor}`,
                after: { incidentId, kind: incident.kind },
              },
            ]
          : [],
        changes: [],
      };
    });
  }
}
