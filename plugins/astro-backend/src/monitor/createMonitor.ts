import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Engine } from '../engine/createEngine';
import { AstroDatabase } from '../store';
import {
  AirflowCredentialHeaders,
  AirflowHealthMonitor,
} from './AirflowHealthMonitor';

/** The Airflow health monitor, on top of a running engine. */
export interface Monitor {
  health: AirflowHealthMonitor;
  /** Schedules the health probes, once across replicas. */
  start(scheduler: SchedulerService): Promise<void>;
}

/** Builds the monitor from config (`astro.monitor.*`). */
export function createMonitor(options: {
  config: Config;
  logger: LoggerService;
  db: AstroDatabase;
  engine: Pick<Engine, 'watched' | 'status'>;
  /** The backend's service credential, sent with every probe. */
  credentials?: AirflowCredentialHeaders;
  clock?: () => Date;
}): Monitor {
  const { config, logger, db, engine, clock, credentials } = options;
  const monitorConfig = config.getOptionalConfig('astro.monitor');
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
  return {
    health,
    async start(scheduler) {
      const schedule = monitorConfig?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            monitorConfig.getConfig('schedule'),
          )
        : { frequency: { seconds: 30 }, timeout: { minutes: 5 } };
      await scheduler.scheduleTask({
        id: 'astro-airflow-health',
        scope: 'global',
        ...schedule,
        initialDelay: schedule.initialDelay ?? { seconds: 5 },
        fn: async () => {
          await health.probeAll();
        },
      });
    },
  };
}
