import {
  DeploymentHistory,
  DeploymentHistoryPoint,
} from '@airflow-portal/plugin-astro-common';

/** The ranges the History card offers. */
export const HISTORY_RANGES = {
  '24h': { label: '24 h', words: 'the last 24 hours', ms: 24 * 3_600_000 },
  '7d': { label: '7 d', words: 'the last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: '30 d', words: 'the last 30 days', ms: 30 * 86_400_000 },
} as const;

export type HistoryRangeKey = keyof typeof HISTORY_RANGES;

/** One bucket of the chart; a bucket without a point has only its time. */
export interface HistoryRow {
  /** Bucket start, epoch milliseconds. */
  t: number;
  point?: DeploymentHistoryPoint;
  /** Share of passes that found the Deployment healthy, 0–100. */
  healthyPercent?: number;
  success?: number;
  failed?: number;
  workersDesired?: number;
  workersReady?: number;
  schedulerAge?: number;
}

/**
 * Every bucket of the served range, oldest first, with the served points
 * in theirs: charts then show time evenly and leave gaps where nothing was
 * observed.
 */
export function historyRows(history: DeploymentHistory): HistoryRow[] {
  const bucketMs = history.bucketMinutes * 60_000;
  const byStart = new Map(
    history.points.map(p => [Date.parse(p.bucketStart), p]),
  );
  const first = Math.floor(Date.parse(history.since) / bucketMs) * bucketMs;
  const until = Date.parse(history.until);
  const rows: HistoryRow[] = [];
  for (let t = first; t < until; t += bucketMs) {
    const point = byStart.get(t);
    rows.push(point ? rowOf(t, point) : { t });
  }
  return rows;
}

function rowOf(t: number, point: DeploymentHistoryPoint): HistoryRow {
  return {
    t,
    point,
    ...(point.observations > 0
      ? {
          healthyPercent: Math.round(
            (point.healthyObservations / point.observations) * 100,
          ),
        }
      : {}),
    success: point.dagRunsSuccess,
    failed: point.dagRunsFailed,
    workersDesired: point.workersDesired,
    workersReady: point.workersReady,
    schedulerAge: point.schedulerHeartbeatAgeSeconds,
  };
}

/** "10:05" within a day, "Dec 3, 10:05" beyond. */
export function formatBucket(t: number, rangeMs: number): string {
  const date = new Date(t);
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
  if (rangeMs <= 86_400_000) {
    return time;
  }
  return `${date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
  })}, ${time}`;
}

/** "42 s", "7 min", "3 h". */
export function formatAge(seconds: number): string {
  if (seconds < 120) {
    return `${Math.round(seconds)} s`;
  }
  if (seconds < 7200) {
    return `${Math.round(seconds / 60)} min`;
  }
  return `${Math.round(seconds / 3600)} h`;
}

const observed = (history: DeploymentHistory) =>
  history.points.filter(p => p.observations > 0);

/** "Healthy in 280 of 288 passes (97 %), last seen HEALTHY." */
export function summarizeStatus(history: DeploymentHistory): string {
  const points = observed(history);
  const passes = points.reduce((n, p) => n + p.observations, 0);
  if (passes === 0) {
    return 'No monitoring pass observed the Deployment in this range.';
  }
  const healthy = points.reduce((n, p) => n + p.healthyObservations, 0);
  const last = points[points.length - 1].status;
  return `Healthy in ${healthy} of ${passes} monitoring passes (${Math.round(
    (healthy / passes) * 100,
  )} %)${last ? `, last seen ${last}` : ''}.`;
}

/** "120 DAG runs finished: 117 successful, 3 failed (most, 2, at 10:05)." */
export function summarizeRuns(
  history: DeploymentHistory,
  rangeMs: number,
): string {
  const success = history.points.reduce((n, p) => n + p.dagRunsSuccess, 0);
  const failed = history.points.reduce((n, p) => n + p.dagRunsFailed, 0);
  if (success + failed === 0) {
    return 'No DAG runs finished in this range.';
  }
  let worst: DeploymentHistoryPoint | undefined;
  for (const point of history.points) {
    if (point.dagRunsFailed > (worst?.dagRunsFailed ?? 0)) {
      worst = point;
    }
  }
  const runs = success + failed === 1 ? 'DAG run' : 'DAG runs';
  return `${
    success + failed
  } ${runs} finished: ${success} successful, ${failed} failed${
    worst
      ? ` (most failures, ${
          worst.dagRunsFailed
        }, in the bucket of ${formatBucket(
          Date.parse(worst.bucketStart),
          rangeMs,
        )})`
      : ''
  }.`;
}

/** "Ready workers between 1 and 4; at the end 2 ready of 3 wanted." */
export function summarizeWorkers(history: DeploymentHistory): string {
  const points = history.points.filter(p => p.workersReady !== undefined);
  if (points.length === 0) {
    return 'No worker replicas observed in this range.';
  }
  const ready = points.map(p => p.workersReady ?? 0);
  const [least, most] = [Math.min(...ready), Math.max(...ready)];
  const last = points[points.length - 1];
  return `${
    least === most
      ? `${least} ready workers throughout`
      : `Ready workers between ${least} and ${most}`
  }; at the end ${last.workersReady} ready of ${last.workersDesired} wanted.`;
}

/** "Scheduler heartbeat at most 8 s old; 3 s at the end." */
export function summarizeHeartbeat(history: DeploymentHistory): string {
  const points = history.points.filter(
    p => p.schedulerHeartbeatAgeSeconds !== undefined,
  );
  if (points.length === 0) {
    return 'No scheduler heartbeat read in this range.';
  }
  const ages = points.map(p => p.schedulerHeartbeatAgeSeconds ?? 0);
  return `Scheduler heartbeat at most ${formatAge(
    Math.max(...ages),
  )} old; ${formatAge(ages[ages.length - 1])} at the end.`;
}
