import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Organization, Workspace } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';

/** An organization the user sees, with its workspaces. */
export interface OrganizationWorkspaces {
  organization: Organization;
  workspaces: Workspace[];
}

/**
 * The organizations the user sees, each with its workspaces: what the
 * home's filters and "Create Deployment" offer.
 */
export function useOrganizationWorkspaces() {
  const astroApi = useApi(astroApiRef);
  return useAsyncRetry(async (): Promise<OrganizationWorkspaces[]> => {
    const { items: organizations } = await astroApi.listOrganizations();
    return Promise.all(
      organizations.map(async organization => ({
        organization,
        workspaces: (
          await astroApi.listWorkspaces({ path: { org: organization.name } })
        ).items,
      })),
    );
  }, [astroApi]);
}
