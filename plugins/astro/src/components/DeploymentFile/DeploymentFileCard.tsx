import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import PublishIcon from '@material-ui/icons/Publish';
import {
  Deployment,
  astroDeploymentUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  deploymentResourceRef,
  useAstroPermission,
} from '../../hooks/useAstroPermission';
import { messageOf } from '../common/errors';
import { saveTextFile } from './download';
import { ImportDeploymentFileDialog } from './ImportDeploymentFileDialog';
import { exportFileName } from './model';

/**
 * The Deployment as code: export its deployment file (anyone who can see
 * the Deployment) and import a changed one (those who may change it).
 */
export function DeploymentFileCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const alertApi = useApi(alertApiRef);
  const [exporting, setExporting] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const canUpdate = useAstroPermission(
    astroDeploymentUpdatePermission,
    deploymentResourceRef(deployment),
  ).allowed;

  const exportFile = async () => {
    setExporting(true);
    try {
      const yaml = await astroApi.exportDeployment({
        path: { org: deployment.organization, dep: deployment.name },
      });
      saveTextFile(exportFileName(deployment.name), yaml, 'application/yaml');
    } catch (error) {
      alertApi.post({
        message: `The deployment file was not exported: ${messageOf(error)}`,
        severity: 'error',
      });
    } finally {
      setExporting(false);
    }
  };

  return (
    <InfoCard title="Deployment file">
      <Typography paragraph>
        The settings of this Deployment as a YAML file to keep in Git, review
        and import again, here or as a new Deployment.{' '}
        <strong>Secret values are not included</strong>: secret variables keep
        their key without a value, and importing the file keeps the values they
        have.
      </Typography>
      <Box display="flex" flexWrap="wrap" gridGap={8}>
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={exportFile}
          disabled={exporting}
        >
          {exporting ? 'Exporting…' : 'Export deployment file'}
        </Button>
        {canUpdate && (
          <Button
            variant="outlined"
            startIcon={<PublishIcon />}
            onClick={() => setImportOpen(true)}
          >
            Import deployment file
          </Button>
        )}
      </Box>
      <ImportDeploymentFileDialog
        organization={deployment.organization}
        workspace={deployment.workspace}
        open={importOpen}
        onClose={() => setImportOpen(false)}
      />
    </InfoCard>
  );
}
