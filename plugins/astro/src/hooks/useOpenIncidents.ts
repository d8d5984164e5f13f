import { useApi } from '@backstage/core-plugin-api';
import { astroOrganizationChannel } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';
import { usePolled } from './usePolled';

/** Open incidents are counted up to this many. */
export const MAX_OPEN_INCIDENTS = 100;

/**
 * The open incidents of an organization; `capped` says when there are at
 * least {@link MAX_OPEN_INCIDENTS}. Read again when the backend signals a
 * change in the organization (and not polled).
 */
export function useOpenIncidents(organization: string) {
  const astroApi = useApi(astroApiRef);
  return usePolled(
    async () => {
      const { items: open } = await astroApi.listOrganizationIncidents({
        path: { org: organization },
        query: { state: 'open', limit: MAX_OPEN_INCIDENTS },
      });
      return { open: open.length, capped: open.length >= MAX_OPEN_INCIDENTS };
    },
    [astroApi, organization],
    () => null,
    { liveChannel: astroOrganizationChannel(organization) },
  );
}
