import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';

/** The largest page the API serves. */
const PAGE_SIZE = 500;

/**
 * Every Deployment of an organization (or of one of its workspaces),
 * fetched a page at a time with the API's cursor.
 */
export function useDeployments(organization: string, workspace?: string) {
  const astroApi = useApi(astroApiRef);
  return useAsyncRetry(async () => {
    const deployments: Deployment[] = [];
    let cursor: string | undefined;
    do {
      const page = await astroApi.listDeployments(organization, {
        workspace,
        limit: PAGE_SIZE,
        cursor,
      });
      deployments.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return deployments;
  }, [astroApi, organization, workspace]);
}
