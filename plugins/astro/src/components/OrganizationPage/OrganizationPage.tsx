import { useState } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import { useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Organization,
  astroOrganizationDeletePermission,
  astroOrganizationUpdatePermission,
  astroWorkspaceCreatePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { useAstroPermission } from '../../hooks/useAstroPermission';
import { RoleBindingsCard, YourAccessCard } from '../Access';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { DetailsDialog } from '../common/DetailsDialog';
import { OrganizationOverview } from '../OverviewPage/OrganizationOverview';

type Dialog = 'create-workspace' | 'edit' | 'delete';

/** Create a workspace, edit and delete the organization: each for those allowed to. */
function OrganizationActions(props: {
  organization: Organization;
  onOpen: (dialog: Dialog) => void;
}) {
  const { organization, onOpen } = props;
  const ref = organization.name;
  const canCreate = useAstroPermission(
    astroWorkspaceCreatePermission,
    ref,
  ).allowed;
  const canUpdate = useAstroPermission(
    astroOrganizationUpdatePermission,
    ref,
  ).allowed;
  const canDelete = useAstroPermission(
    astroOrganizationDeletePermission,
    ref,
  ).allowed;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8}>
      {canCreate && (
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => onOpen('create-workspace')}
        >
          Create workspace
        </Button>
      )}
      {canUpdate && (
        <Button
          variant="outlined"
          startIcon={<EditIcon />}
          onClick={() => onOpen('edit')}
        >
          Edit organization
        </Button>
      )}
      {canDelete && (
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<DeleteIcon />}
          onClick={() => onOpen('delete')}
        >
          Delete organization
        </Button>
      )}
    </Box>
  );
}

/**
 * An organization: its workspaces with the health of their Deployments,
 * its members (organization role bindings), the user's own access, and
 * the actions the user may take.
 */
export function OrganizationPage() {
  const { org = '' } = useParams();
  const astroApi = useApi(astroApiRef);
  const links = useAstroLinks();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog>();
  const [workspacesVersion, setWorkspacesVersion] = useState(0);
  const organization = useAsyncRetry(
    () => astroApi.getOrganization({ path: { org } }),
    [astroApi, org],
  );
  const breadcrumbs = [
    { label: 'Airflow', href: links.overview() },
    { label: organization.value?.title || org },
  ];

  if (organization.error) {
    return (
      <AstroContent title={org} breadcrumbs={breadcrumbs}>
        <AstroErrorPanel
          error={organization.error}
          what={`organization ${org}`}
          onRetry={organization.retry}
        />
      </AstroContent>
    );
  }
  if (!organization.value) {
    return (
      <AstroContent title={org} breadcrumbs={breadcrumbs}>
        <Progress aria-label="Loading the organization" />
      </AstroContent>
    );
  }
  const current = organization.value;
  const scope = { kind: 'organization' as const, organization: org };
  const close = () => setDialog(undefined);
  return (
    <AstroContent
      title={current.title || org}
      description={current.description || `Organization ${org}`}
      breadcrumbs={breadcrumbs}
      actions={
        <OrganizationActions organization={current} onOpen={setDialog} />
      }
    >
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <OrganizationOverview
            key={workspacesVersion}
            organization={current}
          />
        </Grid>
        <Grid item xs={12} md={8}>
          <RoleBindingsCard scope={scope} />
        </Grid>
        <Grid item xs={12} md={4}>
          <YourAccessCard scope={scope} />
        </Grid>
      </Grid>
      <DetailsDialog
        open={dialog === 'create-workspace'}
        heading={`Create a workspace in ${org}`}
        withName
        submitLabel="Create workspace"
        busyLabel="Creating…"
        failure="The workspace was not created"
        onClose={close}
        onSubmit={async ({ name, title, description }) => {
          const created = await astroApi.createWorkspace({
            path: { org },
            body: {
              name: name.trim(),
              ...(title ? { title } : {}),
              ...(description ? { description } : {}),
            },
          });
          close();
          const to = links.workspace(org, created.name);
          if (to) {
            navigate(to);
          } else {
            setWorkspacesVersion(v => v + 1);
          }
        }}
      />
      <DetailsDialog
        open={dialog === 'edit'}
        heading={`Edit organization ${org}`}
        initial={{ title: current.title, description: current.description }}
        submitLabel="Save"
        busyLabel="Saving…"
        failure="The organization was not changed"
        onClose={close}
        onSubmit={async ({ title, description }) => {
          await astroApi.updateOrganization({
            path: { org },
            body: { title, description, version: current.version },
          });
          close();
          organization.retry();
        }}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete organization ${org}?`}
        confirmLabel="Delete organization"
        busyLabel="Deleting…"
        failure="The organization was not deleted"
        onClose={close}
        onConfirm={async () => {
          await astroApi.deleteOrganization({ path: { org } });
          close();
          navigate(links.overview() ?? '/');
        }}
      >
        The organization and its role bindings are removed. The backend refuses
        while it still has workspaces or dedicated clusters.
      </ConfirmDialog>
    </AstroContent>
  );
}
