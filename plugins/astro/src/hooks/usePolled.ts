import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { liveInterval, useLiveUpdates } from './useLiveUpdates';

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
  /** Whether signals of the live channel arrive (the poll is a fallback). */
  live: boolean;
}

/** Options of {@link usePolled}. */
export interface PolledOptions {
  /**
   * A signal channel whose signals mean the value changed: each one reads
   * the value again (after the read under way, if any), and while signals
   * arrive the poll slows down to the live fallback interval.
   */
  liveChannel?: string;
}

/**
 * Reads a value and reads it again after `delay(value, error)` milliseconds
 * (or never, for `null`), one read at a time. Unlike `useAsyncRetry` a
 * failed refresh keeps the last value, and a stalled read does not stop
 * the polling. With a live channel, its signals trigger the reads and the
 * poll is only a fallback (see {@link PolledOptions}).
 */
export function usePolled<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  delay: (value: T | undefined, error: Error | undefined) => number | null,
  options: PolledOptions = {},
): PolledState<T> {
  const [state, setState] = useState<Omit<PolledState<T>, 'retry' | 'live'>>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const retry = useCallback(() => setTick(t => t + 1), []);
  // A signal during a read asks for one more read after it: the read under
  // way may predate the change, and restarting it on every signal of a
  // burst could starve a slow read.
  const reading = useRef(false);
  const readAgain = useRef(false);
  const changed = useCallback(() => {
    if (reading.current) {
      readAgain.current = true;
    } else {
      retry();
    }
  }, [retry]);
  const { live } = useLiveUpdates(options.liveChannel, changed);

  useEffect(() => {
    let current = true;
    const stall = setTimeout(retry, STALL_MS);
    reading.current = true;
    readAgain.current = false;
    const settled = () => {
      clearTimeout(stall);
      if (!current) {
        return;
      }
      reading.current = false;
      if (readAgain.current) {
        readAgain.current = false;
        retry();
      }
    };
    setState(s => ({ ...s, loading: true }));
    load().then(
      value => {
        if (current) {
          setState({ value, loading: false });
        }
        settled();
      },
      error => {
        if (current) {
          setState(s => ({ value: s.value, error, loading: false }));
        }
        settled();
      },
    );
    return () => {
      current = false;
      clearTimeout(stall);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const next = state.loading
    ? null
    : liveInterval(live, delay(state.value, state.error));
  useEffect(() => {
    if (next === null) {
      return undefined;
    }
    const timer = setTimeout(retry, next);
    return () => clearTimeout(timer);
  }, [next, retry, state]);

  return { ...state, retry, live };
}
