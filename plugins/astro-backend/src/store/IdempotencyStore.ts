import { Knex } from 'knex';
import { Db, isUniqueViolation } from './util';

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

  /**
   * Claims a key for a first request before its work starts: inserts the
   * claim row, so that of concurrent first requests exactly one succeeds
   * (the primary key is unique on SQLite and PostgreSQL alike). Returns
   * false when the key is claimed already.
   */
  async claim(
    principal: string,
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.db('idempotency_claims').insert({
        principal,
        scope,
        key,
        request_hash: requestHash,
        claimed_at: now,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  /** The running claim of a key, if any. */
  async getClaim(
    principal: string,
    scope: string,
    key: string,
  ): Promise<{ requestHash: string; claimedAt: Date } | undefined> {
    const row = await this.db('idempotency_claims')
      .where({ principal, scope, key })
      .first();
    return row
      ? { requestHash: row.request_hash, claimedAt: new Date(row.claimed_at) }
      : undefined;
  }

  /**
   * Removes a claim: its request failed (a retry may run it again), or a
   * claim older than `olderThan` is taken over (its backend died).
   */
  async releaseClaim(
    principal: string,
    scope: string,
    key: string,
    olderThan?: Date,
  ): Promise<boolean> {
    const query = this.db('idempotency_claims').where({
      principal,
      scope,
      key,
    });
    if (olderThan) {
      query.andWhere('claimed_at', '<', olderThan);
    }
    return (await query.delete()) > 0;
  }

  /** Stores the response of a claimed key and ends the claim, at once. */
  async complete(
    principal: string,
    scope: string,
    key: string,
    record: IdempotencyRecord,
    now: Date,
  ): Promise<void> {
    const write = async (db: Db) => {
      await new IdempotencyStore(db).insert(principal, scope, key, record, now);
      await db('idempotency_claims').where({ principal, scope, key }).delete();
    };
    if (this.db.isTransaction) {
      await write(this.db);
    } else {
      await (this.db as Knex).transaction(write);
    }
  }

  /** Forgets records (and abandoned claims) older than `before`. */
  async deleteOlderThan(before: Date): Promise<number> {
    await this.db('idempotency_claims')
      .where('claimed_at', '<', before)
      .delete();
    return this.db('idempotency_records')
      .where('created_at', '<', before)
      .delete();
  }
}
