import { EmptyState, Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { Organization } from '@airflow-portal/plugin-astro-common';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { OrganizationOverview } from './OrganizationOverview';

/**
 * Every organization the user can see, with its workspaces and the health
 * of its Deployments at a glance: the home's Workspaces tab.
 */
export function WorkspacesOverview(props: {
  organizations: Organization[] | undefined;
  error?: Error;
  onRetry: () => void;
}) {
  const { organizations, error, onRetry } = props;
  if (error) {
    return (
      <AstroErrorPanel
        error={error}
        what="the organizations"
        onRetry={onRetry}
      />
    );
  }
  if (!organizations) {
    return <Progress aria-label="Loading organizations" />;
  }
  if (organizations.length === 0) {
    return <NoOrganizations />;
  }
  return (
    <Grid container spacing={3} direction="column" wrap="nowrap">
      {organizations.map(organization => (
        <Grid item key={organization.name}>
          <OrganizationOverview organization={organization} linkToPage />
        </Grid>
      ))}
    </Grid>
  );
}

/** What the home says before any organization exists (or is visible). */
export function NoOrganizations() {
  return (
    <EmptyState
      missing="data"
      title="No organizations yet"
      description="An organization holds workspaces, and workspaces hold Airflow Deployments. Ask a platform engineer to create one, or check that you were given access."
    />
  );
}
