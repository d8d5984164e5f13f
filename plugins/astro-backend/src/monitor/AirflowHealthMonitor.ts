import { LoggerService } from '@backstage/backend-plugin-api';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { AstroDatabase, DeploymentRecord, DeploymentStore } from '../store';
import { airflowUiService } from '../render';
import { WatchedClusters } from '../engine/WatchedClusters';
import { StatusWriter } from '../engine/StatusWriter';
import { parseAirflowHealth } from './parseAirflowHealth';

/** Headers that authenticate the backend at a Deployment's Airflow. */
export interface AirflowCredentialHeaders {
  headersFor(deploymentId: string): Promise<Record<string, string>>;
}

/**
 * Asks each running Deployment's Airflow how it is, through the Kubernetes
 * API server's service proxy, records a health sample and lets the status
 * follow. Deployments whose API server has no ready pod are not asked: the
 * cluster's own readiness already explains them.
 */
export class AirflowHealthMonitor {
  constructor(
    private readonly deps: {
      db: AstroDatabase;
      watched: WatchedClusters;
      status: StatusWriter;
      logger: LoggerService;
      /** How long samples are kept. */
      retentionMs: number;
      /** The backend's service credential at each Deployment's Airflow. */
      credentials?: AirflowCredentialHeaders;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /** Probes every Deployment once; returns how many answered. */
  async probeAll(): Promise<number> {
    const records = await this.deps.db.deployments.listAll();
    let probed = 0;
    for (const record of records) {
      if (!record.deletion_requested_at && (await this.probe(record))) {
        probed += 1;
      }
    }
    await this.deps.db.monitor.deleteSamplesBefore(
      new Date(this.now().getTime() - this.deps.retentionMs),
    );
    return probed;
  }

  private async probe(record: DeploymentRecord): Promise<boolean> {
    const { airflowVersion } = DeploymentStore.settingsOf(record);
    const service = airflowUiService(airflowVersion);
    try {
      const cache = await this.deps.watched.get(record.cluster_name);
      const apiServerReady = [...cache.objectsOf(record.id).values()].some(
        object =>
          object.kind === 'Deployment' &&
          object.metadata.labels?.[ASTRO_LABELS.component] ===
            service.component &&
          ((object.status as { readyReplicas?: number } | undefined)
            ?.readyReplicas ?? 0) > 0,
      );
      if (!apiServerReady) {
        return false;
      }
      const response = await cache.client.proxyGet({
        namespace: record.namespace,
        service: service.name,
        port: service.port,
        path: service.healthPath,
        headers: await this.deps.credentials?.headersFor(record.id),
      });
      const sample = parseAirflowHealth(response, this.now());
      await this.deps.db.monitor.insertSample(record.id, sample);
      await this.deps.status.update(record.id);
      return true;
    } catch (error) {
      this.deps.logger.debug(
        `Health probe of ${record.organization_name}/${record.name} failed: ${error}`,
      );
      return false;
    }
  }
}
