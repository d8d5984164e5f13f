import { useState } from 'react';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import {
  AstroApiSchemas,
  Deployment,
  astroDeploymentUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { SLOW_POLL_MS } from '../../hooks/useDeployment';
import {
  deploymentResourceRef,
  useAstroPermission,
} from '../../hooks/useAstroPermission';
import { StatusIcon } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { statusOf } from '../common/errors';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { MonitoringError } from './MonitoringError';

type AirflowDag = AstroApiSchemas['AirflowDag'];
type Heartbeats = AstroApiSchemas['AirflowHeartbeats'];

const RUN_KIND = {
  success: 'ok',
  failed: 'error',
  running: 'running',
  queued: 'pending',
} as const;

/** "Scheduler healthy, heartbeat 4 s ago · Triggerer …". */
function HeartbeatsLine(props: { heartbeats: Heartbeats }) {
  const { heartbeats } = props;
  const components: Array<[string, Heartbeats['scheduler'] | null]> = [
    ['Scheduler', heartbeats.scheduler],
    ['Triggerer', heartbeats.triggerer],
    ['DAG processor', heartbeats.dagProcessor],
  ];
  return (
    <Typography
      variant="caption"
      component="p"
      color="textSecondary"
      aria-label="Heartbeats"
    >
      {components
        .filter(([, beat]) => beat !== null)
        .map(([name, beat], index) => (
          <span key={name}>
            {index > 0 && ' · '}
            {name} {beat!.status ?? 'never seen'}
            {beat!.latestHeartbeat && (
              <>
                , heartbeat <RelativeTime timestamp={beat!.latestHeartbeat} />
              </>
            )}
          </span>
        ))}
      {heartbeats.metadatabase &&
        ` · metadata database ${heartbeats.metadatabase}`}
    </Typography>
  );
}

/** Run counts of 24 hours and 7 days, and the latest failures with links. */
function RunSummary(props: { summary: AstroApiSchemas['AirflowRunSummary'] }) {
  const { last24h, last7d, lastFailures } = props.summary;
  return (
    <Box my={1}>
      <Typography variant="body2" aria-label="Run summary">
        Runs in 24 h: {last24h.success} ok, {last24h.failed} failed,{' '}
        {last24h.running} running, {last24h.queued} queued · in 7 days:{' '}
        {last7d.success} ok, {last7d.failed} failed
      </Typography>
      {lastFailures.length > 0 && (
        <Typography variant="body2" component="div">
          Latest failures:{' '}
          {lastFailures.slice(0, 5).map((run, index) => (
            <span key={`${run.dagId}/${run.runId}`}>
              {index > 0 && ', '}
              {run.url ? (
                <Link to={run.url} target="_blank" rel="noopener">
                  {run.dagId} {run.runId}
                </Link>
              ) : (
                `${run.dagId} ${run.runId}`
              )}
            </span>
          ))}
        </Typography>
      )}
    </Box>
  );
}

function DagRow(props: {
  dag: AirflowDag;
  canUpdate: boolean;
  busy: boolean;
  onPause: (paused: boolean) => void;
  onTrigger: () => void;
}) {
  const { dag, canUpdate, busy } = props;
  return (
    <TableRow>
      <TableCell>
        <Typography variant="body2" component="span">
          <code>{dag.dagId}</code>
        </Typography>
      </TableCell>
      <TableCell>
        <Switch
          checked={!dag.isPaused}
          disabled={!canUpdate || busy}
          onChange={(_event, active) => props.onPause(!active)}
          inputProps={{
            'aria-label': `${dag.isPaused ? 'Unpause' : 'Pause'} ${dag.dagId}`,
          }}
          size="small"
        />
        {dag.isPaused ? 'Paused' : 'Active'}
      </TableCell>
      <TableCell>{dag.schedule ?? 'None'}</TableCell>
      <TableCell>{dag.owners.join(', ')}</TableCell>
      <TableCell>
        {dag.tags.map(tag => (
          <Chip key={tag} label={tag} size="small" />
        ))}
      </TableCell>
      <TableCell>
        {dag.lastRunState ? (
          <StatusIcon kind={RUN_KIND[dag.lastRunState]}>
            {dag.lastRunState}
          </StatusIcon>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell aria-label={`Runs of ${dag.dagId} in 24 hours`}>
        {dag.runs24h.success} ok / {dag.runs24h.failed} failed
      </TableCell>
      <TableCell>
        {canUpdate && (
          <Button
            size="small"
            variant="outlined"
            disabled={busy}
            onClick={props.onTrigger}
            aria-label={`Trigger ${dag.dagId}`}
          >
            Trigger
          </Button>
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * The DAGs of the Deployment's Airflow, as the backend reads them from
 * Airflow's REST API: a table with pause toggles and Trigger buttons
 * (for those who may update the Deployment), an alert for import errors
 * and the components' heartbeats.
 */
export function AirflowDagsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const path = { org: deployment.organization, dep: deployment.name };
  const canUpdate = useAstroPermission(
    astroDeploymentUpdatePermission,
    deploymentResourceRef(deployment),
  ).allowed;
  const [busy, setBusy] = useState<string | undefined>();
  const [actionError, setActionError] = useState<Error | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const { value, error, retry } = useAsyncRetry(async () => {
    const [dags, importErrors, heartbeats, summary] = await Promise.all([
      astroApi.listAirflowDags({ path }),
      astroApi.listAirflowImportErrors({ path }),
      astroApi.getAirflowHeartbeats({ path }),
      astroApi.getAirflowRunSummary({ path }),
    ]);
    return { dags, importErrors, heartbeats, summary };
    // Read again when the Deployment's status changes (Airflow may have
    // just come up, or gone to sleep).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [astroApi, deployment.organization, deployment.name, deployment.status]);
  // "Not running" (409) is polled too: Airflow may come up any moment.
  useInterval(retry, error && statusOf(error) !== 409 ? null : SLOW_POLL_MS);

  const act = async (dagId: string, action: () => Promise<string>) => {
    setBusy(dagId);
    setActionError(undefined);
    setNotice(undefined);
    try {
      setNotice(await action());
      retry();
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };
  const pause = (dagId: string, isPaused: boolean) =>
    act(dagId, async () => {
      await astroApi.updateAirflowDag({
        path: { ...path, dagId },
        body: { isPaused },
      });
      return `${dagId} ${isPaused ? 'paused' : 'unpaused'}.`;
    });
  const trigger = (dagId: string) =>
    act(dagId, async () => {
      const run = await astroApi.triggerAirflowDagRun({
        path: { ...path, dagId },
        body: {},
      });
      return `Triggered ${run.runId} of ${dagId}.`;
    });

  let body;
  if (error && statusOf(error) === 409) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Airflow is not running, so there are no DAGs to show yet.
      </Typography>
    );
  } else if (error) {
    body = <MonitoringError error={error} what="DAGs" onRetry={retry} />;
  } else if (!value) {
    body = <Progress aria-label="Loading DAGs" />;
  } else {
    const { dags, importErrors, heartbeats, summary } = value;
    body = (
      <>
        <HeartbeatsLine heartbeats={heartbeats} />
        <RunSummary summary={summary} />
        {importErrors.items.length > 0 && (
          <Box my={1}>
            <Alert severity="error" aria-label="Import errors">
              {importErrors.items.length === 1
                ? '1 DAG file could not be imported: '
                : `${importErrors.items.length} DAG files could not be imported: `}
              {importErrors.items.map(item => item.filename).join(', ')}
            </Alert>
          </Box>
        )}
        {notice && (
          <Box my={1}>
            <Alert severity="success">{notice}</Alert>
          </Box>
        )}
        {actionError && (
          <AstroErrorPanel error={actionError} what="the DAG action" />
        )}
        {dags.items.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            Airflow has parsed no DAGs yet. Deploy DAGs to see them here.
          </Typography>
        ) : (
          <Table size="small" aria-label="DAGs">
            <TableHead>
              <TableRow>
                <TableCell>DAG</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Schedule</TableCell>
                <TableCell>Owners</TableCell>
                <TableCell>Tags</TableCell>
                <TableCell>Last run</TableCell>
                <TableCell>Runs (24 h)</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {dags.items.map(dag => (
                <DagRow
                  key={dag.dagId}
                  dag={dag}
                  canUpdate={canUpdate}
                  busy={busy === dag.dagId}
                  onPause={paused => pause(dag.dagId, paused)}
                  onTrigger={() => trigger(dag.dagId)}
                />
              ))}
            </TableBody>
          </Table>
        )}
      </>
    );
  }
  return <InfoCard title="DAGs">{body}</InfoCard>;
}
