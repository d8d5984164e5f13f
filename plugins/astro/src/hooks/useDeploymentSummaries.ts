import { useApi } from '@backstage/core-plugin-api';
import {
  AstroApi,
  DeploymentSummaryPage,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';
import { FAST_POLL_MS, SLOW_POLL_MS, isInProgress } from './useDeployment';
import { usePolled } from './usePolled';

/** What the Deployments table asks the API for. */
export type DeploymentSummaryQuery = NonNullable<
  Parameters<AstroApi['listAllDeployments']>[0]['query']
>;

/**
 * One page of the Deployments across organizations, filtered and paged by
 * the backend, read again every few seconds while one of its rows is
 * changing (now and then otherwise).
 */
export function useDeploymentSummaries(query: DeploymentSummaryQuery) {
  const astroApi = useApi(astroApiRef);
  const { organization, workspace, cluster, status, search, limit, offset } =
    query;
  return usePolled<DeploymentSummaryPage>(
    () =>
      astroApi.listAllDeployments({
        query: {
          organization,
          workspace,
          cluster,
          status,
          search,
          limit,
          offset,
        },
      }),
    [astroApi, organization, workspace, cluster, status, search, limit, offset],
    (value, error) => {
      if (error && !value) {
        return null;
      }
      return value?.items.some(isInProgress) ? FAST_POLL_MS : SLOW_POLL_MS;
    },
  );
}
