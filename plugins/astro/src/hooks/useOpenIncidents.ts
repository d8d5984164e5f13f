import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { astroApiRef } from '../api';

/** Open incidents are counted up to this many. */
export const MAX_OPEN_INCIDENTS = 100;

/**
 * The open incidents of an organization; `capped` says when there are at
 * least {@link MAX_OPEN_INCIDENTS}.
 */
export function useOpenIncidents(organization: string) {
  const astroApi = useApi(astroApiRef);
  return useAsync(async () => {
    const { items: open } = await astroApi.listOrganizationIncidents({
      path: { org: organization },
      query: { state: 'open', limit: MAX_OPEN_INCIDENTS },
    });
    return { open: open.length, capped: open.length >= MAX_OPEN_INCIDENTS };
  }, [astroApi, organization]);
}
