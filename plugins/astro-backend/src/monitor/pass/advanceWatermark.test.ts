import { ParsedRun } from '../insight/types';
import {
  advanceWatermark,
  dagFailuresOf,
  initialWatermark,
} from './advanceWatermark';

const HOUR = 3_600_000;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const at = (minutes: number) =>
  new Date(NOW.getTime() + minutes * 60_000).toISOString();

function run(
  runId: string,
  state: ParsedRun['state'],
  endMinutes: number | null,
  dagId = 'etl',
): ParsedRun {
  return {
    dagId,
    runId,
    state,
    runType: 'scheduled',
    logicalDate: null,
    startDate: at(-120),
    endDate: endMinutes === null ? null : at(endMinutes),
    runAfter: at(-120),
  };
}

describe('advanceWatermark', () => {
  it('starts a window back, so recent failures count', () => {
    expect(initialWatermark(NOW, HOUR).finishedThrough).toBe(at(-60));
  });

  it('announces each finished run once, even runs ending at the watermark instant', () => {
    const first = advanceWatermark(
      initialWatermark(NOW, HOUR),
      [
        run('a', 'failed', -30),
        run('b', 'success', -10),
        run('q', 'running', null),
      ],
      NOW,
      HOUR,
    );
    expect(first.fresh.map(r => r.runId)).toEqual(['a', 'b']);
    expect(first.next.finishedThrough).toBe(at(-10));
    expect(first.next.seenAtThrough).toEqual(['etl/b']);

    // Airflow answers end_date >= watermark: run b comes again, with c at the same instant.
    const second = advanceWatermark(
      first.next,
      [run('b', 'success', -10), run('c', 'failed', -10)],
      NOW,
      HOUR,
    );
    expect(second.fresh.map(r => r.runId)).toEqual(['c']);
    expect(second.next.seenAtThrough.sort()).toEqual(['etl/b', 'etl/c']);

    const third = advanceWatermark(
      second.next,
      [run('b', 'success', -10)],
      NOW,
      HOUR,
    );
    expect(third.fresh).toEqual([]);
    expect(third.next).toEqual(second.next);
  });

  it('remembers failures inside the window and the last state per DAG', () => {
    const { next } = advanceWatermark(
      initialWatermark(NOW, HOUR),
      [
        run('a', 'failed', -50),
        run('b', 'failed', -40),
        run('c', 'failed', -30),
        run('x', 'success', -20, 'other'),
      ],
      NOW,
      HOUR,
    );
    expect(next.dags).toEqual({
      etl: {
        failures: [at(-50), at(-40), at(-30)],
        lastState: 'failed',
        lastFailedRunId: 'c',
      },
    });
    expect(
      dagFailuresOf(next, (dag, id) => `http://airflow/dags/${dag}/runs/${id}`),
    ).toEqual([
      {
        dagId: 'etl',
        failures: [at(-50), at(-40), at(-30)],
        lastState: 'failed',
        lastFailedRunUrl: 'http://airflow/dags/etl/runs/c',
      },
    ]);

    // A success afterwards; 30 minutes later the oldest failures leave the window.
    const later = new Date(NOW.getTime() + 15 * 60_000);
    const recovered = advanceWatermark(
      next,
      [run('d', 'success', 5)],
      later,
      HOUR,
    );
    expect(recovered.next.dags.etl).toEqual({
      failures: [at(-40), at(-30)],
      lastState: 'success',
      lastFailedRunId: 'c',
    });
    const quiet = advanceWatermark(
      recovered.next,
      [],
      new Date(NOW.getTime() + 2 * HOUR),
      HOUR,
    );
    expect(quiet.next.dags).toEqual({});
  });
});
