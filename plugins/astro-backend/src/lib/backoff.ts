/**
 * Exponential backoff with jitter, shared by everything that retries: the
 * reconcile loop between failed passes of a Deployment, and informers
 * between failed lists or watches.
 */

/** How retry delays grow. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  initialMs: number;
  /** Largest delay, in milliseconds. */
  maxMs: number;
  /**
   * Share of each delay that is random, from 0 (none) to 1: with 0.5 a
   * delay of 10 s becomes one between 5 and 10 s. Spreads the retries of
   * many callers that failed at the same moment (one cluster going down
   * fails every informer and every Deployment on it at once).
   * @defaultValue 0.5
   */
  jitter?: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry):
 * `initialMs * 2^(attempt - 1)`, capped at `maxMs`, minus a random share
 * of up to `jitter` of it. Never more than `maxMs`, never negative.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const capped = Math.max(
    0,
    Math.min(options.maxMs, options.initialMs * 2 ** exponent),
  );
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  return Math.round(capped * (1 - jitter * random()));
}
