import { useEffect, useRef, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  SignalApi,
  SignalSubscriber,
  signalApiRef,
} from '@backstage/plugin-signals-react';
import {
  ASTRO_LIVE_CHANNEL,
  AstroLiveSignal,
} from '@airflow-portal/plugin-astro-common';

/**
 * How often something that signals keep up to date is read anyway: a
 * fallback for a signal lost while the socket reconnected.
 */
export const LIVE_FALLBACK_POLL_MS = 60_000;

/**
 * Signals count as connected until this many of the backend's liveness
 * intervals have passed without one.
 */
const MISSED_LIVENESS_SIGNALS = 2.5;

/**
 * Whether liveness signals arrive, for every hook of the app that shares a
 * signal API: one subscription to {@link ASTRO_LIVE_CHANNEL} while any
 * page follows a channel, and what it last heard kept across navigation.
 */
class Liveness {
  private liveUntil = 0;
  private subscription?: SignalSubscriber;
  private expiry?: ReturnType<typeof setTimeout>;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: SignalApi) {}

  isLive(): boolean {
    return Date.now() < this.liveUntil;
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.subscription) {
      this.subscription = this.api.subscribe<AstroLiveSignal>(
        ASTRO_LIVE_CHANNEL,
        message => this.heard(message),
      );
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.subscription?.unsubscribe();
        this.subscription = undefined;
        clearTimeout(this.expiry);
      }
    };
  }

  private heard(message: AstroLiveSignal): void {
    const seconds = Number(message.intervalSeconds);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      return;
    }
    const wasLive = this.isLive();
    const validMs = seconds * 1000 * MISSED_LIVENESS_SIGNALS;
    this.liveUntil = Math.max(this.liveUntil, Date.now() + validMs);
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.notify(), this.liveUntil - Date.now());
    if (!wasLive) {
      this.notify();
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

const livenessOfApi = new WeakMap<SignalApi, Liveness>();

function livenessOf(api: SignalApi): Liveness {
  let liveness = livenessOfApi.get(api);
  if (!liveness) {
    liveness = new Liveness(api);
    livenessOfApi.set(api, liveness);
  }
  return liveness;
}

/**
 * Calls `onChange` whenever the Astro backend signals a change on
 * `channel` (see `astroDeploymentChannel` and `astroOrganizationChannel`),
 * and once when signals connect (a change may have happened while the
 * socket was opening). `live` says whether signals are connected: the
 * app has the signals plugin and the backend's liveness signal arrived
 * lately. Without a channel nothing is followed and `live` is false.
 */
export function useLiveUpdates(
  channel: string | undefined,
  onChange: () => void,
): { live: boolean } {
  const api = useApiHolder().get(signalApiRef);
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (!api || !channel) {
      return undefined;
    }
    const subscription = api.subscribe(channel, () => callback.current());
    return () => subscription.unsubscribe();
  }, [api, channel]);

  const [live, setLive] = useState(() =>
    api ? livenessOf(api).isLive() : false,
  );
  useEffect(() => {
    if (!api || !channel) {
      return undefined;
    }
    const liveness = livenessOf(api);
    setLive(liveness.isLive());
    return liveness.watch(() => setLive(liveness.isLive()));
  }, [api, channel]);

  const connected = Boolean(api && channel && live);
  const wasConnected = useRef(connected);
  useEffect(() => {
    if (connected && !wasConnected.current) {
      callback.current();
    }
    wasConnected.current = connected;
  }, [connected]);

  return { live: connected };
}

/**
 * The interval to poll at: `interval` without live signals, at least
 * {@link LIVE_FALLBACK_POLL_MS} with them; `null` (no polling) stays.
 */
export function liveInterval(
  live: boolean,
  interval: number | null,
): number | null {
  if (interval === null || !live) {
    return interval;
  }
  return Math.max(interval, LIVE_FALLBACK_POLL_MS);
}
