import { DeploymentHistoryPoint } from '@airflow-portal/plugin-astro-common';

/** Most points one history response holds. */
export const MAX_HISTORY_POINTS = 400;

function merge(
  a: DeploymentHistoryPoint,
  b: DeploymentHistoryPoint,
): DeploymentHistoryPoint {
  const oldest = (key: keyof DeploymentHistoryPoint) => {
    const values = [a[key], b[key]].filter(
      (v): v is number => typeof v === 'number',
    );
    return values.length > 0 ? { [key]: Math.max(...values) } : {};
  };
  const latest = (key: keyof DeploymentHistoryPoint) => {
    const value = b[key] ?? a[key];
    return value === undefined ? {} : { [key]: value };
  };
  return {
    bucketStart: a.bucketStart,
    ...latest('status'),
    observations: a.observations + b.observations,
    healthyObservations: a.healthyObservations + b.healthyObservations,
    ...oldest('schedulerHeartbeatAgeSeconds'),
    ...oldest('triggererHeartbeatAgeSeconds'),
    ...oldest('dagProcessorHeartbeatAgeSeconds'),
    dagRunsSuccess: a.dagRunsSuccess + b.dagRunsSuccess,
    dagRunsFailed: a.dagRunsFailed + b.dagRunsFailed,
    ...latest('workersDesired'),
    ...latest('workersReady'),
  };
}

/**
 * Serves a long range in coarser buckets, a whole multiple of the stored
 * bucket, so that at most `maxPoints` come back: counts are added up, the
 * oldest heartbeat age kept, and status and workers taken from the latest
 * point that has them. Points must be oldest first.
 */
export function coarsenHistory(
  points: DeploymentHistoryPoint[],
  range: { since: Date; until: Date },
  bucketMs: number,
  maxPoints = MAX_HISTORY_POINTS,
): { bucketMs: number; points: DeploymentHistoryPoint[] } {
  const buckets = (range.until.getTime() - range.since.getTime()) / bucketMs;
  const factor = Math.max(1, Math.ceil(buckets / maxPoints));
  if (factor === 1) {
    return { bucketMs, points };
  }
  const coarseMs = bucketMs * factor;
  const merged: DeploymentHistoryPoint[] = [];
  let currentStart: number | undefined;
  for (const point of points) {
    const start =
      Math.floor(Date.parse(point.bucketStart) / coarseMs) * coarseMs;
    const moved = { ...point, bucketStart: new Date(start).toISOString() };
    if (start === currentStart) {
      merged[merged.length - 1] = merge(merged[merged.length - 1], moved);
    } else {
      merged.push(moved);
      currentStart = start;
    }
  }
  return { bucketMs: coarseMs, points: merged };
}
