import { LoggerService } from '@backstage/backend-plugin-api';
import { DeploymentCondition } from '@airflow-portal/plugin-astro-common';
import { AstroDatabase, DeploymentRecord } from '../../store';
import { StatusWriter } from '../../engine/StatusWriter';
import { AirflowHealthMonitor } from '../AirflowHealthMonitor';
import { AirflowConnection } from '../insight/AirflowConnections';
import { AirflowCall } from '../insight/types';
import {
  DeploymentObservation,
  evaluateIncidents,
  IncidentThresholds,
} from '../incidents/evaluateIncidents';
import { IncidentTracker } from '../incidents/IncidentTracker';
import {
  MonitoredDeployment,
  MonitorListener,
  notifyListeners,
} from '../../lib/MonitorListener';
import {
  AirflowRequestBudget,
  RequestBudgetSpent,
} from './AirflowRequestBudget';
import {
  advanceWatermark,
  dagFailuresOf,
  FinishedRun,
  initialWatermark,
} from './advanceWatermark';
import { HistoryRecorder } from '../history/HistoryRecorder';

/** What the pass needs of the rest of the backend. */
export interface MonitoringPassDeps {
  db: AstroDatabase;
  status: Pick<StatusWriter, 'lastComponents' | 'update'>;
  health: Pick<AirflowHealthMonitor, 'probe' | 'deleteExpiredSamples'>;
  connections: { open(record: DeploymentRecord): Promise<AirflowConnection> };
  tracker: Pick<IncidentTracker, 'sync'>;
  listeners: readonly MonitorListener[];
  /** Writes each observation into the Deployment's history. */
  history?: Pick<HistoryRecorder, 'record' | 'deleteExpired'>;
  budget: AirflowRequestBudget;
  thresholds: IncidentThresholds;
  logger: LoggerService;
  /** How long one pass may take: Deployments are spread over it. */
  intervalMs: number;
  /** The portal's frontend (`app.baseUrl` + the Astro path), for links. */
  portalBaseUrl?: string;
  clock?: () => Date;
  /** Waits `ms` of real time (spreading the Deployments). */
  sleep?: (ms: number) => Promise<void>;
}

/** What a pass did for one Deployment. */
export interface DeploymentPassResult {
  observation: DeploymentObservation;
  opened: number;
  resolved: number;
  /** Finished runs announced by this pass. */
  runsAnnounced: number;
}

/**
 * The longest a pass waits for a Deployment's budget to fit its
 * observation, as a share of the interval.
 */
const MAX_BUDGET_WAIT = 0.1;

/**
 * The share of the interval a pass spreads its Deployments over: the rest
 * is slack, so that a pass ends before the next is due (spread over the
 * whole interval, a pass ends as the next should start, which then starts
 * late and observes each Deployment a little less than once an interval).
 */
const SPREAD_SHARE = 0.9;

const realSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

function monitored(record: DeploymentRecord): MonitoredDeployment {
  return {
    id: record.id,
    organization: record.organization_name,
    workspace: record.workspace_name,
    name: record.name,
  };
}

/**
 * The monitoring pass: for each Deployment, one observation (Airflow's
 * health with the components' heartbeats, finished DAG runs since the
 * watermark, the import error count, queued tasks of worker queues at
 * their most workers; and what the cluster's watch caches and conditions
 * already tell), evaluated into incidents and recorded, with the runs it
 * announced, in the Deployment's history. Deployments are spread over
 * the interval, and every Airflow request is taken from the Deployment's
 * {@link AirflowRequestBudget}: a read the budget cannot pay waits for a
 * later pass, and the incidents that depend on it stay as they are.
 */
export class MonitoringPass {
  constructor(private readonly deps: MonitoringPassDeps) {}

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /** One pass over every Deployment that is not being deleted. */
  async run(): Promise<void> {
    const records = (await this.deps.db.deployments.listAll()).filter(
      record => !record.deletion_requested_at,
    );
    this.deps.budget.retain(new Set(records.map(r => r.id)));
    const sleep = this.deps.sleep ?? realSleep;
    const started = performance.now();
    const spreadMs =
      records.length > 0
        ? (this.deps.intervalMs * SPREAD_SHARE) / records.length
        : 0;
    for (const [index, record] of records.entries()) {
      const wait = started + index * spreadMs - performance.now();
      if (wait > 0) {
        await sleep(wait);
      }
      try {
        await this.observe(record);
      } catch (error) {
        this.deps.logger.warn(
          `Monitoring ${record.organization_name}/${record.name} failed: ${error}`,
        );
      }
    }
    await this.deps.health.deleteExpiredSamples();
    await this.deps.history?.deleteExpired(this.now());
  }

  /** Observes one Deployment and brings its incidents in line. */
  async observe(record: DeploymentRecord): Promise<DeploymentPassResult> {
    const { budget } = this.deps;
    const observation: DeploymentObservation = {
      now: this.now(),
      components: [],
      workerQueues: [],
      conditions: [],
      ...(this.deps.portalBaseUrl
        ? {
            portalUrl: `${
              this.deps.portalBaseUrl
            }/organizations/${encodeURIComponent(
              record.organization_name,
            )}/deployments/${encodeURIComponent(record.name)}`,
          }
        : {}),
    };
    let announced: FinishedRun[] = [];
    // Health, finished runs, import errors, and queued tasks of each queue
    // at its most workers: read all of them or none, so that frequent passes
    // cannot starve the later reads of the budget.
    const atMax = (
      this.deps.status.lastComponents(record.id)?.workerQueues ?? []
    ).filter(q => q.maxWorkers > 0 && q.desiredWorkers >= q.maxWorkers);
    // More queues at their maximum than the budget can pay: the first
    // ones are read, the others wait (their incidents stay as they are).
    const needed = Math.min(3 + atMax.length, budget.perMinute);
    if (record.status !== 'HIBERNATING') {
      // A pass may start a little less than a minute after the previous
      // one (the scheduler's polling): wait for the budget then, instead
      // of skipping the Deployment for a whole interval.
      const wait = budget.msUntil(record.id, needed);
      if (wait > 0 && wait <= this.deps.intervalMs * MAX_BUDGET_WAIT) {
        await (this.deps.sleep ?? realSleep)(wait);
      }
    }
    if (
      record.status !== 'HIBERNATING' &&
      budget.remaining(record.id) >= needed &&
      budget.take(record.id)
    ) {
      const probe = await this.deps.health.probe(record);
      if (probe) {
        observation.heartbeats = probe.heartbeats;
        announced = await this.readAirflow(record, observation);
      }
    }
    const status = await this.readCluster(record, observation);
    await this.recordHistory(record, observation, status, announced);
    const evaluation = evaluateIncidents(observation, this.deps.thresholds);
    const { opened, resolved } = await this.deps.tracker.sync(
      monitored(record),
      evaluation,
      observation.now,
    );
    return {
      observation,
      opened: opened.length,
      resolved: resolved.length,
      runsAnnounced: announced.length,
    };
  }

  /** Adds the observation and the runs it announced to the history. */
  private async recordHistory(
    record: DeploymentRecord,
    observation: DeploymentObservation,
    status: DeploymentRecord['status'],
    announced: FinishedRun[],
  ): Promise<void> {
    try {
      await this.deps.history?.record(
        record.id,
        observation,
        status,
        announced,
      );
    } catch (error) {
      this.deps.logger.warn(
        `Recording the history of ${record.organization_name}/${record.name} failed: ${error}`,
      );
    }
  }

  /**
   * What the watch caches and the stored conditions tell (no request);
   * returns the Deployment's current status.
   */
  private async readCluster(
    record: DeploymentRecord,
    observation: DeploymentObservation,
  ): Promise<DeploymentRecord['status']> {
    if (!this.deps.status.lastComponents(record.id)) {
      await this.deps.status.update(record.id);
    }
    const components = this.deps.status.lastComponents(record.id);
    observation.components = components?.components ?? [];
    observation.workerQueues = components?.workerQueues ?? [];
    // The probe may just have changed the status and its conditions.
    const current = await this.deps.db.deployments.getById(record.id);
    observation.conditions = JSON.parse(
      (current ?? record).conditions,
    ) as DeploymentCondition[];
    if (current?.airflow_url) {
      observation.airflowUrl = current.airflow_url;
    }
    return (current ?? record).status;
  }

  /**
   * The Airflow reads beyond health, each paid from the budget; returns the
   * finished runs this pass announced.
   */
  private async readAirflow(
    record: DeploymentRecord,
    observation: DeploymentObservation,
  ): Promise<FinishedRun[]> {
    const { budget } = this.deps;
    let connection: AirflowConnection;
    try {
      connection = await this.deps.connections.open(record);
    } catch {
      return [];
    }
    const { adapter } = connection;
    const call: AirflowCall = (method, path, body) => {
      if (!budget.take(record.id)) {
        throw new RequestBudgetSpent(record.id, budget.perMinute);
      }
      return connection.call(method, path, body);
    };
    const attempt = async <T>(what: string, read: () => Promise<T>) => {
      try {
        return await read();
      } catch (error) {
        if (!(error instanceof RequestBudgetSpent)) {
          this.deps.logger.debug(
            `Reading ${what} of ${record.organization_name}/${record.name} failed: ${error}`,
          );
        }
        return undefined;
      }
    };

    const announced = await attempt('finished DAG runs', () =>
      this.readFinishedRuns(record, observation, call, connection),
    );
    observation.importErrors = await attempt('import errors', () =>
      adapter.monitor.importErrorCount(call),
    );
    // Queued tasks only matter (and cost a request) where workers are at max.
    const components = this.deps.status.lastComponents(record.id);
    const atMax = (components?.workerQueues ?? []).filter(
      queue => queue.maxWorkers > 0 && queue.desiredWorkers >= queue.maxWorkers,
    );
    for (const queue of atMax) {
      const queued = await attempt(`queued tasks of ${queue.name}`, () =>
        adapter.monitor.queuedTaskCount(call, queue.name),
      );
      if (queued !== undefined) {
        observation.queuedTasks = {
          ...observation.queuedTasks,
          [queue.name]: queued,
        };
      }
    }
    return announced ?? [];
  }

  /**
   * Reads the runs finished since the watermark, moves it (compare-and-set:
   * a pass that loses learns the winner's watermark and announces nothing)
   * and announces the runs it is first to see (returned).
   */
  private async readFinishedRuns(
    record: DeploymentRecord,
    observation: DeploymentObservation,
    call: AirflowCall,
    connection: AirflowConnection,
  ): Promise<FinishedRun[]> {
    const { db, thresholds } = this.deps;
    const windowMs = thresholds.dagRunFailures.windowMs;
    const stored = await db.monitorWatermarks.get(record.id);
    const previous =
      stored?.watermark ?? initialWatermark(observation.now, windowMs);
    const { runs } = await connection.adapter.monitor.finishedRuns(
      call,
      new Date(previous.finishedThrough),
    );
    const { next, fresh } = advanceWatermark(
      previous,
      runs,
      observation.now,
      windowMs,
    );
    const won = await db.monitorWatermarks.advance(
      record.id,
      stored?.revision,
      next,
      observation.now,
    );
    const airflowUrl = record.airflow_url;
    const runUrl = (dagId: string, runId: string) =>
      airflowUrl
        ? connection.adapter.runUrl(airflowUrl, dagId, runId)
        : undefined;
    const current = won
      ? next
      : (await db.monitorWatermarks.get(record.id))?.watermark;
    observation.dagFailures = current ? dagFailuresOf(current, runUrl) : [];
    if (!won) {
      return [];
    }
    for (const run of fresh) {
      const url = runUrl(run.dagId, run.runId);
      await notifyListeners(
        this.deps.listeners,
        'dagRunFinished',
        {
          deploymentId: record.id,
          dagId: run.dagId,
          runId: run.runId,
          state: run.state,
          startDate: run.startDate,
          endDate: run.endDate,
          ...(url ? { url } : {}),
        },
        error => this.deps.logger.warn(`A DAG run listener failed: ${error}`),
      );
    }
    return fresh;
  }
}
