import { CronTime } from 'cron';
import {
  DEFAULT_SCHEDULE_TIME_ZONE,
  HibernationSchedule,
} from '@airflow-portal/plugin-astro-common';

/**
 * A manual "hibernate until" / "stay awake until": it wins over the
 * schedules until `overrideUntil`, then expires by itself; without
 * `overrideUntil` it holds until removed.
 */
export interface HibernationOverride {
  isHibernating: boolean;
  overrideUntil?: Date;
}

/** A moment the Deployment goes to sleep or wakes up. */
export interface HibernationTransition {
  at: Date;
  hibernating: boolean;
}

/** What the planner concludes for one moment. */
export interface HibernationPlan {
  /** Whether the Deployment should be hibernating now. */
  hibernating: boolean;
  /** Why, in words (which override or schedule decides). */
  reason: string;
  /** What decides: an override in force, a schedule, or nothing. */
  source: 'override' | 'schedule' | 'none';
  /** The override in force now, if any (an expired one is not). */
  override?: HibernationOverride;
  /**
   * The next moment the answer may change (a schedule fires or the override
   * expires): the engine looks at the Deployment again exactly then.
   */
  nextEvaluationAt?: Date;
  /** The next moments the Deployment actually goes to sleep or wakes, in order. */
  upcoming: HibernationTransition[];
}

/** What the planner reads. */
export interface HibernationPlanInput {
  schedules: readonly HibernationSchedule[];
  override?: HibernationOverride;
  now: Date;
  /** How many upcoming transitions to list (4 by default; 0: none, cheaper). */
  upcoming?: number;
}

/** How many upcoming transitions a plan lists unless asked otherwise. */
const UPCOMING_TRANSITIONS = 4;
/** How many candidate moments the search for transitions looks at. */
const MAX_CANDIDATES = 200;

/** Windows kept per expression. */
const MAX_WINDOWS = 16;
/** Expressions kept; the least recently used goes first. */
const MAX_CLOCKS = 2000;

/** A cron expression in a time zone, with the fires it already computed. */
class CronClock {
  private readonly time: CronTime;
  /**
   * Known windows: for any moment in `[from, next)` the first fire strictly
   * after it is `next` (there is none in between). Computing a fire walks
   * the calendar and costs milliseconds; the periodic passes and the API
   * ask the same questions again and again.
   */
  private readonly windows: Array<{ from: number; next: number }> = [];

  constructor(expression: string, readonly timeZone: string) {
    this.time = new CronTime(expression, timeZone);
  }

  /** The first moment strictly after `from` the expression fires. */
  nextAfter(from: Date): Date {
    const t = from.getTime();
    const known = this.windows.find(w => w.from <= t && t < w.next);
    if (known) {
      return new Date(known.next);
    }
    const next = this.time.getNextDateFrom(from, this.timeZone).toJSDate();
    this.windows.push({ from: t, next: next.getTime() });
    if (this.windows.length > MAX_WINDOWS) {
      this.windows.shift();
    }
    return next;
  }
}

const clocks = new Map<string, CronClock>();

function cronClock(expression: string, timeZone: string): CronClock {
  const key = `${timeZone} ${expression}`;
  let clock = clocks.get(key);
  if (clock) {
    clocks.delete(key);
  } else {
    clock = new CronClock(expression, timeZone);
    if (clocks.size >= MAX_CLOCKS) {
      clocks.delete(clocks.keys().next().value!);
    }
  }
  clocks.set(key, clock);
  return clock;
}

interface ParsedSchedule {
  index: number;
  schedule: HibernationSchedule;
  hibernateAt: CronClock;
  wakeAt: CronClock;
  timeZone: string;
}

function parse(schedules: readonly HibernationSchedule[]): ParsedSchedule[] {
  return schedules.flatMap((schedule, index) => {
    if (!schedule.enabled) {
      return [];
    }
    const timeZone = schedule.timeZone ?? DEFAULT_SCHEDULE_TIME_ZONE;
    return [
      {
        index,
        schedule,
        timeZone,
        hibernateAt: cronClock(schedule.hibernateAt, timeZone),
        wakeAt: cronClock(schedule.wakeAt, timeZone),
      },
    ];
  });
}

/**
 * Where a schedule stands at a moment: its next hibernation and its next
 * wake-up, each the first fire strictly after that moment. It is in its
 * sleeping period when the next thing it does is to wake up. At the very
 * minute a schedule fires its new state holds (the next fire of that
 * expression is the following one). When both fire in the same minute the
 * Deployment stays awake.
 */
interface ScheduleCursor {
  parsed: ParsedSchedule;
  nextHibernate: Date;
  nextWake: Date;
}

function cursorsAt(parsed: ParsedSchedule[], now: Date): ScheduleCursor[] {
  return parsed.map(p => ({
    parsed: p,
    nextHibernate: p.hibernateAt.nextAfter(now),
    nextWake: p.wakeAt.nextAfter(now),
  }));
}

/**
 * Moves cursors to a later moment, recomputing only the fires that moment
 * reached (computing a fire walks the calendar, so it is not free).
 */
function advance(cursors: ScheduleCursor[], to: Date): void {
  for (const cursor of cursors) {
    if (cursor.nextHibernate <= to) {
      cursor.nextHibernate = cursor.parsed.hibernateAt.nextAfter(to);
    }
    if (cursor.nextWake <= to) {
      cursor.nextWake = cursor.parsed.wakeAt.nextAfter(to);
    }
  }
}

function describe(parsed: ParsedSchedule): string {
  const name = parsed.schedule.description
    ? `"${parsed.schedule.description}"`
    : `${parsed.index + 1}`;
  return `hibernation schedule ${name} (${parsed.schedule.hibernateAt} → ${parsed.schedule.wakeAt}, ${parsed.timeZone})`;
}

function activeOverride(
  override: HibernationOverride | undefined,
  now: Date,
): HibernationOverride | undefined {
  if (!override) {
    return undefined;
  }
  if (override.overrideUntil && override.overrideUntil <= now) {
    return undefined;
  }
  return override;
}

/** The state at one moment and the moments it may next change. */
function evaluate(
  cursors: ScheduleCursor[],
  override: HibernationOverride | undefined,
  now: Date,
) {
  const candidates: Date[] = [];
  const active = activeOverride(override, now);
  if (active?.overrideUntil) {
    candidates.push(active.overrideUntil);
  }
  let sleeping: ParsedSchedule | undefined;
  for (const cursor of cursors) {
    candidates.push(cursor.nextHibernate, cursor.nextWake);
    if (!sleeping && cursor.nextWake < cursor.nextHibernate) {
      sleeping = cursor.parsed;
    }
  }
  // An override without an end holds until it is removed: nothing to wait for.
  const open = active !== undefined && active.overrideUntil === undefined;
  const next = open
    ? undefined
    : candidates.reduce<Date | undefined>(
        (earliest, candidate) =>
          !earliest || candidate < earliest ? candidate : earliest,
        undefined,
      );
  if (active) {
    const until = active.overrideUntil
      ? ` until ${active.overrideUntil.toISOString()}`
      : ' until the override is removed';
    return {
      hibernating: active.isHibernating,
      source: 'override' as const,
      reason: active.isHibernating
        ? `Hibernating by override${until}`
        : `Kept awake by override${until}`,
      override: active,
      next,
    };
  }
  if (sleeping) {
    return {
      hibernating: true,
      source: 'schedule' as const,
      reason: `Hibernating by ${describe(sleeping)}`,
      next,
    };
  }
  return {
    hibernating: false,
    source: cursors.length > 0 ? ('schedule' as const) : ('none' as const),
    reason:
      cursors.length > 0
        ? 'Awake: no hibernation schedule is in its sleeping period'
        : 'Awake: no hibernation schedule is enabled',
    next,
  };
}

/**
 * Decides whether a Deployment hibernates at `now`: an override in force
 * wins; otherwise the Deployment sleeps while any enabled schedule is in its
 * sleeping period (overlapping schedules add up). Disabled schedules do
 * nothing. A pure function of its input: the clock is the caller's.
 */
export function planHibernation(input: HibernationPlanInput): HibernationPlan {
  const cursors = cursorsAt(parse(input.schedules), input.now);
  const first = evaluate(cursors, input.override, input.now);
  const wanted = input.upcoming ?? UPCOMING_TRANSITIONS;
  const upcoming: HibernationTransition[] = [];
  let state = first.hibernating;
  let cursor = first.next;
  for (
    let step = 0;
    cursor && step < MAX_CANDIDATES && upcoming.length < wanted;
    step++
  ) {
    advance(cursors, cursor);
    const later = evaluate(cursors, input.override, cursor);
    if (later.hibernating !== state) {
      upcoming.push({ at: cursor, hibernating: later.hibernating });
      state = later.hibernating;
    }
    cursor = later.next;
  }
  return {
    hibernating: first.hibernating,
    reason: first.reason,
    source: first.source,
    ...(first.override ? { override: first.override } : {}),
    ...(first.next ? { nextEvaluationAt: first.next } : {}),
    upcoming,
  };
}
