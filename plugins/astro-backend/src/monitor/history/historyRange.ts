import { InputError } from '@backstage/errors';

/** The default range: the last day. */
export const DEFAULT_HISTORY_RANGE_MS = 24 * 60 * 60_000;

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseTime(field: string, value: unknown): Date | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const text = String(value);
  const time = ISO_8601.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(time)) {
    throw new InputError(
      `${field} must be an ISO 8601 timestamp such as 2026-12-03T10:00:00Z, not ${JSON.stringify(
        text,
      )}`,
    );
  }
  return new Date(time);
}

/**
 * The range of a history request: `until` defaults to now, `since` to a
 * day before `until`; `since` must come before `until`, and is moved up
 * to the oldest point kept (the retention).
 */
export function historyRange(
  query: { since?: unknown; until?: unknown },
  now: Date,
  retentionMs: number,
): { since: Date; until: Date } {
  const requestedSince = parseTime('since', query.since);
  const until = parseTime('until', query.until) ?? now;
  const since =
    requestedSince ?? new Date(until.getTime() - DEFAULT_HISTORY_RANGE_MS);
  if (since.getTime() >= until.getTime()) {
    throw new InputError(
      `since (${since.toISOString()}) must be before until (${until.toISOString()})`,
    );
  }
  const oldest = now.getTime() - retentionMs;
  const capped = Math.min(Math.max(since.getTime(), oldest), until.getTime());
  return { since: new Date(capped), until };
}
