import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';

/** A knex client or transaction; store methods accept either. */
export type Db = Knex | Knex.Transaction;

/** Converts a timestamp as a database returns it into ISO 8601. */
export function toIso(value: Date | string | number): string {
  return new Date(value).toISOString();
}

/** Columns every resource has for who changed it when. */
export interface AuditColumns {
  created_at: Date | string | number;
  created_by: string;
  updated_at: Date | string | number;
  updated_by: string;
  version: number;
}

/** Maps the audit columns of a row to API fields. */
export function auditFields(row: AuditColumns) {
  return {
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
    version: row.version,
  };
}

/** Audit columns of a new row. */
export function newAuditColumns(actor: string, now: Date): AuditColumns {
  return {
    created_at: now,
    created_by: actor,
    updated_at: now,
    updated_by: actor,
    version: 1,
  };
}

/**
 * Updates one row if its version still is the expected one (when given),
 * bumping the version. Throws a ConflictError when someone else changed it.
 */
export async function updateVersioned(
  db: Db,
  table: string,
  row: { id: string; version: number },
  expectedVersion: number | undefined,
  changes: Record<string, unknown>,
  actor: string,
  now: Date,
): Promise<number> {
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new ConflictError(
      `version ${expectedVersion} is stale; the current version is ${row.version}. Reload and apply your change again.`,
    );
  }
  const updated = await db(table)
    .where({ id: row.id, version: row.version })
    .update({
      ...changes,
      updated_at: now,
      updated_by: actor,
      version: row.version + 1,
    });
  if (updated !== 1) {
    throw new ConflictError(
      'the resource was changed concurrently. Reload and apply your change again.',
    );
  }
  return row.version + 1;
}

/** Encodes a keyset pagination cursor. */
export function encodeCursor(name: string): string {
  return Buffer.from(JSON.stringify({ after: name }), 'utf8').toString(
    'base64url',
  );
}

/** Decodes a cursor made by {@link encodeCursor}; undefined if malformed. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof value?.after === 'string' ? value.after : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an error is a unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** JSON with object keys sorted, for comparing values regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}
