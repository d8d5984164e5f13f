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
}

/** How many upcoming transitions a plan lists. */
const UPCOMING_TRANSITIONS = 4;
/** How many candidate moments the search for transitions looks at. */
const MAX_CANDIDATES = 200;

interface ParsedSchedule {
  index: number;
  schedule: HibernationSchedule;
  hibernateAt: CronTime;
  wakeAt: CronTime;
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
        hibernateAt: new CronTime(schedule.hibernateAt, timeZone),
        wakeAt: new CronTime(schedule.wakeAt, timeZone),
      },
    ];
  });
}

/** The first moment strictly after `from` a cron expression fires. */
function nextFire(time: CronTime, from: Date, timeZone: string): Date {
  return time.getNextDateFrom(from, timeZone).toJSDate();
}

/**
 * A schedule is in its sleeping period when the next thing it does is to
 * wake up: its next wake comes before its next hibernation. At the very
 * minute a schedule fires its new state holds (the next fire of that
 * expression is the following one). When both fire in the same minute the
 * Deployment stays awake.
 */
function scheduleState(parsed: ParsedSchedule, now: Date) {
  const nextHibernate = nextFire(parsed.hibernateAt, now, parsed.timeZone);
  const nextWake = nextFire(parsed.wakeAt, now, parsed.timeZone);
  return {
    hibernating: nextWake.getTime() < nextHibernate.getTime(),
    nextHibernate,
    nextWake,
  };
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
  parsed: ParsedSchedule[],
  override: HibernationOverride | undefined,
  now: Date,
) {
  const candidates: Date[] = [];
  const active = activeOverride(override, now);
  if (active?.overrideUntil) {
    candidates.push(active.overrideUntil);
  }
  let sleeping: ParsedSchedule | undefined;
  for (const schedule of parsed) {
    const state = scheduleState(schedule, now);
    candidates.push(state.nextHibernate, state.nextWake);
    if (state.hibernating && !sleeping) {
      sleeping = schedule;
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
    source: parsed.length > 0 ? ('schedule' as const) : ('none' as const),
    reason:
      parsed.length > 0
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
  const parsed = parse(input.schedules);
  const first = evaluate(parsed, input.override, input.now);
  const upcoming: HibernationTransition[] = [];
  let state = first.hibernating;
  let cursor = first.next;
  for (
    let step = 0;
    cursor && step < MAX_CANDIDATES && upcoming.length < UPCOMING_TRANSITIONS;
    step++
  ) {
    const later = evaluate(parsed, input.override, cursor);
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
