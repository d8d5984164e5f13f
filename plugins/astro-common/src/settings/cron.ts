import { CronTime } from 'cron';

/*
 * Cron expressions of hibernation schedules are parsed by the `cron`
 * package (the one Backstage's scheduler uses), so that what the settings
 * accept is exactly what the backend's planner can evaluate.
 */

/** The time zone a schedule without one is read in. */
export const DEFAULT_SCHEDULE_TIME_ZONE = 'UTC';

/**
 * Why a time zone is refused, or undefined when it is an IANA name the
 * runtime knows (e.g. `Europe/Berlin`, `UTC`).
 *
 * @public
 */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    // The `cron` package checks the zone with Luxon, which asks Intl.
    new CronTime('0 0 * * *', timeZone).getNextDateFrom(new Date(), timeZone);
    return undefined;
  } catch {
    return `must be an IANA time zone name such as "UTC" or "Europe/Berlin" ("${timeZone}" is not one)`;
  }
}

/**
 * Why a cron expression of five fields (minute hour day-of-month month
 * day-of-week) is refused, or undefined when it is valid and fires at least
 * once. Names (`MON-FRI`, `JAN`) and steps (`*\/15`) are accepted.
 *
 * @public
 */
export function cronProblem(
  expression: string,
  timeZone: string = DEFAULT_SCHEDULE_TIME_ZONE,
): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must be a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "0 20 * * 1-5"; found ${fields.length}`;
  }
  let time: CronTime;
  try {
    time = new CronTime(fields.join(' '), timeZone);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `must be a valid cron expression (${message.replace(/\.$/, '')})`;
  }
  try {
    time.getNextDateFrom(new Date(), timeZone);
  } catch {
    return 'must be a cron expression that fires (this one never does)';
  }
  return undefined;
}
