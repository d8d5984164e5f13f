import {
  DEPLOYMENT_STATUSES,
  DeploymentStatus,
} from '@airflow-portal/plugin-astro-common';

/** The tabs of the Airflow home, by their `?tab=` value. */
export const HOME_TABS = ['deployments', 'workspaces', 'clusters'] as const;
export type HomeTab = (typeof HOME_TABS)[number];

/** Rows per page the Deployments table offers. */
export const PAGE_SIZES = [20, 50, 100] as const;

/** What the Deployments table shows, as the page's address keeps it. */
export interface DeploymentFilters {
  organization?: string;
  /** A workspace of `organization` (names repeat across organizations). */
  workspace?: string;
  status?: DeploymentStatus;
  /** Part of a name or title. */
  search?: string;
  /** Zero-based page. */
  page: number;
  pageSize: number;
}

function nonNegativeInteger(value: string | null): number | undefined {
  if (value === null || !/^\d{1,7}$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/** The tab an address asks for; the Deployments tab by default. */
export function tabOf(params: URLSearchParams): HomeTab {
  const tab = params.get('tab');
  return HOME_TABS.find(t => t === tab) ?? 'deployments';
}

/**
 * The filters an address holds. Values that make no sense (an unknown
 * status, a workspace without organization, a page size not offered) are
 * dropped rather than sent to the backend.
 */
export function filtersOf(params: URLSearchParams): DeploymentFilters {
  const organization = params.get('org') || undefined;
  const status = DEPLOYMENT_STATUSES.find(s => s === params.get('status'));
  const search = params.get('q')?.trim() || undefined;
  const size = nonNegativeInteger(params.get('size'));
  return {
    organization,
    workspace: (organization && params.get('ws')) || undefined,
    status,
    search,
    page: nonNegativeInteger(params.get('page')) ?? 0,
    pageSize: PAGE_SIZES.find(s => s === size) ?? PAGE_SIZES[0],
  };
}

/** Whether the filters narrow the list (paging aside). */
export function isFiltering(filters: DeploymentFilters): boolean {
  return Boolean(filters.organization || filters.status || filters.search);
}

/**
 * The address parameters for a tab and filters, keeping parameters the home
 * does not own; defaults are left out so addresses stay short.
 */
export function toParams(
  current: URLSearchParams,
  tab: HomeTab,
  filters: DeploymentFilters,
): URLSearchParams {
  const next = new URLSearchParams(current);
  const set = (key: string, value: string | undefined) => {
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
  };
  set('tab', tab === 'deployments' ? undefined : tab);
  set('org', filters.organization);
  set('ws', filters.organization ? filters.workspace : undefined);
  set('status', filters.status);
  set('q', filters.search);
  set('page', filters.page > 0 ? String(filters.page) : undefined);
  set(
    'size',
    filters.pageSize === PAGE_SIZES[0] ? undefined : String(filters.pageSize),
  );
  return next;
}
