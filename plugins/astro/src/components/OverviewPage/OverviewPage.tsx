import { useState } from 'react';
import { EmptyState, LinkButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  DEPLOYMENT_STATUSES,
  DeploymentStatus as Status,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { statusLabel } from '../common/DeploymentStatus';
import { OrganizationOverview } from './OrganizationOverview';
import { OverviewFilter } from './filter';

/** Search and status filter of the overview. */
function OverviewFilters(props: {
  filter: OverviewFilter;
  onChange: (filter: OverviewFilter) => void;
}) {
  const { filter, onChange } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={8}>
        <TextField
          id="astro-overview-search"
          label="Search workspaces and Deployments"
          type="search"
          variant="outlined"
          size="small"
          fullWidth
          value={filter.text}
          onChange={e => onChange({ ...filter, text: e.target.value })}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          id="astro-overview-status"
          select
          label="Deployment status"
          variant="outlined"
          size="small"
          fullWidth
          value={filter.status ?? ''}
          onChange={e =>
            onChange({
              ...filter,
              status: (e.target.value || undefined) as Status | undefined,
            })
          }
        >
          <MenuItem value="">Any status</MenuItem>
          {DEPLOYMENT_STATUSES.map(status => (
            <MenuItem key={status} value={status}>
              {statusLabel(status)}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
    </Grid>
  );
}

/**
 * The Airflow overview: every organization the user can see, its
 * workspaces, and the health of its Deployments at a glance.
 */
export function OverviewPage() {
  const astroApi = useApi(astroApiRef);
  const links = useAstroLinks();
  const [filter, setFilter] = useState<OverviewFilter>({ text: '' });
  const organizations = useAsyncRetry(
    async () => (await astroApi.listOrganizations()).items,
    [astroApi],
  );

  let body;
  if (organizations.error) {
    body = (
      <AstroErrorPanel
        error={organizations.error}
        what="the organizations"
        onRetry={organizations.retry}
      />
    );
  } else if (!organizations.value) {
    body = <Progress aria-label="Loading organizations" />;
  } else if (organizations.value.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No organizations yet"
        description="An organization holds workspaces, and workspaces hold Airflow Deployments. Ask a platform engineer to create one, or check that you were given access."
      />
    );
  } else {
    body = (
      <Grid container spacing={3} direction="column" wrap="nowrap">
        {organizations.value.map(organization => (
          <Grid item key={organization.name}>
            <OrganizationOverview
              organization={organization}
              filter={filter}
              linkToPage
            />
          </Grid>
        ))}
      </Grid>
    );
  }

  return (
    <AstroContent
      title="Airflow Deployments"
      description="Create and operate Apache Airflow environments on your registered Kubernetes clusters."
      actions={
        links.clusters() && (
          <LinkButton to={links.clusters()!} variant="outlined">
            Clusters
          </LinkButton>
        )
      }
    >
      <Box mb={3}>
        <OverviewFilters filter={filter} onChange={setFilter} />
      </Box>
      {body}
    </AstroContent>
  );
}
