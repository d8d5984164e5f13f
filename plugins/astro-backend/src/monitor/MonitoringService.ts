import {
  Cluster,
  DeploymentComponents,
  DeploymentHealth,
  Incident,
} from '@airflow-portal/plugin-astro-common';
import { DeploymentService, OrganizationService } from '../service';
import { StatusWriter } from '../engine/StatusWriter';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import { ListCriteria, MonitorStore } from '../store';
import { ClusterStatusReader } from './ClusterStatusReader';

/** How far back the health history reaches. */
const HISTORY_WINDOW_MS = 6 * 60 * 60_000;

/** What the API tells about a running Deployment. */
export class MonitoringService {
  constructor(
    private readonly deps: {
      deployments: DeploymentService;
      organizations: OrganizationService;
      monitor: MonitorStore;
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

  /** Adds what each cluster reports of itself to the cluster views. */
  async withClusterStatus(clusters: Cluster[]): Promise<Cluster[]> {
    return Promise.all(
      clusters.map(async cluster => ({
        ...cluster,
        ...(await this.deps.clusterStatus.read(cluster.name)),
      })),
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
    return this.deps.monitor.incidentsOfOrganization(org.id, {
      state: query.state,
      limit: query.limit ?? 100,
      criteria: query.criteria,
    });
  }

  async incidents(organization: string, name: string): Promise<Incident[]> {
    const record = await this.deps.deployments.getRecord(organization, name);
    return this.deps.monitor.incidents(record.id);
  }
}
