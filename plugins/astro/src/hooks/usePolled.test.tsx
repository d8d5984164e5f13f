import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestSignals } from '../__testUtils__/signals';
import { usePolled } from './usePolled';
import { LIVE_FALLBACK_POLL_MS } from './useLiveUpdates';

const CHANNEL = 'astro:organization:acme';

function withSignals(signals: TestSignals) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[signalApiRef, signals]]}>
      {children}
    </TestApiProvider>
  );
}

/** A load whose reads the test finishes one by one. */
function controlledLoad() {
  const pending: Array<() => void> = [];
  let reads = 0;
  const load = jest.fn(
    () =>
      new Promise<number>(resolve => {
        reads += 1;
        const read = reads;
        pending.push(() => resolve(read));
      }),
  );
  const finish = async () => {
    await act(async () => pending.shift()!());
  };
  return { load, finish, pending };
}

describe('usePolled with a live channel', () => {
  it('reads once more after the read under way when signals arrive during it', async () => {
    const signals = new TestSignals();
    const { load, finish, pending } = controlledLoad();
    const { result } = renderHook(
      () => usePolled(load, [], () => null, { liveChannel: CHANNEL }),
      { wrapper: withSignals(signals) },
    );
    expect(load).toHaveBeenCalledTimes(1);
    // A burst during the first read: not restarted, one read after it.
    act(() => signals.send(CHANNEL, { kinds: ['status'] }));
    act(() => signals.send(CHANNEL, { kinds: ['status'] }));
    expect(load).toHaveBeenCalledTimes(1);
    await finish();
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    await finish();
    expect(result.current.value).toBe(2);
    expect(pending).toHaveLength(0);

    // A signal while idle reads at once.
    act(() => signals.send(CHANNEL, { kinds: ['status'] }));
    await waitFor(() => expect(load).toHaveBeenCalledTimes(3));
  });

  it('polls at the fallback interval while live and at its own interval otherwise', async () => {
    jest.useFakeTimers();
    try {
      const signals = new TestSignals();
      const load = jest.fn(async () => 1);
      renderHook(
        () => usePolled(load, [], () => 3000, { liveChannel: CHANNEL }),
        { wrapper: withSignals(signals) },
      );
      await act(async () => {});
      expect(load).toHaveBeenCalledTimes(1);
      await act(async () => jest.advanceTimersByTime(3000));
      expect(load).toHaveBeenCalledTimes(2);

      // Live: connecting reads once, then nothing until the fallback.
      await act(async () => signals.sendLive(LIVE_FALLBACK_POLL_MS / 1000));
      expect(load).toHaveBeenCalledTimes(3);
      await act(async () =>
        jest.advanceTimersByTime(LIVE_FALLBACK_POLL_MS - 1),
      );
      expect(load).toHaveBeenCalledTimes(3);
      await act(async () => jest.advanceTimersByTime(1));
      expect(load).toHaveBeenCalledTimes(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
