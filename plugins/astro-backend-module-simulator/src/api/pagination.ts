/**
 * Paginated lists (`limit` and `continue`), as kubectl's `--chunk-size`
 * (500 by default) and informers with a page size use them.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { statusErrors } from './status';

/** One page of a list. */
export interface Page {
  items: KubernetesObject[];
  /** Token for the next page; absent on the last one. */
  continueToken?: string;
  /** How many items follow this page. */
  remainingItemCount?: number;
}

function keyOf(object: KubernetesObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function encode(start: string): string {
  return Buffer.from(JSON.stringify({ v: 1, start })).toString('base64url');
}

function decode(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed?.v === 1 && typeof parsed.start === 'string') {
      return parsed.start;
    }
  } catch {
    // Reported below.
  }
  throw statusErrors.badRequest(`invalid continue token: ${token}`);
}

/**
 * The page of `items` (sorted by namespace and name) that `limit` and
 * `continue` ask for. The token names the first object of the next page, so
 * objects created or deleted between pages are seen or skipped by their
 * place in the order (a real server serves every page from the first page's
 * snapshot instead).
 */
export function paginate(
  items: KubernetesObject[],
  query: URLSearchParams,
): Page {
  const limitText = query.get('limit');
  const token = query.get('continue');
  let start = 0;
  if (token) {
    const startKey = decode(token);
    start = items.findIndex(item => keyOf(item).localeCompare(startKey) >= 0);
    if (start < 0) {
      start = items.length;
    }
  }
  const limit = limitText === null || limitText === '' ? 0 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) {
    throw statusErrors.badRequest(
      `limit must be a non-negative integer, got "${limitText}"`,
    );
  }
  if (limit === 0 || start + limit >= items.length) {
    return { items: items.slice(start) };
  }
  const page = items.slice(start, start + limit);
  return {
    items: page,
    continueToken: encode(keyOf(items[start + limit])),
    remainingItemCount: items.length - start - limit,
  };
}
