import { createServiceFactory } from '@backstage/backend-plugin-api';
import { AstroClock, astroClockServiceRef } from '../lib/clock';

/**
 * A clock that only moves when a test moves it; timers due by then fire
 * (in time order) as it moves.
 */
export class ManualClock implements AstroClock {
  private current: number;
  private readonly timers = new Set<{ time: number; fn: () => void }>();

  constructor(start: Date | string = new Date()) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(time: Date, fn: () => void): () => void {
    const timer = { time: time.getTime(), fn };
    this.timers.add(timer);
    if (timer.time <= this.current) {
      this.fireDue();
    }
    return () => {
      this.timers.delete(timer);
    };
  }

  /** Moves the clock to `time` (never backwards), firing due timers. */
  set(time: Date | string): void {
    this.current = Math.max(this.current, new Date(time).getTime());
    this.fireDue();
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.set(new Date(this.current + ms));
  }

  /** How many timers wait (armed and not yet due). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** The earliest pending timer's time. */
  get nextTimerAt(): Date | undefined {
    const times = [...this.timers].map(t => t.time);
    return times.length > 0 ? new Date(Math.min(...times)) : undefined;
  }

  private fireDue() {
    const due = [...this.timers]
      .filter(timer => timer.time <= this.current)
      .sort((a, b) => a.time - b.time);
    for (const timer of due) {
      this.timers.delete(timer);
      // Asynchronously, as a real timer would.
      setImmediate(timer.fn);
    }
  }

  /** A service factory installing this clock in a test backend. */
  factory() {
    return createServiceFactory({
      service: astroClockServiceRef,
      deps: {},
      factory: () => this,
    });
  }
}
