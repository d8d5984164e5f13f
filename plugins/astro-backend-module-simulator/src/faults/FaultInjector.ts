/**
 * Injected request failures and latency. (API unavailability and watch
 * drops act on connections and live in the HTTP server.)
 */
import { StatusError, statusErrors } from '../api/status';
import { API_VERBS, ApiVerb } from '../stats/RequestStats';
import { isRecord } from '../store/objects';

/**
 * Faults applied to API requests (not to the `/simulator/v1` control API).
 *
 * @public
 */
export interface FaultSettings {
  /** Probability from 0 to 1 that a request of a verb fails. */
  errorRates?: Partial<Record<ApiVerb, number>>;
  /** HTTP status of injected failures: 500 (default), 503 or 429. */
  errorStatus?: 500 | 503 | 429;
  /** Latency added before answering: for every verb, or per verb. */
  latencyMs?: number | Partial<Record<ApiVerb, number>>;
}

/** A small seeded generator, so that fault sequences can be repeated. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRate(verb: string, rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new TypeError(`errorRates.${verb} must be a number from 0 to 1`);
  }
  return rate;
}

function checkLatency(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 600_000)) {
    throw new TypeError(`${name} must be a number of milliseconds`);
  }
  return value;
}

/** Validates fault settings from an untrusted source (the control API). */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (!isRecord(input)) {
    throw new TypeError('fault settings must be an object');
  }
  const settings: FaultSettings = {};
  const { errorRates, errorStatus, latencyMs } = input;
  if (errorRates !== undefined) {
    if (!isRecord(errorRates)) {
      throw new TypeError('errorRates must be an object of verb to rate');
    }
    settings.errorRates = {};
    for (const [verb, rate] of Object.entries(errorRates)) {
      const known = API_VERBS.find(v => v === verb);
      if (!known) {
        throw new TypeError(`unknown verb in errorRates: ${verb}`);
      }
      settings.errorRates[known] = checkRate(verb, rate);
    }
  }
  if (errorStatus !== undefined) {
    if (errorStatus !== 500 && errorStatus !== 503 && errorStatus !== 429) {
      throw new TypeError('errorStatus must be 500, 503 or 429');
    }
    settings.errorStatus = errorStatus;
  }
  if (latencyMs !== undefined) {
    if (typeof latencyMs === 'number') {
      settings.latencyMs = checkLatency('latencyMs', latencyMs);
    } else if (isRecord(latencyMs)) {
      const perVerb: Partial<Record<ApiVerb, number>> = {};
      for (const [verb, value] of Object.entries(latencyMs)) {
        const known = API_VERBS.find(v => v === verb);
        if (!known) {
          throw new TypeError(`unknown verb in latencyMs: ${verb}`);
        }
        perVerb[known] = checkLatency(`latencyMs.${verb}`, value);
      }
      settings.latencyMs = perVerb;
    } else {
      throw new TypeError('latencyMs must be a number or an object');
    }
  }
  return settings;
}

/** Decides, per request, the injected latency and failure. */
export class FaultInjector {
  private current: FaultSettings = {};
  private readonly random: () => number;

  constructor(options: { seed?: number } = {}) {
    this.random = generator(options.seed ?? Date.now());
  }

  /** Replaces the fault settings. */
  configure(settings: FaultSettings): void {
    this.current = parseFaultSettings(settings);
  }

  clear(): void {
    this.current = {};
  }

  settings(): FaultSettings {
    return structuredClone(this.current);
  }

  latencyFor(verb: ApiVerb): number {
    const latency = this.current.latencyMs;
    if (typeof latency === 'number') {
      return latency;
    }
    return latency?.[verb] ?? 0;
  }

  /** The failure to answer a request with, if one is injected. */
  failureFor(verb: ApiVerb): StatusError | undefined {
    const rate = this.current.errorRates?.[verb] ?? 0;
    if (rate <= 0 || this.random() >= rate) {
      return undefined;
    }
    switch (this.current.errorStatus) {
      case 503:
        return statusErrors.serviceUnavailable(
          `injected fault: the simulator refused this ${verb} request`,
        );
      case 429:
        return statusErrors.tooManyRequests();
      default:
        return statusErrors.internal(
          `injected fault: the simulator failed this ${verb} request`,
        );
    }
  }
}
