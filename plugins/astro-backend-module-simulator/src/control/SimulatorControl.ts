import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { AirflowDags } from '../airflow/AirflowDags';
import {
  AirflowRuns,
  DagRunOutcome,
  DagRunOutcomeState,
} from '../airflow/AirflowRuns';
import { ClockChange, SimulatedClockState } from '../airflow/SimulatedClock';
import { AirflowHealth } from '../airflow/AirflowHealth';
import { ApiOperations } from '../api/ApiOperations';
import { ResourceCatalog, ResourceType } from '../api/resources';
import { statusErrors } from '../api/status';
import { ControllerManager } from '../controllers/ControllerManager';
import { DagSync, PodDagSyncStatus } from '../dagsync/DagSync';
import { QueueDepth, SimulationState } from '../controllers/SimulationState';
import { FaultInjector, FaultSettings } from '../faults/FaultInjector';
import { SimulatorHttpServer } from '../server/SimulatorHttpServer';
import { WatchHub } from '../server/WatchHub';
import { RequestStats, RequestStatsSnapshot } from '../stats/RequestStats';

/** What `GET /simulator/v1/stats` answers. */
export interface SimulatorStats extends RequestStatsSnapshot {
  /** Watch connections open at the moment of the snapshot. */
  openWatches: number;
}
import { ObjectStore } from '../store/ObjectStore';

/**
 * How the API is unavailable: `refuse` closes the listening socket
 * (clients get "connection refused"), `error` answers every API request
 * with `503 ServiceUnavailable`.
 *
 * @public
 */
export type UnavailabilityMode = 'refuse' | 'error';

/**
 * The in-process controls of a simulator, for tests and benchmarks. The
 * same controls are served over HTTP under `/simulator/v1`.
 *
 * @public
 */
export class SimulatorControl {
  private errorUntil = 0;

  /** @internal */
  constructor(
    private readonly deps: {
      store: ObjectStore;
      api: ApiOperations;
      catalog: ResourceCatalog;
      state: SimulationState;
      faults: FaultInjector;
      stats: RequestStats;
      watches: WatchHub;
      server: SimulatorHttpServer;
      controllers: ControllerManager;
      dagSync: DagSync;
      dags: AirflowDags;
      runs: AirflowRuns;
      health: AirflowHealth;
      seed: () => void;
    },
  ) {}

  /** Sets the depth of a Celery queue, which KEDA scales workers from. */
  setQueueDepth(namespace: string, queue: string, depth: QueueDepth): void {
    this.deps.state.setQueueDepth(namespace, queue, depth);
  }

  getQueueDepth(namespace: string, queue: string): QueueDepth {
    return this.deps.state.queueDepth(namespace, queue);
  }

  /**
   * Stops a component's Airflow heartbeat while its pods stay Ready (a
   * hung scheduler), or lets it beat again.
   */
  freezeHeartbeat(namespace: string, component: string, frozen = true): void {
    this.deps.health.freezeHeartbeat(namespace, component, frozen);
  }

  /** Makes the pods of a component crash-loop (or recover). */
  setCrashLoop(namespace: string, component: string, enabled = true): void {
    this.deps.state.setCrashLoop(namespace, component, enabled);
  }

  /**
   * Makes the next Job of a component fail; by default the next database
   * migration Job (component `migrate-database`), in any namespace.
   */
  failNextJob(options: { namespace?: string; component?: string } = {}): void {
    this.deps.state.failNextJob({
      namespace: options.namespace,
      component: options.component ?? 'migrate-database',
    });
  }

  /** Replaces the injected request faults. */
  setFaults(settings: FaultSettings): void {
    this.deps.faults.configure(settings);
  }

  clearFaults(): void {
    this.deps.faults.clear();
  }

  faults(): FaultSettings {
    return this.deps.faults.settings();
  }

  /** Drops every open watch connection; returns how many. */
  dropWatches(): number {
    return this.deps.watches.dropAll();
  }

  /**
   * Ends every open watch cleanly, as an API server does when a watch's
   * timeout expires; clients resume from their last resource version.
   * Returns how many.
   */
  closeWatches(): number {
    return this.deps.watches.endAll();
  }

  /** The number of open watch connections. */
  openWatches(): number {
    return this.deps.watches.size;
  }

  /**
   * Makes the API unavailable for `durationMs`. Resolves once it is
   * unavailable; {@link SimulatorControl.whenAvailable} resolves when it is
   * back.
   */
  async makeUnavailable(
    durationMs: number,
    mode: UnavailabilityMode = 'refuse',
  ): Promise<void> {
    if (!(durationMs >= 0)) {
      throw new TypeError('durationMs must be a non-negative number');
    }
    if (mode === 'error') {
      this.errorUntil = Date.now() + durationMs;
      this.deps.watches.dropAll();
      return;
    }
    await this.deps.server.suspend(durationMs);
  }

  /** Resolves when the API is available again. */
  async whenAvailable(): Promise<void> {
    const wait = this.errorUntil - Date.now();
    if (wait > 0) {
      await new Promise(resolve => setTimeout(resolve, wait));
    }
    await this.deps.server.whenAvailable();
  }

  /** @internal Whether API requests are currently answered with 503. */
  isErroring(): boolean {
    return Date.now() < this.errorUntil;
  }

  /** Switches KEDA on or off: discovery and the ScaledObject API follow. */
  setKeda(enabled: boolean): void {
    this.deps.catalog.setKeda(enabled);
    if (enabled) {
      this.deps.controllers.resyncAutoscalers();
    }
  }

  /** Forgets the watch history: resuming any watch then gets `410 Gone`. */
  compactHistory(): void {
    this.deps.store.compact();
  }

  /** Request counters, the write log and the watches open now. */
  stats(): SimulatorStats {
    return {
      ...this.deps.stats.snapshot(),
      openWatches: this.deps.watches.size,
    };
  }

  resetStats(): void {
    this.deps.stats.reset();
  }

  /** Reads an object directly from the simulated cluster's state. */
  getObject(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }): KubernetesObject | undefined {
    const type = this.typeOf(ref.apiVersion, ref.kind);
    return this.deps.store.get(
      type,
      type.namespaced ? ref.namespace : undefined,
      ref.name,
    );
  }

  /** Lists objects directly from the simulated cluster's state. */
  listObjects(kind: {
    apiVersion: string;
    kind: string;
    namespace?: string;
  }): KubernetesObject[] {
    return this.deps.store.list(this.typeOf(kind.apiVersion, kind.kind), {
      namespace: kind.namespace,
    });
  }

  /**
   * Server-side applies an object directly, bypassing HTTP (and faults),
   * e.g. to change the cluster while its API is down.
   */
  applyObject(
    object: KubernetesObject,
    options: { fieldManager: string; force?: boolean },
  ): KubernetesObject {
    const type = this.typeOf(object.apiVersion, object.kind);
    return this.deps.api.apply(
      type,
      type.namespaced ? object.metadata.namespace : undefined,
      object.metadata.name,
      object,
      { manager: options.fieldManager, force: options.force },
    ).object;
  }

  /** Deletes an object directly; `false` when it did not exist. */
  deleteObject(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }): boolean {
    const existing = this.getObject(ref);
    if (!existing) {
      return false;
    }
    const type = this.typeOf(ref.apiVersion, ref.kind);
    this.deps.api.delete(type, existing.metadata.namespace, ref.name);
    return true;
  }

  /**
   * The simulated DAG sync of every pod that has one (or of one
   * namespace's): served version, counters, last error.
   */
  dagSyncStatus(namespace?: string): PodDagSyncStatus[] {
    return this.deps.dagSync.statuses(namespace);
  }

  /** The simulated DAG sync of one pod; `undefined` when it has none. */
  podDagSync(namespace: string, pod: string): PodDagSyncStatus | undefined {
    return this.deps.dagSync.podStatus(namespace, pod);
  }

  /**
   * The files of the bundle a pod serves, path to content; `undefined`
   * while it serves none.
   */
  podBundleFiles(
    namespace: string,
    pod: string,
  ): Map<string, Buffer> | undefined {
    const files = this.deps.dagSync.servedBundle(namespace, pod)?.files;
    return files ? new Map(files) : undefined;
  }

  /**
   * Makes every syncing pod sync now instead of at its next interval and
   * resolves when all are done; returns how many pods synced.
   */
  syncDagsNow(): Promise<number> {
    return this.deps.dagSync.syncNow();
  }

  /** The simulated Airflow's clock, which its scheduler runs on. */
  airflowClock(): SimulatedClockState {
    return this.deps.runs.clock.state();
  }

  /**
   * Moves or freezes the simulated Airflow's clock: `advanceSeconds`
   * forward (runs due meanwhile are made), or to `now`; `frozen` stops it
   * from following the wall clock. Throws `TypeError` on bad input.
   */
  setAirflowClock(change: ClockChange): SimulatedClockState {
    return this.deps.runs.clock.change(change);
  }

  /** What the runs of a DAG in a namespace do (default: success after 60 s). */
  dagOutcome(namespace: string, dagId: string): DagRunOutcome {
    return this.deps.runs.outcome(namespace, dagId);
  }

  /**
   * Sets what the DAG's runs queued from now on do: end in `state` after
   * `durationSeconds` (or stay `running`/`queued`). Throws `TypeError` on
   * bad input.
   */
  setDagOutcome(
    namespace: string,
    dagId: string,
    outcome: { state: DagRunOutcomeState; durationSeconds?: number },
  ): DagRunOutcome {
    const states: DagRunOutcomeState[] = [
      'success',
      'failed',
      'running',
      'queued',
    ];
    if (!states.includes(outcome.state)) {
      throw new TypeError(`state must be one of ${states.join(', ')}`);
    }
    const durationSeconds = outcome.durationSeconds ?? 60;
    if (
      typeof durationSeconds !== 'number' ||
      !Number.isFinite(durationSeconds) ||
      durationSeconds < 0
    ) {
      throw new TypeError('durationSeconds must be a non-negative number');
    }
    return this.deps.runs.setOutcome(namespace, dagId, {
      state: outcome.state,
      durationSeconds,
    });
  }

  /** Back to the default outcome for the DAG's next runs. */
  clearDagOutcome(namespace: string, dagId: string): DagRunOutcome {
    return this.deps.runs.setOutcome(namespace, dagId, undefined);
  }

  /**
   * Empties the cluster and forgets queues, crash loops, faults, counters,
   * served DAG bundles, simulated DAGs and runs; the Airflow clock follows
   * the wall clock again.
   */
  reset(): void {
    this.deps.store.clear();
    this.deps.dagSync.reset();
    this.deps.dags.reset();
    this.deps.runs.reset();
    this.deps.health.reset();
    this.deps.runs.clock.reset();
    this.deps.state.reset();
    this.deps.faults.clear();
    this.deps.stats.reset();
    this.errorUntil = 0;
    this.deps.seed();
  }

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const type = this.deps.catalog.anyByKind(apiVersion, kind);
    if (!type) {
      throw statusErrors.badRequest(
        `the simulator does not know ${apiVersion} ${kind}`,
      );
    }
    return type;
  }
}
