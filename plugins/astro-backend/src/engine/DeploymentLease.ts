import { ClusterClient } from '@airflow-portal/plugin-astro-node';
import { CustomErrorBase } from '@backstage/errors';
import { EngineStateStore } from '../store';

/**
 * The reason a pass is aborted when its backend no longer holds the
 * Deployment's lease: another backend may be working on it now.
 */
export class LeaseLostError extends CustomErrorBase {
  name = 'LeaseLostError' as const;
}

/** A lease held while a pass runs, renewed until `stop()`. */
export interface HeldLease {
  /** Aborted, with a {@link LeaseLostError}, once the lease is lost. */
  readonly signal: AbortSignal;
  /** Stops renewing (the pass is over). */
  stop(): void;
}

/**
 * Keeps a just-acquired lease for as long as a pass runs: it is renewed
 * every third of its TTL, so a pass longer than the TTL (a slow cluster,
 * many applies) is not taken over by another backend halfway through.
 * When a renewal finds the lease gone (it expired and another backend took
 * it, or this backend handed its leases back on shutdown), or renewals
 * keep failing until the lease would have expired, the signal aborts.
 */
export function holdLease(options: {
  store: Pick<EngineStateStore, 'renewLease'>;
  deploymentId: string;
  owner: string;
  ttlMs: number;
  /** When the lease was acquired (it expires `ttlMs` later). */
  acquiredAt: Date;
  now: () => Date;
}): HeldLease {
  const { store, deploymentId, owner, ttlMs } = options;
  const controller = new AbortController();
  let expiresAt = options.acquiredAt.getTime() + ttlMs;
  let renewing = false;
  const lose = (message: string) => {
    if (!controller.signal.aborted) {
      controller.abort(new LeaseLostError(message));
    }
  };
  const renew = async () => {
    if (renewing || controller.signal.aborted) {
      return;
    }
    renewing = true;
    const now = options.now();
    try {
      if (await store.renewLease(deploymentId, owner, now, ttlMs)) {
        expiresAt = now.getTime() + ttlMs;
      } else {
        lose(
          `The lease of Deployment ${deploymentId} is held by another backend now`,
        );
      }
    } catch (error) {
      if (options.now().getTime() >= expiresAt) {
        lose(
          `The lease of Deployment ${deploymentId} expired: it could not be renewed (${error})`,
        );
      }
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(renew, Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref?.();
  return {
    signal: controller.signal,
    stop: () => clearInterval(timer),
  };
}

const WRITES = new Set<PropertyKey>(['apply', 'delete']);

/**
 * The client a leased pass writes through: each apply and delete first
 * checks that the lease is still held, so a pass that lost it stops
 * before its next write instead of racing the backend that took over.
 */
export function leaseGuardedClient(
  client: ClusterClient,
  signal: AbortSignal,
): ClusterClient {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') {
        return value;
      }
      if (WRITES.has(property)) {
        return async (...args: unknown[]) => {
          signal.throwIfAborted();
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}
