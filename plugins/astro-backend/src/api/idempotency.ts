import { createHash } from 'node:crypto';
import { ConflictError, InputError } from '@backstage/errors';
import { IdempotencyRecord, IdempotencyStore } from '../store/IdempotencyStore';
import { Actor } from '../service/actor';

/** A response that can be replayed. */
export interface ReplayableResponse<T> {
  status: number;
  body: T;
}

/** How a route's responses are kept and replayed. */
export interface IdempotencyOptions<T> {
  /** What is stored of a response, e.g. without a secret it shows once. */
  redact?: (body: T) => unknown;
  /** Answers a retry from what was stored (may throw). */
  replay?: (stored: ReplayableResponse<T>) => ReplayableResponse<T>;
}

/**
 * Makes creates safe to retry: the first response to an Idempotency-Key is
 * stored and returned again for a retry with the same body. The first
 * request claims the key (a row inserted before its work starts), so that
 * concurrent first requests are serialized: one creates, the others wait
 * for its response and replay it (or get a 409 while it still runs).
 */
export class IdempotencyGuard {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: () => Date = () => new Date(),
    private readonly options: {
      /** How long a retry waits for the first request to finish. */
      waitMs: number;
      /** Age after which a claim is considered abandoned. */
      abandonAfterMs: number;
    } = { waitMs: 5_000, abandonAfterMs: 10 * 60_000 },
  ) {}

  async run<T>(
    actor: Actor,
    scope: string,
    key: string | undefined,
    body: unknown,
    execute: () => Promise<ReplayableResponse<T>>,
    options: IdempotencyOptions<T> = {},
  ): Promise<ReplayableResponse<T>> {
    if (key === undefined) {
      return execute();
    }
    if (key.length === 0 || key.length > 200) {
      throw new InputError('Idempotency-Key: must be 1 to 200 characters');
    }
    const requestHash = createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('hex');
    const claimed = await this.claim(actor, scope, key, requestHash);
    if (claimed !== true) {
      // Another request with this key ran first: replay its response.
      if (claimed.requestHash !== requestHash) {
        throw new ConflictError(
          'Idempotency-Key: was already used for a different request',
        );
      }
      // The stored body is a response this route produced before.
      const stored = { status: claimed.status, body: claimed.body as T };
      return options.replay ? options.replay(stored) : stored;
    }
    let response: ReplayableResponse<T>;
    try {
      response = await execute();
    } catch (error) {
      // Nothing was created: a retry may run the request again.
      await this.store.releaseClaim(actor, scope, key).catch(() => undefined);
      throw error;
    }
    await this.store.complete(
      actor,
      scope,
      key,
      {
        requestHash,
        status: response.status,
        body: options.redact ? options.redact(response.body) : response.body,
      },
      this.clock(),
    );
    return response;
  }

  /**
   * Claims the key for this request (true), or the response of the request
   * that claimed it first, waiting while that one runs. A request that is
   * still running after `waitMs` gets a 409 to retry later; a claim older
   * than `abandonAfterMs` (its backend died mid-request) is taken over.
   */
  private async claim(
    actor: Actor,
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<true | IdempotencyRecord> {
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const previous = await this.store.get(actor, scope, key);
      if (previous) {
        return previous;
      }
      if (
        await this.store.claim(actor, scope, key, requestHash, this.clock())
      ) {
        return true;
      }
      const running = await this.store.getClaim(actor, scope, key);
      if (running && running.requestHash !== requestHash) {
        throw new ConflictError(
          'Idempotency-Key: was already used for a different request',
        );
      }
      if (
        running &&
        this.clock().getTime() - running.claimedAt.getTime() >
          this.options.abandonAfterMs
      ) {
        await this.store.releaseClaim(
          actor,
          scope,
          key,
          new Date(this.clock().getTime() - this.options.abandonAfterMs),
        );
        continue;
      }
      if (Date.now() >= deadline) {
        throw new ConflictError(
          'Idempotency-Key: a request with this key is still in progress; retry it later to get its response',
        );
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}
