import cronstrue from 'cronstrue';
import { cronProblem } from '@airflow-portal/plugin-astro-common';

/**
 * A cron expression in words ("At 08:00 PM, Monday through Friday"), or
 * undefined when the shared schema refuses it (its message is shown then).
 */
export function describeCron(expression: string): string | undefined {
  if (expression.trim() === '' || cronProblem(expression)) {
    return undefined;
  }
  try {
    return cronstrue.toString(expression, { verbose: false });
  } catch {
    return undefined;
  }
}

/** A moment as the user's browser shows dates and times. */
export function formatMoment(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}
