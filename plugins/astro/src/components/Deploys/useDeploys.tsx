import {
  ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { FAST_POLL_MS, SLOW_POLL_MS } from '../../hooks/useDeployment';
import { usePolled } from '../../hooks/usePolled';
import { ApiToken, Deploy } from './model';
import { useTokenNames } from './useTokenNames';

/** Deploys per page of the history. */
export const DEPLOYS_PAGE_SIZE = 20;

/** What the cards know about a Deployment's deploys. */
export interface DeploysState {
  /** Newest first; undefined until the first page arrived. */
  deploys?: Deploy[];
  /** Why the last read failed; older data stays next to it. */
  error?: Error;
  loading: boolean;
  /** Reads the newest page again now. */
  retry: () => void;
  /** Whether older deploys can be loaded. */
  hasMore: boolean;
  loadMore: () => void;
  loadingMore: boolean;
  loadMoreError?: Error;
  /** Shows a deploy made from this page at once and follows its progress. */
  added: (deploy: Deploy) => void;
  /** API tokens the user may list, by id, to name the deploys they made. */
  tokens: ReadonlyMap<string, ApiToken>;
}

const DeploysContext = createContext<DeploysState | undefined>(undefined);

function newestFirst(a: Deploy, b: Deploy) {
  if (a.createdAt === b.createdAt) {
    return 0;
  }
  return a.createdAt < b.createdAt ? 1 : -1;
}

/**
 * Every deploy read so far, newest first: those of older pages and those
 * made here, updated by the newest page, of this Deployment only (values
 * of the one shown before stay until the new one's arrive).
 */
function combine(
  extra: ReadonlyMap<string, Deploy>,
  newest: Deploy[],
  org: string,
  dep: string,
): Deploy[] {
  const all = new Map(extra);
  for (const deploy of newest) {
    all.set(deploy.id, deploy);
  }
  return [...all.values()]
    .filter(d => d.organization === org && d.deployment === dep)
    .sort(newestFirst);
}

const isRollingOut = (deploy: Deploy) => deploy.status === 'INITIALIZED';

/**
 * Reads a Deployment's deploys: the newest page again and again (every few
 * seconds while a deploy is INITIALIZED, now and then otherwise) and older
 * pages on request. Everything read is kept, so a deploy does not vanish
 * from the history when newer ones push it off the first page.
 * `onSettled` is called when a deploy seen INITIALIZED has finished, so
 * that the page reads the Deployment's image and bundle again.
 */
function useDeploysSource(
  deployment: Deployment,
  enabled: boolean,
  onSettled?: () => void,
): DeploysState {
  const astroApi = useApi(astroApiRef);
  const org = deployment.organization;
  const dep = deployment.name;
  /** Deploys of older pages and deploys made here. */
  const [extra, setExtra] = useState<ReadonlyMap<string, Deploy>>(new Map());
  /** The cursor after the older pages; null once they are all read. */
  const [olderCursor, setOlderCursor] = useState<string | null>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<Error>();
  const statuses = useRef(new Map<string, Deploy['status']>());
  const tokens = useTokenNames(deployment, enabled);
  const settledRef = useRef(onSettled);
  settledRef.current = onSettled;

  const merge = useCallback((deploys: Deploy[]) => {
    setExtra(current => {
      const next = new Map(current);
      for (const deploy of deploys) {
        next.set(deploy.id, deploy);
      }
      return next;
    });
  }, []);

  // Another Deployment starts from nothing.
  useEffect(() => {
    setExtra(new Map());
    setOlderCursor(undefined);
    setLoadMoreError(undefined);
    statuses.current = new Map();
  }, [org, dep]);

  const first = usePolled(
    async () =>
      enabled
        ? astroApi.listDeploys({
            path: { org, dep },
            query: { limit: DEPLOYS_PAGE_SIZE },
          })
        : undefined,
    [astroApi, org, dep, enabled],
    (page, error) => {
      if (!enabled || (error && !page)) {
        return null;
      }
      return combine(extra, page?.items ?? [], org, dep).some(isRollingOut)
        ? FAST_POLL_MS
        : SLOW_POLL_MS;
    },
  );

  const deploys = useMemo(
    () =>
      first.value ? combine(extra, first.value.items, org, dep) : undefined,
    [extra, first.value, org, dep],
  );

  // Tell the page when a deploy it saw rolling out has finished.
  useEffect(() => {
    if (!deploys) {
      return;
    }
    const settled = deploys.some(
      d => statuses.current.get(d.id) === 'INITIALIZED' && !isRollingOut(d),
    );
    statuses.current = new Map(deploys.map(d => [d.id, d.status]));
    if (settled) {
      settledRef.current?.();
    }
  }, [deploys]);

  // Until older pages are read, the cursor is the newest page's.
  const cursor =
    olderCursor === undefined ? first.value?.nextCursor : olderCursor;

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) {
      return;
    }
    setLoadingMore(true);
    setLoadMoreError(undefined);
    astroApi
      .listDeploys({
        path: { org, dep },
        query: { limit: DEPLOYS_PAGE_SIZE, cursor },
      })
      .then(
        page => {
          merge(page.items);
          setOlderCursor(page.nextCursor ?? null);
        },
        error => setLoadMoreError(error),
      )
      .finally(() => setLoadingMore(false));
  }, [astroApi, org, dep, cursor, loadingMore, merge]);

  const { retry } = first;
  const added = useCallback(
    (deploy: Deploy) => {
      merge([deploy]);
      // Read again now: the new deploy changes on the server.
      retry();
    },
    [merge, retry],
  );

  return {
    deploys,
    error: first.error,
    loading: first.loading,
    retry,
    hasMore: Boolean(cursor),
    loadMore,
    loadingMore,
    loadMoreError,
    added,
    tokens,
  };
}

/**
 * Shares one reading of a Deployment's deploys between the cards inside
 * it (the code card and the deploy history), so that both show the same
 * deploys and a deploy made in one shows in the other at once.
 */
export function DeploysProvider(props: {
  deployment: Deployment;
  /** Called when a deploy has finished (DEPLOYED or FAILED). */
  onSettled?: () => void;
  children: ReactNode;
}) {
  const state = useDeploysSource(props.deployment, true, props.onSettled);
  return (
    <DeploysContext.Provider value={state}>
      {props.children}
    </DeploysContext.Provider>
  );
}

/**
 * The deploys of a Deployment: those of the surrounding
 * {@link DeploysProvider}, or read by the calling card itself when there
 * is none, so that every card also works on its own.
 */
export function useDeploys(deployment: Deployment): DeploysState {
  const shared = useContext(DeploysContext);
  const own = useDeploysSource(deployment, shared === undefined);
  return shared ?? own;
}
