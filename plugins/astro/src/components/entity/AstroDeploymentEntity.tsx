import { InfoCard, Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { useDeployment } from '../../hooks/useDeployment';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { DeploymentStatus } from '../common/DeploymentStatus';
import {
  DeploymentStatusCard,
  IncidentsCard,
  OpenAirflowButton,
  SettingsCard,
} from '../DeploymentPage';
import { ComponentsCard } from '../DeploymentPage/ComponentsCard';
import { NotAnAstroEntity } from './NotAnAstroEntity';
import { useAstroEntityResource } from './useAstroEntity';

function useEntityDeployment() {
  const resource = useAstroEntityResource();
  const organization =
    resource?.type === 'deployment' ? resource.organization : '';
  const name = resource?.type === 'deployment' ? resource.deployment : '';
  return {
    isDeployment: resource?.type === 'deployment',
    organization,
    name,
    state: useDeployment(organization, name),
  };
}

/**
 * The "Airflow" tab of an AstroDeployment entity: the live status with
 * provisioning progress, settings, components and incidents, read from the
 * Astro API.
 */
export function AstroDeploymentEntityContent() {
  const links = useAstroLinks();
  const { isDeployment, organization, name, state } = useEntityDeployment();
  if (!isDeployment) {
    return <NotAnAstroEntity expected="AstroDeployment" />;
  }
  if (state.error && !state.value) {
    return (
      <AstroErrorPanel
        error={state.error}
        what={`Deployment ${name}`}
        onRetry={state.retry}
      />
    );
  }
  if (!state.value) {
    return <Progress aria-label="Loading the Deployment" />;
  }
  const deployment = state.value;
  const page = links.deployment(organization, name);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={16}>
          <OpenAirflowButton deployment={deployment} />
          {page && <Link to={page}>Manage in the Airflow pages</Link>}
        </Box>
      </Grid>
      <Grid item xs={12}>
        <DeploymentStatusCard deployment={deployment} />
      </Grid>
      <Grid item xs={12} md={6}>
        <SettingsCard deployment={deployment} />
      </Grid>
      <Grid item xs={12} md={6}>
        <IncidentsCard deployment={deployment} />
      </Grid>
      <Grid item xs={12}>
        <ComponentsCard deployment={deployment} />
      </Grid>
    </Grid>
  );
}

/** A small card of an AstroDeployment entity's live status. */
export function AstroDeploymentStatusEntityCard() {
  const links = useAstroLinks();
  const { isDeployment, organization, name, state } = useEntityDeployment();
  let body;
  if (!isDeployment) {
    body = <NotAnAstroEntity expected="AstroDeployment" />;
  } else if (state.error && !state.value) {
    body = (
      <AstroErrorPanel
        error={state.error}
        what={`Deployment ${name}`}
        onRetry={state.retry}
      />
    );
  } else if (!state.value) {
    body = <Progress aria-label="Loading the Deployment" />;
  } else {
    const deployment = state.value;
    body = (
      <>
        <Typography variant="h6" component="p">
          <DeploymentStatus status={deployment.status} />
        </Typography>
        <Typography variant="body2" color="textSecondary" paragraph>
          {deployment.statusReason}
        </Typography>
        <Typography variant="body2" paragraph>
          Airflow {deployment.settings.airflowVersion},{' '}
          {deployment.settings.executor.toLowerCase()} executor, on cluster{' '}
          {deployment.cluster}
        </Typography>
        <OpenAirflowButton deployment={deployment} />
      </>
    );
  }
  const page = isDeployment ? links.deployment(organization, name) : undefined;
  return (
    <InfoCard
      title="Airflow Deployment"
      deepLink={
        page ? { title: 'Open the Deployment page', link: page } : undefined
      }
    >
      {body}
    </InfoCard>
  );
}
