import { DagDefinition } from './dagFiles';
import { AirflowRuns, QUEUE_SECONDS, ScheduledDag } from './AirflowRuns';
import { SimulatedClock } from './SimulatedClock';

const START = Date.parse('2026-03-01T00:00:00Z');

function dag(dagId: string, schedule?: string | null): DagDefinition {
  let kind: DagDefinition['schedule'];
  if (schedule === undefined) kind = { kind: 'absent' };
  else if (schedule === null) kind = { kind: 'none' };
  else kind = { kind: 'string', value: schedule };
  return {
    dagId,
    relativeFileloc: `${dagId}.py`,
    line: 1,
    tags: [],
    schedule: kind,
    scheduleInterval: { kind: 'absent' },
  };
}

describe('AirflowRuns (the simulated scheduler)', () => {
  let wall: number;
  let clock: SimulatedClock;
  let dags: ScheduledDag[];
  let major: number;
  let runs: AirflowRuns;

  beforeEach(() => {
    wall = START;
    clock = new SimulatedClock(() => wall);
    clock.change({ frozen: true });
    major = 3;
    dags = [
      { definition: dag('hourly', '@hourly'), isPaused: false, stale: false },
      {
        definition: dag('cron', '*/15 * * * *'),
        isPaused: false,
        stale: false,
      },
      { definition: dag('manual', null), isPaused: false, stale: false },
      { definition: dag('default'), isPaused: false, stale: false },
    ];
    runs = new AirflowRuns(clock, () => ({ major, dags }));
    runs.catchUp('ns');
  });

  afterEach(() => runs.stop());

  const states = (dagId: string) =>
    runs.list('ns', dagId).map(run => run.state);

  it('makes one run per schedule tick after the DAG was first seen; None schedules make none', () => {
    clock.change({ advanceSeconds: 3 * 3600 });
    const hourly = runs.list('ns', 'hourly');
    expect(hourly.map(run => run.row.runId)).toEqual([
      'scheduled__2026-03-01T01:00:00+00:00',
      'scheduled__2026-03-01T02:00:00+00:00',
      'scheduled__2026-03-01T03:00:00+00:00',
    ]);
    expect(hourly[1].row.dataIntervalStart?.toISOString()).toBe(
      '2026-03-01T01:00:00.000Z',
    );
    expect(runs.list('ns', 'cron')).toHaveLength(12);
    expect(runs.list('ns', 'manual')).toHaveLength(0);
    // Airflow 3 has no default schedule.
    expect(runs.list('ns', 'default')).toHaveLength(0);
  });

  it('schedules DAGs without a schedule daily on Airflow 2', () => {
    major = 2;
    runs.reset();
    runs.catchUp('ns');
    clock.change({ advanceSeconds: 2 * 86400 });
    expect(runs.list('ns', 'default')).toHaveLength(2);
  });

  it('moves runs through queued, running and the outcome state with its duration', () => {
    runs.setOutcome('ns', 'hourly', { state: 'failed', durationSeconds: 120 });
    clock.change({ advanceSeconds: 3600 });
    expect(states('hourly')).toEqual(['queued']);
    clock.change({ advanceSeconds: QUEUE_SECONDS });
    expect(states('hourly')).toEqual(['running']);
    clock.change({ advanceSeconds: 120 });
    const [run] = runs.list('ns', 'hourly');
    expect(run.state).toBe('failed');
    expect(run.endDate!.getTime() - run.startDate!.getTime()).toBe(120_000);
  });

  it('applies an outcome to runs queued after it is set, not before', () => {
    clock.change({ advanceSeconds: 3600 + 120 });
    runs.setOutcome('ns', 'hourly', { state: 'running', durationSeconds: 1 });
    clock.change({ advanceSeconds: 3600 });
    expect(states('hourly')).toEqual(['success', 'running']);
    runs.setOutcome('ns', 'hourly', { state: 'queued', durationSeconds: 1 });
    clock.change({ advanceSeconds: 3600 });
    expect(states('hourly')).toEqual(['success', 'running', 'queued']);
  });

  it('makes no runs while a DAG is paused, and none for the paused time afterwards', () => {
    clock.change({ advanceSeconds: 3600 });
    runs.beforePauseChange('ns');
    dags[0].isPaused = true;
    clock.change({ advanceSeconds: 5 * 3600 });
    expect(runs.list('ns', 'hourly')).toHaveLength(1);
    runs.beforePauseChange('ns');
    dags[0].isPaused = false;
    clock.change({ advanceSeconds: 3600 });
    expect(
      runs.list('ns', 'hourly').map(r => r.row.runAfter.toISOString()),
    ).toEqual(['2026-03-01T01:00:00.000Z', '2026-03-01T07:00:00.000Z']);
  });

  it('triggers manual runs and refuses a run id or logical date taken', () => {
    const run = runs.trigger('ns', 'manual', {
      logicalDate: null,
      conf: { full: true },
      runIdTemplate: date => `manual__${date.toISOString()}`,
    });
    expect(run.state).toBe('queued');
    expect(run.row).toMatchObject({ runType: 'manual', conf: { full: true } });
    expect(() =>
      runs.trigger('ns', 'manual', {
        runId: run.row.runId,
        logicalDate: null,
        runIdTemplate: () => 'x',
      }),
    ).toThrow(/already exists/);
    const dated = new Date('2026-02-01T00:00:00Z');
    runs.trigger('ns', 'manual', {
      logicalDate: dated,
      runIdTemplate: () => 'a',
    });
    expect(() =>
      runs.trigger('ns', 'manual', {
        logicalDate: dated,
        runIdTemplate: () => 'b',
      }),
    ).toThrow(/logical date/);
  });

  it('clears a failed run so that it runs again with the current outcome', () => {
    runs.setOutcome('ns', 'hourly', { state: 'failed', durationSeconds: 10 });
    clock.change({ advanceSeconds: 3600 + 60 });
    const [failed] = runs.list('ns', 'hourly');
    expect(failed.state).toBe('failed');
    runs.setOutcome('ns', 'hourly', undefined);
    const dry = runs.clear('ns', 'hourly', failed.row.runId, {
      onlyFailed: true,
      dryRun: true,
    });
    expect(dry).toMatchObject({ cleared: true, run: { state: 'failed' } });
    const cleared = runs.clear('ns', 'hourly', failed.row.runId, {
      onlyFailed: true,
      dryRun: false,
    });
    expect(cleared?.run.state).toBe('queued');
    clock.change({ advanceSeconds: QUEUE_SECONDS + 60 });
    expect(runs.get('ns', 'hourly', failed.row.runId)?.state).toBe('success');
    // A successful run is not cleared when only failed ones are asked for.
    expect(
      runs.clear('ns', 'hourly', failed.row.runId, {
        onlyFailed: true,
        dryRun: false,
      })?.cleared,
    ).toBe(false);
  });

  it('follows the wall clock unless frozen, and jumps to a given time', () => {
    clock.change({ frozen: false });
    wall += 7200 * 1000;
    expect(runs.list('ns', 'hourly')).toHaveLength(2);
    clock.change({ now: '2026-03-01T05:30:00Z', frozen: true });
    wall += 3600 * 1000;
    expect(clock.state()).toEqual({
      now: '2026-03-01T05:30:00.000Z',
      frozen: true,
    });
    expect(runs.list('ns', 'hourly')).toHaveLength(5);
    expect(() => clock.change({ advanceSeconds: Number.NaN })).toThrow(
      /advanceSeconds/,
    );
    expect(() => clock.change({ now: 'yesterday' })).toThrow(/now/);
  });
});
