import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DeploymentComponents,
  RuntimeRelease,
} from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase, DeploymentStore } from '../store';
import { ChangeFeed } from '../service';
import { SYSTEM_ACTOR } from '../service/actor';
import { WatchedClusters } from './WatchedClusters';
import { DeploymentReconciler } from './DeploymentReconciler';
import { describeFailure } from './describeFailure';
import { evaluateStatus, StatusResult } from './evaluateStatus';
import { advertisedAirflowUrl } from './airflowUrl';
import { heldMigrationFailure, upgradeConditions } from '../upgrades';
import { HibernationPlanner, hibernationStateOf } from '../hibernation';
import type { MonitorListener } from '../alerts/MonitorListener';

/** A cluster whose state this backend has not read since it started. */
class RereadingError extends Error {
  constructor(cluster: string) {
    super(
      `Re-reading the state of cluster ${cluster} after a backend start: its watch caches have not synced yet`,
    );
  }
}

/** A cluster this backend knows does not answer. */
class ClusterDownError extends Error {}

/** Health samples older than this no longer count for the status. */
const HEALTH_FRESHNESS_MS = 3 * 60_000;

/**
 * Keeps each Deployment's stored status in line with what the cluster and
 * Airflow report: evaluates it, and when it changed writes it, records a
 * status event, opens or resolves an incident and announces the change.
 * Evaluations triggered by watch events are coalesced per Deployment.
 */
export class StatusWriter {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly components = new Map<string, DeploymentComponents>();
  private readonly updating = new Map<
    string,
    Promise<StatusResult | undefined>
  >();

  constructor(
    private readonly deps: {
      db: AstroDatabase;
      watched: WatchedClusters;
      reconciler: DeploymentReconciler;
      changes: ChangeFeed;
      logger: LoggerService;
      debounceMs?: number;
      /** The runtime catalog with each release's lifecycle as it is now. */
      runtimeReleases?: () => readonly RuntimeRelease[];
      clock?: () => Date;
      /** Plans hibernation: a hibernating Deployment is HIBERNATING. */
      hibernation?: HibernationPlanner;
      /** Clusters this backend leaves alone: it writes no status for them. */
      ownership?: { drives(clusterName: string): boolean };
      /** Hears of the incidents it opens and resolves (alert delivery). */
      listener?: MonitorListener;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /** Evaluates a Deployment soon, once per burst of watch events. */
  schedule(deploymentId: string): void {
    if (this.pending.has(deploymentId)) {
      return;
    }
    this.pending.set(
      deploymentId,
      setTimeout(() => {
        this.pending.delete(deploymentId);
        this.update(deploymentId).catch(error =>
          this.deps.logger.warn(
            `Could not update the status of deployment ${deploymentId}: ${error}`,
          ),
        );
      }, this.deps.debounceMs ?? 250),
    );
  }

  /** The components and workers last evaluated for a Deployment. */
  lastComponents(deploymentId: string): DeploymentComponents | undefined {
    return this.components.get(deploymentId);
  }

  stop(): void {
    for (const timer of this.pending.values()) {
      clearTimeout(timer);
    }
    this.pending.clear();
  }

  /**
   * Evaluates and, when it changed, writes a Deployment's status. With
   * `rereading`, its cluster's watch caches have not synced since this
   * backend started: the stored status may be stale, and the Deployment
   * reports UNKNOWN with that reason instead of what the cache holds.
   * Calls for one Deployment run one after the other: two evaluations at
   * once (a watch event and the end of a pass) would both see the old
   * status and both record the same change.
   */
  async update(
    deploymentId: string,
    options: { rereading?: boolean } = {},
  ): Promise<StatusResult | undefined> {
    const previous = this.updating.get(deploymentId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.evaluate(deploymentId, options));
    this.updating.set(deploymentId, next);
    try {
      return await next;
    } finally {
      if (this.updating.get(deploymentId) === next) {
        this.updating.delete(deploymentId);
      }
    }
  }

  /**
   * Tells the listener of the Deployment's latest incident, just opened
   * or resolved. Not awaited: delivering alerts (webhook retries) never
   * holds up the Deployment's next status update.
   */
  private announceIncident(
    record: {
      id: string;
      organization_name: string;
      workspace_name: string;
      name: string;
    },
    event: 'incidentOpened' | 'incidentResolved',
  ): void {
    const listener = this.deps.listener;
    if (!listener?.[event]) {
      return;
    }
    this.deps.db.monitor
      .incidents(record.id, 1)
      .then(([incident]) =>
        incident
          ? listener[event]!({
              incident,
              deployment: {
                id: record.id,
                organization: record.organization_name,
                workspace: record.workspace_name,
                name: record.name,
              },
            })
          : undefined,
      )
      .catch(error =>
        this.deps.logger.warn(
          `Could not announce the incident of deployment ${record.id}: ${error}`,
        ),
      );
  }

  private async evaluate(
    deploymentId: string,
    options: { rereading?: boolean },
  ): Promise<StatusResult | undefined> {
    const { db, watched, reconciler } = this.deps;
    const { engineState: stateStore, monitor } = db;
    const record = await db.deployments.getById(deploymentId);
    if (!record || this.deps.ownership?.drives(record.cluster_name) === false) {
      return undefined;
    }
    const now = this.now();
    const state = await stateStore.get(deploymentId);
    // A cluster that does not answer outweighs what its stale cache holds.
    const clusterFailure = watched.failureOf(record.cluster_name);
    let failure = clusterFailure ?? state.lastError;
    let live: ReadonlyMap<string, KubernetesObject> = new Map();
    let rendered = reconciler.lastRender(deploymentId);
    let airflowUrlTemplate: string | undefined;
    let driver: string | undefined;
    try {
      if (options.rereading) {
        throw new RereadingError(record.cluster_name);
      }
      if (clusterFailure) {
        // Only the cluster's probe asks it again (one request at a time).
        throw new ClusterDownError(clusterFailure.message);
      }
      const cache = await watched.get(record.cluster_name);
      live = cache.objectsOf(deploymentId);
      airflowUrlTemplate = cache.airflowUrlTemplate;
      driver = cache.driver;
      if (!rendered && !record.deletion_requested_at) {
        rendered = await reconciler.render(record, await cache.capabilities());
      }
    } catch (error) {
      failure =
        error instanceof RereadingError || error instanceof ClusterDownError
          ? { message: error.message, unreachable: true }
          : describeFailure(error, record.cluster_name);
    }
    const latest = await monitor.latestSample(deploymentId);
    const health =
      latest &&
      now.getTime() - Date.parse(latest.timestamp) < HEALTH_FRESHNESS_MS
        ? latest
        : undefined;

    const settings = DeploymentStore.settingsOf(record);
    const migration = state.databaseMigration;
    failure ??= heldMigrationFailure(settings.airflowVersion, migration);
    const hibernation = this.deps.hibernation
      ? hibernationStateOf(
          // The next transition of a hibernating Deployment is its wake-up.
          await this.deps.hibernation.plan(record, undefined, { upcoming: 1 }),
        )
      : undefined;
    const result = evaluateStatus({
      generation: record.generation,
      deleting: Boolean(record.deletion_requested_at),
      settings,
      rendered: rendered && {
        objects: rendered.objects,
        conditions: [
          ...rendered.conditions,
          ...upgradeConditions(
            settings.airflowVersion,
            migration,
            this.deps.runtimeReleases?.() ?? [],
          ),
        ],
      },
      live,
      appliedGeneration: state.appliedGeneration,
      everHealthy: state.everHealthy,
      failure,
      health,
      previousConditions: JSON.parse(record.conditions),
      now,
      ...(hibernation
        ? {
            hibernation: {
              hibernating: hibernation.isHibernating,
              reason: hibernation.reason,
              ...(hibernation.nextWakeAt
                ? { nextWakeAt: hibernation.nextWakeAt }
                : {}),
            },
          }
        : {}),
    });
    this.components.set(deploymentId, {
      components: result.components,
      workerQueues: result.workerQueues,
      observedAt: now.toISOString(),
    });

    const airflowUrl = advertisedAirflowUrl({
      deployment: {
        organization: record.organization_name,
        workspace: record.workspace_name,
        name: record.name,
        namespace: record.namespace,
      },
      deleting: Boolean(record.deletion_requested_at),
      routedUrl: rendered?.airflowUrl,
      urlTemplate: airflowUrlTemplate,
      driver,
      components: result.components,
    });
    const statusChanged = result.status !== record.status;
    const changed =
      statusChanged ||
      airflowUrl !== record.airflow_url ||
      result.reason !== (record.status_reason ?? '') ||
      result.observedGeneration !== record.observed_generation ||
      JSON.stringify(result.conditions) !== record.conditions;
    if (!changed) {
      return result;
    }

    await db.transaction(async tx => {
      await tx.deployments.updateStatus(
        deploymentId,
        {
          status: result.status,
          statusReason: result.reason,
          conditions: result.conditions,
          observedGeneration: result.observedGeneration,
          airflowUrl,
        },
        now,
      );
      if (statusChanged) {
        await tx.events.insert(
          {
            organization: record.organization_name,
            resourceType: 'deployment',
            resourceName: `${record.organization_name}/${record.name}`,
            deploymentId,
            action: 'status-changed',
            actor: SYSTEM_ACTOR,
            message: `${record.status} → ${result.status}: ${result.reason}`,
            before: {
              status: record.status,
              statusReason: record.status_reason,
            },
            after: { status: result.status, statusReason: result.reason },
          },
          now,
        );
      }
    });

    if (statusChanged) {
      if (result.status === 'HEALTHY') {
        await stateStore.markEverHealthy(deploymentId);
        if (await monitor.resolveIncidents(deploymentId, now)) {
          this.announceIncident(record, 'incidentResolved');
        }
      } else if (result.status === 'UNHEALTHY') {
        const failed = result.components.find(c => c.state === 'Failed');
        const opened = await monitor.openIncident(
          deploymentId,
          {
            title: failed
              ? `${failed.name} is failing`
              : `Deployment ${record.name} is unhealthy`,
            severity: 'critical',
            component: failed?.name,
            message: result.reason,
          },
          now,
        );
        if (opened) {
          this.announceIncident(record, 'incidentOpened');
        }
      }
    }
    await this.deps.changes.publish([
      {
        kind: 'deployment',
        organization: record.organization_name,
        name: record.name,
        id: deploymentId,
        action: 'status',
      },
    ]);
    return result;
  }
}
