import { createHash } from 'node:crypto';
import { ConflictError, InputError } from '@backstage/errors';
import { IdempotencyStore } from '../store/IdempotencyStore';
import { isUniqueViolation } from '../store/util';
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
 * stored and returned again for a retry with the same body.
 */
export class IdempotencyGuard {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: () => Date = () => new Date(),
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
    const previous = await this.store.get(actor, scope, key);
    if (previous) {
      if (previous.requestHash !== requestHash) {
        throw new ConflictError(
          'Idempotency-Key: was already used for a different request',
        );
      }
      // The stored body is a response this route produced before.
      const stored = { status: previous.status, body: previous.body as T };
      return options.replay ? options.replay(stored) : stored;
    }
    const response = await execute();
    try {
      await this.store.insert(
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
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
    }
    return response;
  }
}
