import { useState } from 'react';
import { LinkButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import { useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  astroDeploymentCreatePermission,
  astroWorkspaceDeletePermission,
  astroWorkspaceUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import {
  useAstroPermission,
  workspaceResourceRef,
} from '../../hooks/useAstroPermission';
import { useDeployments } from '../../hooks/useDeployments';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { DetailsDialog } from '../common/DetailsDialog';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { StatusCounts } from '../common/StatusCounts';
import { WorkspaceApiTokensCard } from '../ApiTokens';
import { YourAccessCard } from '../Access';
import { WorkspaceAlertRulesCard } from '../Alerts';
import { ImportDeploymentFileButton } from '../DeploymentFile';
import { DeploymentsTable } from './DeploymentsTable';
import { WorkspaceMembersCard } from './WorkspaceMembersCard';

/** "Create Deployment", for those allowed to. */
function CreateDeploymentButton(props: { org: string; ws: string }) {
  const links = useAstroLinks();
  const { allowed } = useAstroPermission(
    astroDeploymentCreatePermission,
    workspaceResourceRef(props.org, props.ws),
  );
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

/** Edit and delete the workspace, for those allowed to. */
function WorkspaceActions(props: {
  org: string;
  ws: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const ref = workspaceResourceRef(props.org, props.ws);
  const canUpdate = useAstroPermission(
    astroWorkspaceUpdatePermission,
    ref,
  ).allowed;
  const canDelete = useAstroPermission(
    astroWorkspaceDeletePermission,
    ref,
  ).allowed;
  return (
    <>
      {canUpdate && (
        <Button
          variant="outlined"
          startIcon={<EditIcon />}
          onClick={props.onEdit}
        >
          Edit workspace
        </Button>
      )}
      {canDelete && (
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<DeleteIcon />}
          onClick={props.onDelete}
        >
          Delete workspace
        </Button>
      )}
    </>
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
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const workspace = useAsyncRetry(
    () => astroApi.getWorkspace({ path: { org, ws } }),
    [astroApi, org, ws],
  );
  const breadcrumbs = [
    { label: 'Airflow', href: links.overview() },
    { label: org, href: links.organization(org) },
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
      actions={
        <Box display="flex" flexWrap="wrap" gridGap={8}>
          <CreateDeploymentButton org={org} ws={ws} />
          <ImportDeploymentFileButton organization={org} workspace={ws} />
          <WorkspaceActions
            org={org}
            ws={ws}
            onEdit={() => setDialog('edit')}
            onDelete={() => setDialog('delete')}
          />
        </Box>
      }
    >
      <Grid container spacing={3}>
        <Grid item xs={12} xl={9}>
          {/* Listed once the workspace is known to exist: a missing one
              is a single 404, not a second one for its Deployments. */}
          <WorkspaceDeployments org={org} ws={ws} />
        </Grid>
        <Grid item xs={12} xl={3}>
          <YourAccessCard
            scope={{ kind: 'workspace', organization: org, workspace: ws }}
          />
        </Grid>
        <Grid item xs={12}>
          <WorkspaceMembersCard workspace={workspace.value} />
        </Grid>
        <Grid item xs={12}>
          <WorkspaceAlertRulesCard workspace={workspace.value} />
        </Grid>
        <Grid item xs={12}>
          <WorkspaceApiTokensCard workspace={workspace.value} />
        </Grid>
      </Grid>
      <DetailsDialog
        open={dialog === 'edit'}
        heading={`Edit workspace ${ws}`}
        initial={{
          title: workspace.value.title,
          description: workspace.value.description,
        }}
        submitLabel="Save"
        busyLabel="Saving…"
        failure="The workspace was not changed"
        onClose={() => setDialog(undefined)}
        onSubmit={async ({ title, description }) => {
          await astroApi.updateWorkspace({
            path: { org, ws },
            body: { title, description, version: workspace.value!.version },
          });
          setDialog(undefined);
          workspace.retry();
        }}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete workspace ${ws}?`}
        confirmLabel="Delete workspace"
        busyLabel="Deleting…"
        failure="The workspace was not deleted"
        onClose={() => setDialog(undefined)}
        onConfirm={async () => {
          await astroApi.deleteWorkspace({ path: { org, ws } });
          setDialog(undefined);
          navigate(links.organization(org) ?? links.overview() ?? '/');
        }}
      >
        The workspace, its API tokens and its role bindings are removed. The
        backend refuses while it still has Deployments.
      </ConfirmDialog>
    </AstroContent>
  );
}
