import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
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

const conditionOf = (deployment: Deployment, type: string) =>
  deployment.conditions.find(c => c.type === type);

/**
 * Warnings about the Airflow release a Deployment runs: a deprecated or
 * end-of-life release (the `AirflowVersionSupported` condition), and a
 * move to another release held by a failed migration Job (the
 * `DatabaseMigration` condition, with the Job's log tail), with a retry
 * for those who may change the Deployment.
 */
export function AirflowVersionNotices(props: {
  deployment: Deployment;
  onChange?: () => void;
}) {
  const { deployment, onChange } = props;
  const astroApi = useApi(astroApiRef);
  const canUpdate = useAstroPermission(
    astroDeploymentUpdatePermission,
    deploymentResourceRef(deployment),
  ).allowed;
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<string>();
  const supported = conditionOf(deployment, 'AirflowVersionSupported');
  const migration = conditionOf(deployment, 'DatabaseMigration');
  const failed =
    migration?.status === 'False' && migration.reason === 'MigrationFailed';
  const unsupported = supported?.status === 'False';
  if (!unsupported && !failed) {
    return null;
  }

  const retry = async () => {
    setRetrying(true);
    setRetryError(undefined);
    try {
      await astroApi.retryDatabaseMigration({
        path: { org: deployment.organization, dep: deployment.name },
      });
      onChange?.();
    } catch (e) {
      setRetryError(messageOf(e));
    } finally {
      setRetrying(false);
    }
  };

  const [summary, ...log] = (migration?.message ?? '').split('\n');
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mb={3}>
      {unsupported && (
        <Alert severity="warning" aria-label="Airflow version warning">
          <AlertTitle>
            {supported.reason === 'EndOfLife'
              ? 'Airflow version past end of life'
              : 'Deprecated Airflow version'}
          </AlertTitle>
          {supported.message}
        </Alert>
      )}
      {failed && (
        <Alert
          severity="error"
          aria-label="Database migration failed"
          action={
            canUpdate ? (
              <Button color="inherit" disabled={retrying} onClick={retry}>
                Retry migration
              </Button>
            ) : undefined
          }
        >
          <AlertTitle>Database migration failed</AlertTitle>
          {summary}
          {log.length > 0 && (
            <Box
              component="pre"
              mt={1}
              mb={0}
              style={{ whiteSpace: 'pre-wrap', fontSize: '0.8em' }}
            >
              {log.join('\n')}
            </Box>
          )}
          {retryError && <Box mt={1}>{retryError}</Box>}
        </Alert>
      )}
    </Box>
  );
}
