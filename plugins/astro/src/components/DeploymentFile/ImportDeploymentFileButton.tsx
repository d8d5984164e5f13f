import { useState } from 'react';
import Button from '@material-ui/core/Button';
import PublishIcon from '@material-ui/icons/Publish';
import { astroDeploymentCreatePermission } from '@airflow-portal/plugin-astro-common';
import {
  useAstroPermission,
  workspaceResourceRef,
} from '../../hooks/useAstroPermission';
import { ImportDeploymentFileDialog } from './ImportDeploymentFileDialog';

/**
 * "Import deployment file" on a workspace, for those who may create
 * Deployments in it (replacing an existing Deployment's settings is checked
 * by the backend against the update permission on that Deployment).
 */
export function ImportDeploymentFileButton(props: {
  organization: string;
  workspace: string;
}) {
  const { organization, workspace } = props;
  const [open, setOpen] = useState(false);
  const { allowed } = useAstroPermission(
    astroDeploymentCreatePermission,
    workspaceResourceRef(organization, workspace),
  );
  if (!allowed) {
    return null;
  }
  return (
    <>
      <Button
        variant="outlined"
        startIcon={<PublishIcon />}
        onClick={() => setOpen(true)}
      >
        Import deployment file
      </Button>
      <ImportDeploymentFileDialog
        organization={organization}
        workspace={workspace}
        open={open}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
