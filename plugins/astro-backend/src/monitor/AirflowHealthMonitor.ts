import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ASTRO_LABELS,
  HealthSample,
} from '@airflow-portal/plugin-astro-common';
import { AstroDatabase, DeploymentRecord, DeploymentStore } from '../store';
import { airflowUiService } from '../render';
import { WatchedClusters } from '../engine/WatchedClusters';
import { StatusWriter } from '../engine/StatusWriter';
import { parseAirflowHealth, parseHeartbeats } from './parseAirflowHealth';
import { DeploymentObservation } from './incidents/evaluateIncidents';

/** What a health probe learnt. */
export interface HealthProbe {
  sample: HealthSample;
  /** Heartbeats; `undefined` when Airflow's answer had none. */
  heartbeats?: DeploymentObservation['heartbeats'];
}

/** Headers that authenticate the backend at a Deployment's Airflow. */
export interface AirflowCredentialHeaders {
  headersFor(deploymentId: string): Promise<Record<string, string>>;
}

/**
 * Asks a running Deployment's Airflow how it is, through the Kubernetes
 * API server's service proxy, records a health sample and lets the status
 * follow (the monitoring pass calls it for each Deployment). Deployments whose API server has no ready pod are not asked: the
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

  /** Drops the samples older than the retention. */
  async deleteExpiredSamples(): Promise<void> {
    await this.deps.db.monitor.deleteSamplesBefore(
      new Date(this.now().getTime() - this.deps.retentionMs),
    );
  }

  /**
   * Asks a Deployment's Airflow for its health (one request), records the
   * sample and lets the status follow; the sample and the components'
   * heartbeats, or `undefined` when Airflow is not running or did not
   * answer.
   */
  async probe(record: DeploymentRecord): Promise<HealthProbe | undefined> {
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
        return undefined;
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
      return { sample, heartbeats: parseHeartbeats(response) };
    } catch (error) {
      this.deps.logger.debug(
        `Health probe of ${record.organization_name}/${record.name} failed: ${error}`,
      );
      return undefined;
    }
  }
}
