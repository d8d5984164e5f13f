import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** How history is bucketed and kept (`astro.monitor.history`). */
export interface HistorySettings {
  /** Length of one point. */
  bucketMs: number;
  /** How long points are kept. */
  retentionMs: number;
}

export const DEFAULT_HISTORY_BUCKET_MINUTES = 5;
export const DEFAULT_HISTORY_RETENTION_DAYS = 30;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Reads `astro.monitor.history`; a bad value names its key. */
export function readHistorySettings(
  monitor: Config | undefined,
): HistorySettings {
  const bucketMinutes =
    monitor?.getOptionalNumber('history.bucketMinutes') ??
    DEFAULT_HISTORY_BUCKET_MINUTES;
  if (
    !Number.isInteger(bucketMinutes) ||
    bucketMinutes < 1 ||
    bucketMinutes > 1440
  ) {
    throw new InputError(
      `astro.monitor.history.bucketMinutes must be a whole number of minutes from 1 to 1440, not ${bucketMinutes}`,
    );
  }
  const retentionDays =
    monitor?.getOptionalNumber('history.retentionDays') ??
    DEFAULT_HISTORY_RETENTION_DAYS;
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new InputError(
      `astro.monitor.history.retentionDays must be a number of days above 0, not ${retentionDays}`,
    );
  }
  if (retentionDays * DAY < bucketMinutes * MINUTE) {
    throw new InputError(
      `astro.monitor.history.retentionDays (${retentionDays}) must keep at least one bucket of astro.monitor.history.bucketMinutes (${bucketMinutes})`,
    );
  }
  return { bucketMs: bucketMinutes * MINUTE, retentionMs: retentionDays * DAY };
}
