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

/** Where a continue token resumes: the next key, and the list's version. */
interface Continuation {
  start: string;
  /** The resource version of the list's first page. */
  resourceVersion: number;
}

function encode(continuation: Continuation): string {
  return Buffer.from(
    JSON.stringify({
      v: 2,
      start: continuation.start,
      rv: continuation.resourceVersion,
    }),
  ).toString('base64url');
}

function decode(token: string): Continuation {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      parsed?.v === 2 &&
      typeof parsed.start === 'string' &&
      Number.isInteger(parsed.rv)
    ) {
      return { start: parsed.start, resourceVersion: parsed.rv };
    }
  } catch {
    // Reported below.
  }
  throw statusErrors.badRequest(`invalid continue token: ${token}`);
}

/**
 * The page of `items` (sorted by namespace and name) that `limit` and
 * `continue` ask for. The token names the first object of the next page and
 * the resource version of the first page, which every page reports (as a
 * real server's pages share their snapshot's). Objects created or deleted
 * between pages are seen or skipped by their place in the order (a real
 * server serves every page from the first page's snapshot); a watch from
 * the list's version replays them. A token from before the last compaction
 * is refused with `410 Gone`, as a real server refuses an expired one.
 */
export function paginate(
  items: KubernetesObject[],
  query: URLSearchParams,
  versions: {
    /** The store's version now. */
    current: string;
    /** The version of the last compaction: older tokens have expired. */
    lastCompaction: number;
  },
): Page & { resourceVersion: string } {
  const limitText = query.get('limit');
  const token = query.get('continue');
  let start = 0;
  let resourceVersion = versions.current;
  if (token) {
    const continuation = decode(token);
    if (continuation.resourceVersion < versions.lastCompaction) {
      throw statusErrors.gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    resourceVersion = String(continuation.resourceVersion);
    start = items.findIndex(
      item => keyOf(item).localeCompare(continuation.start) >= 0,
    );
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
    return { items: items.slice(start), resourceVersion };
  }
  const page = items.slice(start, start + limit);
  return {
    items: page,
    resourceVersion,
    continueToken: encode({
      start: keyOf(items[start + limit]),
      resourceVersion: Number(resourceVersion),
    }),
    remainingItemCount: items.length - start - limit,
  };
}
