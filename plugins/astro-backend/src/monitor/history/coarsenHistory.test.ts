import { DeploymentHistoryPoint } from '@airflow-portal/plugin-astro-common';
import { coarsenHistory } from './coarsenHistory';

const MIN = 60_000;
const T0 = Date.parse('2026-12-03T00:00:00.000Z');
const point = (
  minute: number,
  fields: Partial<DeploymentHistoryPoint> = {},
): DeploymentHistoryPoint => ({
  bucketStart: new Date(T0 + minute * MIN).toISOString(),
  status: 'HEALTHY',
  observations: 5,
  healthyObservations: 5,
  schedulerHeartbeatAgeSeconds: 4,
  dagRunsSuccess: 1,
  dagRunsFailed: 0,
  workersDesired: 1,
  workersReady: 1,
  ...fields,
});

describe('coarsenHistory', () => {
  it('leaves a range that fits as it is', () => {
    const points = [point(0), point(5)];
    const range = { since: new Date(T0), until: new Date(T0 + 24 * 60 * MIN) };
    expect(coarsenHistory(points, range, 5 * MIN)).toEqual({
      bucketMs: 5 * MIN,
      points,
    });
  });

  it('merges into whole multiples of the bucket so that at most maxPoints come back', () => {
    const range = { since: new Date(T0), until: new Date(T0 + 60 * MIN) };
    const points = [
      point(0, { dagRunsFailed: 2, schedulerHeartbeatAgeSeconds: 300 }),
      point(5, {
        status: 'UNHEALTHY',
        healthyObservations: 1,
        workersDesired: 3,
        workersReady: 2,
      }),
      // Runs only: no status, workers or heartbeats.
      {
        bucketStart: new Date(T0 + 10 * MIN).toISOString(),
        observations: 0,
        healthyObservations: 0,
        dagRunsSuccess: 4,
        dagRunsFailed: 1,
      },
      point(15),
    ];
    // 12 buckets of 5 min into at most 4 points: 15 min each.
    const served = coarsenHistory(points, range, 5 * MIN, 4);
    expect(served.bucketMs).toBe(15 * MIN);
    expect(served.points).toEqual([
      {
        bucketStart: new Date(T0).toISOString(),
        status: 'UNHEALTHY',
        observations: 10,
        healthyObservations: 6,
        schedulerHeartbeatAgeSeconds: 300,
        dagRunsSuccess: 6,
        dagRunsFailed: 3,
        workersDesired: 3,
        workersReady: 2,
      },
      { ...point(15) },
    ]);
  });
});
