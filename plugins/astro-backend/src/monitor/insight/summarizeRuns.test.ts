import { summarizeRuns } from './summarizeRuns';
import { ParsedRun } from './types';

const NOW = new Date('2026-12-02T12:00:00Z');

function run(
  dagId: string,
  state: ParsedRun['state'],
  hoursAgo: number,
): ParsedRun {
  const at = new Date(NOW.getTime() - hoursAgo * 3600_000).toISOString();
  return {
    dagId,
    runId: `scheduled__${at}`,
    state,
    runType: 'scheduled',
    logicalDate: at,
    startDate: at,
    endDate: null,
    runAfter: at,
  };
}

describe('summarizeRuns', () => {
  it('counts runs over 24 hours and 7 days, per DAG, with the latest state and failures newest first', () => {
    const summary = summarizeRuns(
      [
        run('a', 'success', 30),
        run('a', 'failed', 2),
        run('a', 'success', 1),
        run('b', 'failed', 50),
        run('b', 'running', 0.1),
      ],
      NOW,
    );
    expect(summary.last24h).toEqual({
      queued: 0,
      running: 1,
      success: 1,
      failed: 1,
    });
    expect(summary.last7d).toEqual({
      queued: 0,
      running: 1,
      success: 2,
      failed: 2,
    });
    expect(summary.perDag.get('a')).toEqual({
      queued: 0,
      running: 0,
      success: 1,
      failed: 1,
    });
    expect(summary.lastState.get('a')).toBe('success');
    expect(summary.lastState.get('b')).toBe('running');
    expect(summary.failures.map(f => f.dagId)).toEqual(['a', 'b']);
  });

  it('lists at most ten failures', () => {
    const runs = Array.from({ length: 15 }, (_, i) => run('a', 'failed', i));
    expect(summarizeRuns(runs, NOW).failures).toHaveLength(10);
  });
});
