import { StructuredMetadataTable } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  AstroApiSchemas,
  Deployment,
} from '@airflow-portal/plugin-astro-common';
import { ChangesTable } from '../DeploymentForm/ChangesTable';
import { diffDeployment } from '../DeploymentForm/diff';

/** What a dry run of an import answered, and the Deployment it replaces. */
export interface ImportPlan {
  result: AstroApiSchemas['ImportResult'];
  /** The Deployment as it is now, for a replace. */
  current?: Deployment;
}

function summaryOf(deployment: Deployment): Record<string, unknown> {
  const { settings } = deployment;
  return {
    'Airflow version': settings.airflowVersion,
    Executor: settings.executor === 'CELERY' ? 'Celery' : 'Kubernetes',
    Scheduler: `${settings.schedulerSize.toLowerCase()}${
      settings.highAvailability ? ', high availability' : ''
    }`,
    'Worker queues':
      settings.workerQueues.length === 0
        ? 'none'
        : settings.workerQueues.map(
            q =>
              `${q.name}: ${q.workerSize}, ${q.minWorkers}–${q.maxWorkers} workers`,
          ),
    'Environment variables': settings.environmentVariables.length,
  };
}

/**
 * What importing a file will do: create a Deployment (where, and with
 * which main settings) or replace the settings of an existing one (the
 * changes, setting by setting). `workspace` is the workspace the dialog
 * was opened from; a file for another one is pointed out.
 */
export function ImportPreview(props: { plan: ImportPlan; workspace?: string }) {
  const { plan, workspace } = props;
  const { deployment, created } = plan.result;
  const elsewhere =
    workspace && workspace !== deployment.workspace ? (
      <Box mb={2}>
        <Alert severity="warning">
          The file names workspace <strong>{deployment.workspace}</strong>, not{' '}
          {workspace}: the import goes there. Change{' '}
          <code>metadata.workspace</code> in the file to import it here.
        </Alert>
      </Box>
    ) : null;

  if (created) {
    return (
      <>
        {elsewhere}
        <Typography gutterBottom>
          Creates Deployment <strong>{deployment.name}</strong> in workspace{' '}
          <strong>{deployment.workspace}</strong> on cluster{' '}
          <strong>{deployment.cluster}</strong>, with these settings:
        </Typography>
        <StructuredMetadataTable metadata={summaryOf(deployment)} dense />
      </>
    );
  }

  const changes = plan.current
    ? diffDeployment(plan.current, deployment, [])
    : [];
  return (
    <>
      {elsewhere}
      <Typography gutterBottom>
        Replaces the settings of the existing Deployment{' '}
        <strong>{deployment.name}</strong> in workspace{' '}
        <strong>{deployment.workspace}</strong>. Settings the file leaves out
        return to their defaults; secret variables without a value keep theirs.
      </Typography>
      {changes.length === 0 ? (
        <Typography>
          Nothing changes: the file matches the Deployment.
        </Typography>
      ) : (
        <ChangesTable changes={changes} afterLabel="After the import" />
      )}
    </>
  );
}
