import { LinkButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { astroDeploymentCreatePermission } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { useAstroPermission } from '../../hooks/useAstroPermission';
import { useDeployments } from '../../hooks/useDeployments';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { StatusCounts } from '../common/StatusCounts';
import { WorkspaceApiTokensCard } from '../ApiTokens';
import { DeploymentsTable } from './DeploymentsTable';
import { WorkspaceMembersCard } from './WorkspaceMembersCard';

/** "Create Deployment", for those allowed to. */
function CreateDeploymentButton(props: { org: string; ws: string }) {
  const links = useAstroLinks();
  const { allowed } = useAstroPermission(astroDeploymentCreatePermission);
  const to = links.createDeployment(props.org, props.ws);
  if (!allowed || !to) {
    return null;
  }
  return (
    <LinkButton
      to={to}
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
    >
      Create Deployment
    </LinkButton>
  );
}

type DeploymentsState = ReturnType<typeof useDeployments>;

/** Status counts and the table of a workspace's Deployments. */
function WorkspaceDeploymentsView(props: {
  ws: string;
  deployments: DeploymentsState;
}) {
  const { ws, deployments } = props;
  if (deployments.error && !deployments.value) {
    return (
      <AstroErrorPanel
        error={deployments.error}
        what="the Deployments"
        onRetry={deployments.retry}
      />
    );
  }
  return (
    <>
      {deployments.error && <StaleDataWarning error={deployments.error} />}
      <Box mb={2}>
        {deployments.value && (
          <StatusCounts
            deployments={deployments.value}
            label={`Deployments of ${ws} by status`}
          />
        )}
      </Box>
      <DeploymentsTable
        deployments={deployments.value}
        loading={deployments.loading && !deployments.value}
        emptyContent={
          <Box p={3}>
            <Typography>This workspace has no Deployments yet.</Typography>
          </Box>
        }
      />
    </>
  );
}

/** The Deployments of one workspace, for entity views. */
export function WorkspaceDeployments(props: { org: string; ws: string }) {
  const deployments = useDeployments(props.org, props.ws);
  return <WorkspaceDeploymentsView ws={props.ws} deployments={deployments} />;
}

/**
 * A workspace: its Deployments with their status and size, who owns it, and
 * the actions the user may take.
 */
export function WorkspacePage() {
  const { org = '', ws = '' } = useParams();
  const astroApi = useApi(astroApiRef);
  const links = useAstroLinks();
  const workspace = useAsyncRetry(
    () => astroApi.getWorkspace({ path: { org, ws } }),
    [astroApi, org, ws],
  );
  const deployments = useDeployments(org, ws);
  const breadcrumbs = [
    { label: 'Airflow', href: links.overview() },
    { label: org },
    { label: workspace.value?.title || ws },
  ];

  if (workspace.error) {
    return (
      <AstroContent title={ws} breadcrumbs={breadcrumbs}>
        <AstroErrorPanel
          error={workspace.error}
          what={`workspace ${ws}`}
          onRetry={workspace.retry}
        />
      </AstroContent>
    );
  }
  if (!workspace.value) {
    return (
      <AstroContent title={ws} breadcrumbs={breadcrumbs}>
        <Progress aria-label="Loading the workspace" />
      </AstroContent>
    );
  }
  return (
    <AstroContent
      title={workspace.value.title || ws}
      description={workspace.value.description || `Workspace ${ws} of ${org}`}
      breadcrumbs={breadcrumbs}
      actions={<CreateDeploymentButton org={org} ws={ws} />}
    >
      <Grid container spacing={3}>
        <Grid item xs={12} xl={9}>
          <WorkspaceDeploymentsView ws={ws} deployments={deployments} />
        </Grid>
        <Grid item xs={12} xl={3}>
          <WorkspaceMembersCard workspace={workspace.value} />
        </Grid>
        <Grid item xs={12}>
          <WorkspaceApiTokensCard workspace={workspace.value} />
        </Grid>
      </Grid>
    </AstroContent>
  );
}
