import { DependencyList, useCallback, useEffect, useState } from 'react';

/** A request taking longer than this is abandoned and asked again. */
const STALL_MS = 30_000;

/** What {@link usePolled} knows: the last value, the last error, and whether a read runs. */
export interface PolledState<T> {
  value?: T;
  /** The error of the last read; the last good value stays next to it. */
  error?: Error;
  loading: boolean;
  /** Reads again now. */
  retry: () => void;
}

/**
 * Reads a value and reads it again after `delay(value, error)` milliseconds
 * (or never, for `null`), one read at a time. Unlike `useAsyncRetry` a
 * failed refresh keeps the last value, and a stalled read does not stop
 * the polling.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  delay: (value: T | undefined, error: Error | undefined) => number | null,
): PolledState<T> {
  const [state, setState] = useState<Omit<PolledState<T>, 'retry'>>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const retry = useCallback(() => setTick(t => t + 1), []);

  useEffect(() => {
    let current = true;
    const stall = setTimeout(retry, STALL_MS);
    setState(s => ({ ...s, loading: true }));
    load().then(
      value => {
        clearTimeout(stall);
        if (current) {
          setState({ value, loading: false });
        }
      },
      error => {
        clearTimeout(stall);
        if (current) {
          setState(s => ({ value: s.value, error, loading: false }));
        }
      },
    );
    return () => {
      current = false;
      clearTimeout(stall);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const next = state.loading ? null : delay(state.value, state.error);
  useEffect(() => {
    if (next === null) {
      return undefined;
    }
    const timer = setTimeout(retry, next);
    return () => clearTimeout(timer);
  }, [next, retry, state]);

  return { ...state, retry };
}
