import {
  ComponentStatus,
  DeploymentCondition,
  Incident,
  IncidentKind,
  WorkerQueueStatus,
} from '@airflow-portal/plugin-astro-common';
import { NewIncident } from '../../store';

/** A component's heartbeat as Airflow's health endpoint reports it. */
export interface HeartbeatReading {
  status: string | null;
  latestHeartbeat: string | null;
}

/** A DAG whose runs failed, as the monitoring pass remembers it. */
export interface DagFailures {
  dagId: string;
  /** End times of its failed runs inside the window. */
  failures: string[];
  lastState: 'success' | 'failed';
  /** Where its last failed run is shown. */
  lastFailedRunUrl?: string;
}

/**
 * What one monitoring pass observed of a Deployment. A field left out was
 * not read this time (Airflow not running, the request budget spent): the
 * incidents that depend on it stay as they are.
 */
export interface DeploymentObservation {
  now: Date;
  /** The Deployment's page in the portal, for links. */
  portalUrl?: string;
  /** Airflow's UI, for links. */
  airflowUrl?: string;
  /** From the cluster's watch caches. */
  components: ComponentStatus[];
  workerQueues: WorkerQueueStatus[];
  conditions: DeploymentCondition[];
  /** From Airflow's health endpoint; a component Airflow lacks is absent. */
  heartbeats?: {
    scheduler?: HeartbeatReading | null;
    triggerer?: HeartbeatReading | null;
    'dag-processor'?: HeartbeatReading | null;
  };
  importErrors?: number;
  /** DAGs with failures, from the finished runs read so far. */
  dagFailures?: DagFailures[];
  /** Tasks queued per worker queue, read only for queues at their most workers. */
  queuedTasks?: Record<string, number>;
}

/** Thresholds of the incidents (`astro.monitor.thresholds`). */
export interface IncidentThresholds {
  /** A component without a heartbeat for this long is missing. */
  heartbeatMissingMs: number;
  /** This many failed runs of one DAG within the window open an incident. */
  dagRunFailures: { count: number; windowMs: number };
}

export const DEFAULT_THRESHOLDS: IncidentThresholds = {
  heartbeatMissingMs: 10 * 60_000,
  dagRunFailures: { count: 3, windowMs: 60 * 60_000 },
};

/** What should be open, and which kinds could not be judged this time. */
export interface IncidentEvaluation {
  open: NewIncident[];
  /** Kinds whose observation is missing: their incidents stay as they are. */
  unknown: IncidentKind[];
}

function minutes(ms: number): string {
  if (ms < 120_000) {
    return `${Math.floor(ms / 1000)} s`;
  }
  const m = Math.floor(ms / 60_000);
  return m >= 120 ? `${Math.floor(m / 60)} h` : `${m} min`;
}

function heartbeatIncidents(
  observation: DeploymentObservation,
  thresholds: IncidentThresholds,
): NewIncident[] {
  const names = ['scheduler', 'triggerer', 'dag-processor'] as const;
  return names.flatMap(name => {
    const reading = observation.heartbeats?.[name];
    // Airflow has never seen this component (no triggerer yet): nothing to miss.
    if (!reading || (reading.status === null && name !== 'scheduler')) {
      return [];
    }
    const last = reading.latestHeartbeat
      ? Date.parse(reading.latestHeartbeat)
      : undefined;
    const silentMs =
      last === undefined ? undefined : observation.now.getTime() - last;
    if (silentMs !== undefined && silentMs < thresholds.heartbeatMissingMs) {
      return [];
    }
    if (silentMs === undefined && reading.status === 'healthy') {
      return [];
    }
    return [
      {
        kind: 'heartbeat-missing',
        subject: name,
        component: name,
        title: `The ${name} heartbeat is missing`,
        severity: name === 'scheduler' ? 'critical' : 'warning',
        message:
          silentMs === undefined
            ? `Airflow has no heartbeat of the ${name}`
            : `The ${name} has not heartbeated for ${minutes(
                silentMs,
              )} (last heartbeat ${
                reading.latestHeartbeat
              }; threshold ${minutes(thresholds.heartbeatMissingMs)})`,
        link: observation.portalUrl,
      },
    ];
  });
}

const QUOTA = /quota/i;

function componentIncidents(observation: DeploymentObservation): NewIncident[] {
  return observation.components
    .filter(component => component.state === 'Failed')
    .map(component => {
      const message = component.message ?? 'failing';
      if (QUOTA.test(message)) {
        return {
          kind: 'quota-blocked' as const,
          subject: component.name,
          component: component.name,
          title: `The resource quota blocks ${component.name}`,
          severity: 'critical' as const,
          message: `${component.name} cannot create pods: ${message}`,
          link: observation.portalUrl,
        };
      }
      return {
        kind: 'crash-loop' as const,
        subject: component.name,
        component: component.name,
        title: `${component.name} is failing`,
        severity: 'critical' as const,
        message: `${component.name} has ${component.readyReplicas}/${component.desiredReplicas} ready: ${message}`,
        link: observation.portalUrl,
      };
    });
}

function queueIncidents(observation: DeploymentObservation): NewIncident[] {
  return observation.workerQueues.flatMap(queue => {
    const queued = observation.queuedTasks?.[queue.name] ?? 0;
    const atMax =
      queue.maxWorkers > 0 && queue.desiredWorkers >= queue.maxWorkers;
    if (!atMax || queued === 0) {
      return [];
    }
    return [
      {
        kind: 'queue-at-capacity' as const,
        subject: queue.name,
        title: `Worker queue ${queue.name} is at capacity`,
        severity: 'warning' as const,
        message: `Worker queue ${queue.name} runs its most workers (${
          queue.maxWorkers
        }) and ${queued} task${
          queued === 1 ? '' : 's'
        } still wait; raise its maximum or its worker concurrency`,
        link: observation.portalUrl,
      },
    ];
  });
}

function conditionOf(
  observation: DeploymentObservation,
  type: string,
): DeploymentCondition | undefined {
  return observation.conditions.find(c => c.type === type);
}

function conditionIncidents(observation: DeploymentObservation): NewIncident[] {
  const found: NewIncident[] = [];
  const migration = conditionOf(observation, 'DatabaseMigration');
  const provisioning = conditionOf(observation, 'MigrationComplete');
  const migrationFailed =
    (migration?.status === 'False' && migration.reason === 'MigrationFailed') ||
    (provisioning?.status === 'False' &&
      /migration Job failed/.test(provisioning.message ?? ''));
  if (migrationFailed) {
    const message =
      migration?.status === 'False'
        ? migration.message ?? ''
        : provisioning?.message ?? '';
    found.push({
      kind: 'migration-failed',
      subject: '',
      title: 'The metadata database migration failed',
      severity: 'critical',
      // The first line: the log tail stays on the Deployment's condition.
      message: message.split('\n')[0],
      link: observation.portalUrl,
    });
  }
  const version = conditionOf(observation, 'AirflowVersionSupported');
  if (version?.status === 'False') {
    found.push({
      kind: 'version-deprecated',
      subject: '',
      title:
        version.reason === 'EndOfLife'
          ? 'The Airflow version is past end of life'
          : 'The Airflow version is deprecated',
      severity: version.reason === 'EndOfLife' ? 'critical' : 'warning',
      message: version.message ?? '',
      link: observation.portalUrl,
    });
  }
  return found;
}

function airflowIncidents(
  observation: DeploymentObservation,
  thresholds: IncidentThresholds,
): NewIncident[] {
  const found: NewIncident[] = [];
  const errors = observation.importErrors ?? 0;
  if (errors > 0) {
    found.push({
      kind: 'import-errors',
      subject: '',
      title: 'DAG import errors',
      severity: 'warning',
      message: `${errors} DAG file${
        errors === 1 ? ' fails' : 's fail'
      } to import`,
      link: observation.portalUrl,
    });
  }
  const { count, windowMs } = thresholds.dagRunFailures;
  const since = observation.now.getTime() - windowMs;
  for (const dag of observation.dagFailures ?? []) {
    const recent = dag.failures.filter(end => Date.parse(end) >= since);
    if (recent.length >= count && dag.lastState === 'failed') {
      found.push({
        kind: 'dag-run-failures',
        subject: dag.dagId,
        title: `DAG ${dag.dagId} keeps failing`,
        severity: 'warning',
        message: `${recent.length} runs of DAG ${
          dag.dagId
        } failed in the last ${minutes(windowMs)} (threshold ${count})`,
        link: dag.lastFailedRunUrl ?? observation.portalUrl,
      });
    }
  }
  return found;
}

/**
 * The incidents that should be open for what a pass observed: a pure
 * function, so that what opens an incident is tested without a cluster.
 */
export function evaluateIncidents(
  observation: DeploymentObservation,
  thresholds: IncidentThresholds = DEFAULT_THRESHOLDS,
): IncidentEvaluation {
  const unknown: IncidentKind[] = [];
  if (!observation.heartbeats) unknown.push('heartbeat-missing');
  if (observation.importErrors === undefined) unknown.push('import-errors');
  if (!observation.dagFailures) unknown.push('dag-run-failures');
  const atMax = observation.workerQueues.filter(
    q => q.maxWorkers > 0 && q.desiredWorkers >= q.maxWorkers,
  );
  if (atMax.some(q => observation.queuedTasks?.[q.name] === undefined)) {
    unknown.push('queue-at-capacity');
  }
  return {
    open: [
      ...heartbeatIncidents(observation, thresholds),
      ...componentIncidents(observation),
      ...queueIncidents(observation),
      ...conditionIncidents(observation),
      ...airflowIncidents(observation, thresholds),
    ],
    unknown,
  };
}

/** Whether an open incident tells something other than it should now. */
export function incidentChanged(open: Incident, wanted: NewIncident): boolean {
  return (
    open.message !== wanted.message ||
    open.severity !== wanted.severity ||
    open.title !== wanted.title.slice(0, 200) ||
    (open.link ?? undefined) !== (wanted.link ?? undefined)
  );
}
