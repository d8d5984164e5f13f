/**
 * When a simulated DAG is due: its `schedule` (Airflow 3) or schedule /
 * `schedule_interval` (Airflow 2) read as a cron expression or one of
 * Airflow's presets, evaluated in UTC with the `cron` package. `None`,
 * `@continuous`, timedeltas, timetables and asset schedules make no
 * scheduled runs in the simulator; `@once` makes one.
 */
import { CronTime } from 'cron';
import { DagDefinition } from './dagFiles';

/** How the simulator schedules one DAG. */
export type RunSchedule =
  | { kind: 'none' }
  | { kind: 'once' }
  | { kind: 'cron'; expression: string; next(after: Date): Date };

/** Airflow's presets that are not plain cron aliases of the `cron` package. */
const PRESETS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/** The schedule a DAG runs on under an Airflow major version. */
export function runScheduleOf(
  dag: DagDefinition,
  airflowMajor: number,
): RunSchedule {
  let schedule = dag.schedule;
  if (airflowMajor < 3 && schedule.kind === 'absent') {
    schedule = dag.scheduleInterval;
  }
  if (schedule.kind === 'absent') {
    // Airflow 2 defaults to a daily schedule, Airflow 3 to none.
    return airflowMajor < 3 ? cronSchedule('0 0 * * *') : { kind: 'none' };
  }
  if (schedule.kind !== 'string') {
    return { kind: 'none' };
  }
  const value = schedule.value.trim();
  if (value === '@once') {
    return { kind: 'once' };
  }
  if (value === '@continuous') {
    return { kind: 'none' };
  }
  return cronSchedule(PRESETS[value] ?? value);
}

function cronSchedule(expression: string): RunSchedule {
  let time: CronTime;
  try {
    time = new CronTime(expression, 'UTC');
  } catch {
    // Airflow would report an import error; the simulator makes no runs.
    return { kind: 'none' };
  }
  return {
    kind: 'cron',
    expression,
    next: after => time.getNextDateFrom(after, 'UTC').toJSDate(),
  };
}
