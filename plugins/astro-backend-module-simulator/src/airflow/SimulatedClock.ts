/**
 * The simulated Airflow's clock: what its scheduler takes for "now" when
 * it decides which DAG runs are due and how far each has got. It follows
 * the wall clock from an offset, or stands still while frozen; tests move
 * it with {@link SimulatedClock.advance} or {@link SimulatedClock.set}.
 */

/** The clock's state, as the control API shows it. */
export interface SimulatedClockState {
  /** The simulated time, ISO 8601 in UTC. */
  now: string;
  /** Whether the clock stands still until moved. */
  frozen: boolean;
}

/** What moves the clock: an offset, a new time, or freezing/thawing. */
export interface ClockChange {
  /** Seconds to move forward (negative moves back). */
  advanceSeconds?: number;
  /** The new time (ISO 8601 or epoch milliseconds). */
  now?: string | number | Date;
  frozen?: boolean;
}

/** A clock that follows the wall clock from an offset, or stands still. */
export class SimulatedClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** The simulated time. */
  now(): Date {
    return new Date(this.frozenAt ?? this.wallClock() + this.offsetMs);
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  state(): SimulatedClockState {
    return { now: this.now().toISOString(), frozen: this.frozen };
  }

  /**
   * Calls `listener` just before the clock changes, so that work due at
   * the old time is done at the old time.
   */
  beforeChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Moves or freezes the clock; throws `TypeError` naming a bad field. */
  change(change: ClockChange): SimulatedClockState {
    const { advanceSeconds, now, frozen } = change;
    if (
      advanceSeconds !== undefined &&
      (typeof advanceSeconds !== 'number' || !Number.isFinite(advanceSeconds))
    ) {
      throw new TypeError('advanceSeconds must be a finite number of seconds');
    }
    let target: number | undefined;
    if (now !== undefined) {
      target = new Date(now).getTime();
      if (Number.isNaN(target)) {
        throw new TypeError('now must be an ISO 8601 date-time');
      }
    }
    if (frozen !== undefined && typeof frozen !== 'boolean') {
      throw new TypeError('frozen must be a boolean');
    }
    if (target !== undefined && advanceSeconds !== undefined) {
      throw new TypeError('give either now or advanceSeconds, not both');
    }
    for (const listener of this.listeners) {
      listener();
    }
    const wall = this.wallClock();
    let current = this.now().getTime();
    if (target !== undefined) {
      current = target;
    }
    if (advanceSeconds !== undefined) {
      current += advanceSeconds * 1000;
    }
    const freeze = frozen ?? this.frozen;
    if (freeze) {
      this.frozenAt = current;
    } else {
      this.frozenAt = undefined;
      this.offsetMs = current - wall;
    }
    return this.state();
  }

  /** Back to the wall clock. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
  }
}
