import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';

/** At most this many Deployments are asked for their incidents at once. */
export const MAX_INCIDENT_LOOKUPS = 25;

/**
 * Open incidents of an organization's unhealthy Deployments. There is no
 * organization-wide incident list in the API, so this asks the unhealthy
 * Deployments only (an open incident makes a Deployment unhealthy), and at
 * most {@link MAX_INCIDENT_LOOKUPS} of them; `capped` says when there were
 * more.
 */
export function useOpenIncidents(deployments: Deployment[] | undefined) {
  const astroApi = useApi(astroApiRef);
  const unhealthy = (deployments ?? []).filter(d => d.status === 'UNHEALTHY');
  const key = unhealthy.map(d => `${d.organization}/${d.name}`).join(',');
  return useAsync(async () => {
    const asked = unhealthy.slice(0, MAX_INCIDENT_LOOKUPS);
    const lists = await Promise.all(
      asked.map(d => astroApi.listDeploymentIncidents(d.organization, d.name)),
    );
    return {
      open: lists.flat().filter(incident => incident.state === 'open').length,
      capped: unhealthy.length > asked.length,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [astroApi, key]);
}
