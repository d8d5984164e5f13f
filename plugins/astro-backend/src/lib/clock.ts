import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/**
 * The time and timers of the plugin: what "now" is and a way to run
 * something at a given moment. Everything that decides by the time of day
 * (hibernation schedules, override expiry) reads it from here, so tests can
 * move time forward instead of waiting for it.
 */
export interface AstroClock {
  now(): Date;
  /**
   * Calls `fn` once the clock has reached `time` (soon when it already has).
   * Returns a function that cancels the call.
   */
  at(time: Date, fn: () => void): () => void;
}

/** Longest single timer; Node's setTimeout overflows beyond 2^31-1 ms. */
const MAX_TIMER_MS = 60 * 60 * 1000;

/** The wall clock, with timers that survive any distance into the future. */
export const systemClock: AstroClock = {
  now: () => new Date(),
  at(time, fn) {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      const delay = time.getTime() - Date.now();
      if (delay <= 0) {
        timer = setTimeout(() => {
          if (!cancelled) {
            fn();
          }
        }, 0);
        return;
      }
      // Long waits are split, so a far-away time neither overflows nor
      // drifts by much more than one step.
      timer = setTimeout(() => {
        if (!cancelled) {
          arm();
        }
      }, Math.min(delay, MAX_TIMER_MS));
      timer.unref?.();
    };
    arm();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  },
};

/**
 * The clock of the Astro backend plugin; the wall clock unless a test
 * installs another factory for it.
 */
export const astroClockServiceRef = createServiceRef<AstroClock>({
  id: 'astro.clock',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => systemClock,
    }),
});
