import { useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  astroOrganizationChannel,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';
import { FAST_POLL_MS, SLOW_POLL_MS, isInProgress } from './useDeployment';
import { usePolled } from './usePolled';

/** The largest page the API serves. */
const PAGE_SIZE = 500;
/** Lists longer than this are refreshed less often while they change. */
const LONG_LIST = 200;
const LONG_LIST_POLL_MS = 10_000;

/**
 * Every Deployment of an organization (or of one of its workspaces),
 * fetched a page at a time with the API's cursor, and read again when the
 * backend signals a change in the organization; without signals, every few
 * seconds while one of them is changing (now and then otherwise).
 */
export function useDeployments(organization: string, workspace?: string) {
  const astroApi = useApi(astroApiRef);
  return usePolled(
    async () => {
      const deployments: Deployment[] = [];
      let cursor: string | undefined;
      do {
        const page = await astroApi.listDeployments({
          path: { org: organization },
          query: { workspace, limit: PAGE_SIZE, cursor },
        });
        deployments.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return deployments;
    },
    [astroApi, organization, workspace],
    (value, error) => {
      if (error && !value) {
        return null;
      }
      if (!value?.some(isInProgress)) {
        return SLOW_POLL_MS;
      }
      // A long list is a lot to read and render every few seconds.
      return value.length > LONG_LIST ? LONG_LIST_POLL_MS : FAST_POLL_MS;
    },
    { liveChannel: astroOrganizationChannel(organization) },
  );
}
