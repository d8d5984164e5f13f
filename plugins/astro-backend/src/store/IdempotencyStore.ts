import { Db } from './util';

/** A stored response to a create request. */
export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Remembers the responses to create requests by Idempotency-Key. */
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async get(
    principal: string,
    scope: string,
    key: string,
  ): Promise<IdempotencyRecord | undefined> {
    const row = await this.db('idempotency_records')
      .where({ principal, scope, key })
      .first();
    return row
      ? {
          requestHash: row.request_hash,
          status: row.response_status,
          body: JSON.parse(row.response_body),
        }
      : undefined;
  }

  async insert(
    principal: string,
    scope: string,
    key: string,
    record: IdempotencyRecord,
    now: Date,
  ): Promise<void> {
    await this.db('idempotency_records').insert({
      principal,
      scope,
      key,
      request_hash: record.requestHash,
      response_status: record.status,
      response_body: JSON.stringify(record.body),
      created_at: now,
    });
  }

  /** Forgets records older than `before`. */
  async deleteOlderThan(before: Date): Promise<number> {
    return this.db('idempotency_records')
      .where('created_at', '<', before)
      .delete();
  }
}
