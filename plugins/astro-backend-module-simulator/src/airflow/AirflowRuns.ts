/**
 * The simulated Airflow's DAG runs, version-neutral (see
 * `airflowRunShapes.ts` for Airflow 3's and Airflow 2's JSON). Its
 * scheduler runs on a {@link SimulatedClock}: each DAG that is neither
 * paused nor stale gets one scheduled run per tick of its schedule after
 * the moment the simulated Airflow first parsed it. A run is queued for
 * {@link QUEUE_SECONDS}, then runs for the DAG's outcome duration and ends
 * in the outcome's state; an outcome of `running` or `queued` keeps new
 * runs in that state. The outcome of a DAG (default: success after 60 s)
 * is set through the control API and applies to runs queued afterwards,
 * including runs that are cleared.
 *
 * Work is done lazily: the scheduler catches up whenever runs are read,
 * and before anything that changes what it would do (the clock moves, a
 * DAG is paused or unpaused, an outcome changes).
 */
import { DagDefinition } from './dagFiles';
import { runScheduleOf } from './dagSchedule';
import { SimulatedClock } from './SimulatedClock';

/** The states a simulated run can end in (or stay in). */
export type DagRunOutcomeState = 'success' | 'failed' | 'running' | 'queued';

/** What runs of a DAG do. */
export interface DagRunOutcome {
  state: DagRunOutcomeState;
  /** How long a run runs before it ends in `state`. */
  durationSeconds: number;
}

/** A DAG run's state, as Airflow names them. */
export type DagRunState = 'queued' | 'running' | 'success' | 'failed';

/** The default outcome: runs succeed after a minute. */
export const DEFAULT_OUTCOME: DagRunOutcome = {
  state: 'success',
  durationSeconds: 60,
};

/** Seconds a run stays queued before a (simulated) worker picks it up. */
export const QUEUE_SECONDS = 5;

/** Runs kept per DAG (the oldest go first), and made per catch-up. */
const RUNS_KEPT = 2000;

/** One DAG run. */
export interface RunRow {
  /** Insertion order, Airflow's `id`. */
  id: number;
  dagId: string;
  runId: string;
  runType: 'scheduled' | 'manual';
  triggeredBy: 'timetable' | 'rest_api';
  logicalDate: Date | null;
  dataIntervalStart: Date | null;
  dataIntervalEnd: Date | null;
  runAfter: Date;
  queuedAt: Date;
  conf: Record<string, unknown>;
  note: string | null;
  outcome: DagRunOutcome;
  /** Times the run was cleared. */
  clears: number;
}

/** A run as of a moment. */
export interface RunView {
  row: RunRow;
  state: DagRunState;
  startDate: Date | null;
  endDate: Date | null;
}

/** What the scheduler needs of a DAG. */
export interface ScheduledDag {
  definition: DagDefinition;
  isPaused: boolean;
  stale: boolean;
}

interface DagRunsState {
  /** The last moment the scheduler considered. */
  cursor: Date;
  /** The last tick a run was made for. */
  lastTick?: Date;
  runs: RunRow[];
}

interface NamespaceRuns {
  dags: Map<string, DagRunsState>;
  outcomes: Map<string, DagRunOutcome>;
}

/** Failure of a write that Airflow answers with 409. */
export class RunConflictError extends Error {}

/** Holds and advances the runs of every namespace. */
export class AirflowRuns {
  private readonly namespaces = new Map<string, NamespaceRuns>();
  private nextId = 1;
  private readonly unsubscribe: () => void;

  constructor(
    readonly clock: SimulatedClock,
    /** The DAGs of a namespace, as last parsed, with their major version. */
    private readonly dagsOf: (
      namespace: string,
    ) => { major: number; dags: ScheduledDag[] } | undefined,
  ) {
    this.unsubscribe = clock.beforeChange(() => this.catchUpAll());
  }

  stop(): void {
    this.unsubscribe();
  }

  reset(): void {
    this.namespaces.clear();
    this.nextId = 1;
  }

  /** Forgets a namespace (it was deleted). */
  forget(namespace: string): void {
    this.namespaces.delete(namespace);
  }

  /** The outcome runs of a DAG get. */
  outcome(namespace: string, dagId: string): DagRunOutcome {
    return this.ns(namespace).outcomes.get(dagId) ?? DEFAULT_OUTCOME;
  }

  /** Sets (or with `undefined` resets) the outcome of a DAG's next runs. */
  setOutcome(
    namespace: string,
    dagId: string,
    outcome: DagRunOutcome | undefined,
  ): DagRunOutcome {
    this.catchUp(namespace);
    const table = this.ns(namespace);
    if (outcome) {
      table.outcomes.set(dagId, { ...outcome });
    } else {
      table.outcomes.delete(dagId);
    }
    return this.outcome(namespace, dagId);
  }

  /** Runs the scheduler of one namespace up to the clock. */
  catchUp(namespace: string): void {
    const parsed = this.dagsOf(namespace);
    if (!parsed) {
      return;
    }
    const now = this.clock.now();
    const table = this.ns(namespace);
    for (const dag of parsed.dags) {
      if (dag.stale) {
        continue;
      }
      const dagId = dag.definition.dagId;
      let state = table.dags.get(dagId);
      const schedule = runScheduleOf(dag.definition, parsed.major);
      if (!state) {
        state = { cursor: now, runs: [] };
        table.dags.set(dagId, state);
        if (schedule.kind === 'once' && !dag.isPaused) {
          this.schedule(namespace, state, dagId, now, now);
        }
        continue;
      }
      if (dag.isPaused || schedule.kind !== 'cron') {
        state.cursor = now;
        continue;
      }
      const ticks: Date[] = [];
      let tick = schedule.next(state.cursor);
      while (tick.getTime() <= now.getTime()) {
        ticks.push(tick);
        if (ticks.length > RUNS_KEPT) {
          ticks.shift();
        }
        tick = schedule.next(tick);
      }
      for (const due of ticks) {
        const start = state.lastTick ?? previousTick(due, schedule.next);
        this.schedule(namespace, state, dagId, due, start);
        state.lastTick = due;
      }
      state.cursor = now;
    }
  }

  /** Marks that a DAG's paused state changes now. */
  beforePauseChange(namespace: string): void {
    this.catchUp(namespace);
  }

  /** Every run of a namespace as of now, oldest first. */
  list(namespace: string, dagId?: string): RunView[] {
    this.catchUp(namespace);
    const now = this.clock.now();
    const table = this.ns(namespace);
    const states = dagId
      ? [table.dags.get(dagId)].filter(s => s !== undefined)
      : [...table.dags.values()];
    return states
      .flatMap(state => state.runs)
      .sort((a, b) => a.id - b.id)
      .map(row => view(row, now));
  }

  /** One run as of now. */
  get(namespace: string, dagId: string, runId: string): RunView | undefined {
    return this.list(namespace, dagId).find(run => run.row.runId === runId);
  }

  /** Creates a manual run; throws {@link RunConflictError} on a taken run id. */
  trigger(
    namespace: string,
    dagId: string,
    input: {
      runId?: string;
      logicalDate: Date | null;
      conf?: Record<string, unknown>;
      note?: string | null;
      runIdTemplate: (date: Date) => string;
    },
  ): RunView {
    this.catchUp(namespace);
    const now = this.clock.now();
    const table = this.ns(namespace);
    let state = table.dags.get(dagId);
    if (!state) {
      state = { cursor: now, runs: [] };
      table.dags.set(dagId, state);
    }
    const runId = input.runId ?? input.runIdTemplate(input.logicalDate ?? now);
    if (state.runs.some(run => run.runId === runId)) {
      throw new RunConflictError(
        `DAG run ${runId} already exists for DAG ${dagId}`,
      );
    }
    if (
      input.logicalDate &&
      state.runs.some(
        run => run.logicalDate?.getTime() === input.logicalDate!.getTime(),
      )
    ) {
      throw new RunConflictError(
        `A DAG run with logical date ${input.logicalDate.toISOString()} already exists for DAG ${dagId}`,
      );
    }
    const row: RunRow = {
      id: this.nextId++,
      dagId,
      runId,
      runType: 'manual',
      triggeredBy: 'rest_api',
      logicalDate: input.logicalDate,
      dataIntervalStart: input.logicalDate,
      dataIntervalEnd: input.logicalDate,
      runAfter: input.logicalDate ?? now,
      queuedAt: now,
      conf: input.conf ?? {},
      note: input.note ?? null,
      outcome: this.outcome(namespace, dagId),
      clears: 0,
    };
    this.keep(state, row);
    return view(row, now);
  }

  /**
   * Clears a run: it is queued again now and runs with the DAG's current
   * outcome. With `onlyFailed`, only a failed run is cleared. Returns the
   * run as of now, and whether it was cleared.
   */
  clear(
    namespace: string,
    dagId: string,
    runId: string,
    options: { onlyFailed: boolean; dryRun: boolean },
  ): { run: RunView; cleared: boolean } | undefined {
    const current = this.get(namespace, dagId, runId);
    if (!current) {
      return undefined;
    }
    const clearable = !options.onlyFailed || current.state === 'failed';
    if (!clearable || options.dryRun) {
      return { run: current, cleared: clearable };
    }
    const now = this.clock.now();
    const { row } = current;
    row.queuedAt = now;
    row.outcome = this.outcome(namespace, dagId);
    row.clears += 1;
    return { run: view(row, now), cleared: true };
  }

  private schedule(
    namespace: string,
    state: DagRunsState,
    dagId: string,
    tick: Date,
    intervalStart: Date,
  ): void {
    this.keep(state, {
      id: this.nextId++,
      dagId,
      runId: `scheduled__${isoPlus(tick)}`,
      runType: 'scheduled',
      triggeredBy: 'timetable',
      logicalDate: tick,
      dataIntervalStart: intervalStart,
      dataIntervalEnd: tick,
      runAfter: tick,
      queuedAt: tick,
      conf: {},
      note: null,
      outcome: this.outcome(namespace, dagId),
      clears: 0,
    });
  }

  private keep(state: DagRunsState, row: RunRow): void {
    state.runs.push(row);
    if (state.runs.length > RUNS_KEPT) {
      state.runs.splice(0, state.runs.length - RUNS_KEPT);
    }
  }

  private catchUpAll(): void {
    for (const namespace of this.namespaces.keys()) {
      this.catchUp(namespace);
    }
  }

  private ns(namespace: string): NamespaceRuns {
    let table = this.namespaces.get(namespace);
    if (!table) {
      table = { dags: new Map(), outcomes: new Map() };
      this.namespaces.set(namespace, table);
    }
    return table;
  }
}

/** Python's `isoformat()` of a UTC time without fractions: `…T00:00:00+00:00`. */
export function isoPlus(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The tick before `tick`, found by stepping from one period before it. */
function previousTick(tick: Date, next: (after: Date) => Date): Date {
  const period = next(tick).getTime() - tick.getTime();
  const guess = new Date(tick.getTime() - period - 1);
  const candidate = next(guess);
  return candidate.getTime() < tick.getTime() ? candidate : guess;
}

/** A run's state at `now`. */
function view(row: RunRow, now: Date): RunView {
  const started = row.queuedAt.getTime() + QUEUE_SECONDS * 1000;
  const ended = started + row.outcome.durationSeconds * 1000;
  const at = now.getTime();
  if (row.outcome.state === 'queued' || at < started) {
    return { row, state: 'queued', startDate: null, endDate: null };
  }
  if (row.outcome.state === 'running' || at < ended) {
    return {
      row,
      state: 'running',
      startDate: new Date(started),
      endDate: null,
    };
  }
  return {
    row,
    state: row.outcome.state,
    startDate: new Date(started),
    endDate: new Date(ended),
  };
}
