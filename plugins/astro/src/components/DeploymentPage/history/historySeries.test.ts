import { DeploymentHistory } from '@airflow-portal/plugin-astro-common';
import { formatAge, historyRows, summarizeRuns } from './historySeries';

const history = (points: DeploymentHistory['points']): DeploymentHistory => ({
  since: '2026-12-03T10:02:00.000Z',
  until: '2026-12-03T10:30:00.000Z',
  bucketMinutes: 10,
  retentionDays: 30,
  points,
});

describe('historyRows', () => {
  it('has a row for every bucket of the range, points in theirs, gaps empty', () => {
    const rows = historyRows(
      history([
        {
          bucketStart: '2026-12-03T10:10:00.000Z',
          status: 'UNHEALTHY',
          observations: 4,
          healthyObservations: 1,
          dagRunsSuccess: 2,
          dagRunsFailed: 1,
          workersReady: 1,
          workersDesired: 2,
        },
        {
          bucketStart: '2026-12-03T10:20:00.000Z',
          observations: 0,
          healthyObservations: 0,
          dagRunsSuccess: 1,
          dagRunsFailed: 0,
        },
      ]),
    );
    expect(rows.map(r => new Date(r.t).toISOString())).toEqual([
      '2026-12-03T10:00:00.000Z',
      '2026-12-03T10:10:00.000Z',
      '2026-12-03T10:20:00.000Z',
    ]);
    expect(rows[0]).toEqual({ t: Date.parse('2026-12-03T10:00:00.000Z') });
    expect(rows[1]).toMatchObject({
      healthyPercent: 25,
      success: 2,
      failed: 1,
      workersReady: 1,
      workersDesired: 2,
    });
    // Runs only: no health bar.
    expect(rows[2].healthyPercent).toBeUndefined();
    expect(rows[2].success).toBe(1);
  });
});

describe('summaries', () => {
  it('says when no run finished', () => {
    expect(summarizeRuns(history([]), 86_400_000)).toBe(
      'No DAG runs finished in this range.',
    );
  });

  it('formats ages in the unit that reads best', () => {
    expect([formatAge(4), formatAge(600), formatAge(4 * 3600)]).toEqual([
      '4 s',
      '10 min',
      '4 h',
    ]);
  });
});
