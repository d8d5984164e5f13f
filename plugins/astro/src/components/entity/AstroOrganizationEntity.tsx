import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { astroApiRef } from '../../api';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { OrganizationOverview } from '../OverviewPage/OrganizationOverview';
import { NotAnAstroEntity } from './NotAnAstroEntity';
import { useAstroEntityResource } from './useAstroEntity';

/**
 * A card of an AstroOrganization entity: the health of its Deployments and
 * its workspaces, live from the Astro API.
 */
export function AstroOrganizationEntityCard() {
  const resource = useAstroEntityResource();
  const astroApi = useApi(astroApiRef);
  const name = resource?.type === 'organization' ? resource.organization : '';
  const organization = useAsyncRetry(
    async () =>
      name ? astroApi.getOrganization({ path: { org: name } }) : undefined,
    [astroApi, name],
  );
  if (resource?.type !== 'organization') {
    return <NotAnAstroEntity expected="AstroOrganization" />;
  }
  if (organization.error) {
    return (
      <AstroErrorPanel
        error={organization.error}
        what={`organization ${name}`}
        onRetry={organization.retry}
      />
    );
  }
  if (!organization.value) {
    return <Progress aria-label="Loading the organization" />;
  }
  return <OrganizationOverview organization={organization.value} />;
}
