import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { Engine } from '../engine/createEngine';
import { AstroDatabase } from '../store';
import {
  AirflowCredentialHeaders,
  AirflowHealthMonitor,
} from './AirflowHealthMonitor';
import { AirflowConnections } from './insight/AirflowConnections';
import {
  DEFAULT_THRESHOLDS,
  IncidentThresholds,
} from './incidents/evaluateIncidents';
import { IncidentTracker } from './incidents/IncidentTracker';
import { MonitorListener } from '../lib/MonitorListener';
import { AirflowRequestBudget } from './pass/AirflowRequestBudget';
import { MonitoringPass } from './pass/MonitoringPass';
import { HistoryRecorder } from './history/HistoryRecorder';
import { readHistorySettings } from './history/readHistorySettings';

/** The default of `astro.monitor.maxAirflowRequestsPerMinute`. */
export const DEFAULT_AIRFLOW_REQUESTS_PER_MINUTE = 4;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 60 },
  timeout: { minutes: 5 },
};

/** The monitoring pass, on top of a running engine. */
export interface Monitor {
  health: AirflowHealthMonitor;
  pass: MonitoringPass;
  /** Writes the Deployments' history; its settings bound what is served. */
  history: HistoryRecorder;
  /** Schedules the monitoring pass, once across replicas. */
  start(scheduler: SchedulerService): Promise<void>;
}

function positive(config: Config | undefined, key: string, fallback: number) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InputError(`astro.monitor.${key} must be a number above 0`);
  }
  return value;
}

/** Reads `astro.monitor.thresholds`. */
export function readThresholds(
  monitor: Config | undefined,
): IncidentThresholds {
  return {
    heartbeatMissingMs:
      positive(
        monitor,
        'thresholds.heartbeatMissingMinutes',
        DEFAULT_THRESHOLDS.heartbeatMissingMs / 60_000,
      ) * 60_000,
    dagRunFailures: {
      count: Math.ceil(
        positive(
          monitor,
          'thresholds.dagRunFailures.count',
          DEFAULT_THRESHOLDS.dagRunFailures.count,
        ),
      ),
      windowMs:
        positive(
          monitor,
          'thresholds.dagRunFailures.windowMinutes',
          DEFAULT_THRESHOLDS.dagRunFailures.windowMs / 60_000,
        ) * 60_000,
    },
  };
}

/** Builds the monitor from config (`astro.monitor.*`). */
export function createMonitor(options: {
  config: Config;
  logger: LoggerService;
  db: AstroDatabase;
  engine: Pick<Engine, 'watched' | 'status'>;
  /** The backend's service credential, sent with every Airflow request. */
  credentials: AirflowCredentialHeaders;
  /** Told of incidents opened and resolved, and of finished DAG runs. */
  listeners?: readonly MonitorListener[];
  /** The portal's frontend, for links in incidents. */
  portalBaseUrl?: string;
  clock?: () => Date;
}): Monitor {
  const { config, logger, db, engine, clock, credentials } = options;
  const monitorConfig = config.getOptionalConfig('astro.monitor');
  const schedule = monitorConfig?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        monitorConfig.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  // Deployments are spread over the pass's period (a cron: one minute).
  const intervalMs =
    'cron' in schedule.frequency
      ? 60_000
      : durationToMilliseconds(schedule.frequency as HumanDuration);
  const health = new AirflowHealthMonitor({
    db,
    watched: engine.watched,
    status: engine.status,
    logger,
    credentials,
    retentionMs:
      (monitorConfig?.getOptionalNumber('retentionHours') ?? 24) * 3_600_000,
    clock,
  });
  const listeners = options.listeners ?? [];
  const history = new HistoryRecorder({
    history: db.history,
    settings: readHistorySettings(monitorConfig),
  });
  const pass = new MonitoringPass({
    db,
    status: engine.status,
    health,
    connections: new AirflowConnections({
      watched: engine.watched,
      credentials,
    }),
    tracker: new IncidentTracker({ db, logger, listeners }),
    listeners,
    history,
    budget: new AirflowRequestBudget(
      Math.ceil(
        positive(
          monitorConfig,
          'maxAirflowRequestsPerMinute',
          DEFAULT_AIRFLOW_REQUESTS_PER_MINUTE,
        ),
      ),
    ),
    thresholds: readThresholds(monitorConfig),
    logger,
    intervalMs,
    portalBaseUrl: options.portalBaseUrl,
    clock,
  });
  return {
    health,
    pass,
    history,
    async start(scheduler) {
      await scheduler.scheduleTask({
        id: 'astro-airflow-health',
        scope: 'global',
        ...schedule,
        initialDelay: schedule.initialDelay ?? { seconds: 5 },
        fn: async () => {
          await pass.run();
        },
      });
    },
  };
}
