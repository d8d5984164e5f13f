import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { MAX_PAGE_SIZE } from './AstroApiReader';

/** Settings of the entity provider, from `catalog.providers.astro`. */
export interface AstroProviderConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  pageSize: number;
  deltaDelayMs: number;
  appBaseUrl: string;
}

/** The full refresh runs every 5 minutes, once across replicas. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 3 },
  scope: 'global',
};

/** Reads `catalog.providers.astro` with its defaults. */
export function readAstroProviderConfig(config: Config): AstroProviderConfig {
  const provider = config.getOptionalConfig('catalog.providers.astro');
  const scheduleConfig = provider?.getOptionalConfig('schedule');
  const schedule = scheduleConfig
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
    : DEFAULT_SCHEDULE;
  const pageSize = provider?.getOptionalNumber('pageSize') ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new InputError(
      `catalog.providers.astro.pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  const deltaDelayMs = provider?.getOptionalNumber('deltaDelayMs') ?? 250;
  if (deltaDelayMs < 0 || deltaDelayMs > 60_000) {
    throw new InputError(
      'catalog.providers.astro.deltaDelayMs must be from 0 to 60000',
    );
  }
  return {
    enabled: provider?.getOptionalBoolean('enabled') ?? true,
    schedule: { ...schedule, scope: schedule.scope ?? 'global' },
    pageSize,
    deltaDelayMs,
    appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
  };
}
