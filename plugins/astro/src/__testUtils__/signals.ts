import { SignalApi } from '@backstage/plugin-signals-react';

type Listener = (message: object) => void;

/**
 * An in-memory signal API for tests: what the signals plugin's client
 * does once its socket is open, without the socket. Tests send signals
 * with `send` and see who listens with `channels`.
 */
export class TestSignals implements SignalApi {
  private readonly subscribers = new Map<string, Set<Listener>>();

  subscribe: SignalApi['subscribe'] = (channel, onMessage) => {
    // The messages tests send are the JSON the backend would send.
    const callback = onMessage as unknown as Listener;
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
    }
    set.add(callback);
    return {
      unsubscribe: () => {
        set!.delete(callback);
        if (set!.size === 0) {
          this.subscribers.delete(channel);
        }
      },
    };
  };

  /** Delivers a message to the subscribers of a channel. */
  send(channel: string, message: object): void {
    for (const callback of [...(this.subscribers.get(channel) ?? [])]) {
      callback(message);
    }
  }

  /** The backend's liveness signal. */
  sendLive(intervalSeconds = 15): void {
    this.send('astro:live', { intervalSeconds });
  }

  /** The channels somebody listens to. */
  channels(): string[] {
    return [...this.subscribers.keys()].sort();
  }
}
