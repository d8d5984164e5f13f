import { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestSignals } from '../__testUtils__/signals';
import {
  LIVE_FALLBACK_POLL_MS,
  liveInterval,
  useLiveUpdates,
} from './useLiveUpdates';

const CHANNEL = 'astro:deployment:acme/etl';

function withSignals(signals: TestSignals) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[signalApiRef, signals]]}>
      {children}
    </TestApiProvider>
  );
}

describe('useLiveUpdates', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('calls back on every signal of its channel, and not on others', () => {
    const signals = new TestSignals();
    const onChange = jest.fn();
    renderHook(() => useLiveUpdates(CHANNEL, onChange), {
      wrapper: withSignals(signals),
    });
    act(() => signals.send(CHANNEL, { kinds: ['status'] }));
    act(() => signals.send(CHANNEL, { kinds: ['incident'] }));
    act(() => signals.send('astro:deployment:acme/other', { kinds: [] }));
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('is live while liveness signals arrive, reads once when it connects, and falls back when they stop', () => {
    const signals = new TestSignals();
    const onChange = jest.fn();
    const { result } = renderHook(() => useLiveUpdates(CHANNEL, onChange), {
      wrapper: withSignals(signals),
    });
    expect(result.current.live).toBe(false);
    expect(signals.channels()).toEqual([
      'astro:deployment:acme/etl',
      'astro:live',
    ]);

    act(() => signals.sendLive(10));
    expect(result.current.live).toBe(true);
    // A change may have happened while the socket was opening.
    expect(onChange).toHaveBeenCalledTimes(1);

    // Still live within 2.5 intervals of the last liveness signal.
    act(() => jest.advanceTimersByTime(20_000));
    act(() => signals.sendLive(10));
    act(() => jest.advanceTimersByTime(20_000));
    expect(result.current.live).toBe(true);
    act(() => jest.advanceTimersByTime(5_001));
    expect(result.current.live).toBe(false);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes when the page closes', () => {
    const signals = new TestSignals();
    const { unmount } = renderHook(() => useLiveUpdates(CHANNEL, jest.fn()), {
      wrapper: withSignals(signals),
    });
    unmount();
    expect(signals.channels()).toEqual([]);
  });

  it('is not live without the signals plugin or without a channel', () => {
    const onChange = jest.fn();
    const { result } = renderHook(() => useLiveUpdates(CHANNEL, onChange), {
      wrapper: ({ children }) => (
        <TestApiProvider apis={[]}>{children}</TestApiProvider>
      ),
    });
    expect(result.current.live).toBe(false);

    const signals = new TestSignals();
    const none = renderHook(() => useLiveUpdates(undefined, onChange), {
      wrapper: withSignals(signals),
    });
    act(() => signals.sendLive());
    expect(none.result.current.live).toBe(false);
    expect(signals.channels()).toEqual([]);
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('liveInterval', () => {
  it('slows polling to the fallback while live and keeps it otherwise', () => {
    expect(liveInterval(false, 3000)).toBe(3000);
    expect(liveInterval(true, 3000)).toBe(LIVE_FALLBACK_POLL_MS);
    expect(liveInterval(true, 120_000)).toBe(120_000);
    expect(liveInterval(true, null)).toBeNull();
  });
});
