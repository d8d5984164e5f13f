import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import {
  Deployment,
  DeploymentHealth,
  DeploymentHistory,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../../api';
import { SLOW_POLL_MS } from '../../../hooks/useDeployment';
import { StatusIcon } from '../../common/DeploymentStatus';
import { RelativeTime } from '../../common/RelativeTime';
import { MonitoringError } from '../MonitoringError';
import { HistoryCharts } from './HistoryCharts';
import {
  formatAge,
  formatBucket,
  HISTORY_RANGES,
  HistoryRangeKey,
} from './historySeries';

const KIND = { HEALTHY: 'ok', UNKNOWN: 'pending', UNHEALTHY: 'error' } as const;

/** Airflow's own health now, from the latest health sample. */
function CurrentHealth(props: { health?: DeploymentHealth }) {
  const current = props.health?.current;
  if (!current) {
    return null;
  }
  return (
    <Box mb={1} aria-label="Airflow health now">
      <StatusIcon kind={KIND[current.status]}>
        Airflow now {current.status.toLowerCase()}
      </StatusIcon>
      <Typography variant="caption" color="textSecondary">
        {Object.entries(current.components)
          .map(([name, health]) => `${name}: ${health}`)
          .join(' · ')}
        {current.schedulerHeartbeat && (
          <>
            {' '}
            · scheduler heartbeat{' '}
            <RelativeTime timestamp={current.schedulerHeartbeat} />
          </>
        )}
      </Typography>
    </Box>
  );
}

const orDash = (value: number | undefined) =>
  value === undefined ? '—' : String(value);

/** The points as a table, newest first: every series, for reading. */
function HistoryTable(props: { history: DeploymentHistory; rangeMs: number }) {
  const points = [...props.history.points].reverse();
  return (
    <Table size="small" aria-label="History points">
      <TableHead>
        <TableRow>
          <TableCell>Bucket</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Healthy passes</TableCell>
          <TableCell>Runs ok / failed</TableCell>
          <TableCell>Workers ready / wanted</TableCell>
          <TableCell>Scheduler heartbeat age</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {points.map(point => (
          <TableRow key={point.bucketStart}>
            <TableCell>
              {formatBucket(Date.parse(point.bucketStart), props.rangeMs)}
            </TableCell>
            <TableCell>{point.status ?? '—'}</TableCell>
            <TableCell>
              {point.healthyObservations} / {point.observations}
            </TableCell>
            <TableCell>
              {point.dagRunsSuccess} / {point.dagRunsFailed}
            </TableCell>
            <TableCell>
              {orDash(point.workersReady)} / {orDash(point.workersDesired)}
            </TableCell>
            <TableCell>
              {point.schedulerHeartbeatAgeSeconds === undefined
                ? '—'
                : formatAge(point.schedulerHeartbeatAgeSeconds)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The Deployment's history over 24 hours, 7 or 30 days: health, finished
 * DAG runs, worker replicas and the scheduler's heartbeat age, each chart
 * with a text summary; with Airflow's own health now on top.
 */
export function HistoryCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const [range, setRange] = useState<HistoryRangeKey>('24h');
  const [asTable, setAsTable] = useState(false);
  const rangeMs = HISTORY_RANGES[range].ms;
  const { organization: org, name: dep } = deployment;
  const history = useAsyncRetry(
    () =>
      astroApi.getDeploymentHistory({
        path: { org, dep },
        query: { since: new Date(Date.now() - rangeMs).toISOString() },
      }),
    [astroApi, org, dep, rangeMs],
  );
  const health = useAsyncRetry(
    () => astroApi.getDeploymentHealth({ path: { org, dep } }),
    [astroApi, org, dep],
  );
  useInterval(
    () => {
      history.retry();
      health.retry();
    },
    history.error ? null : SLOW_POLL_MS,
  );

  let body;
  if (history.error) {
    body = (
      <MonitoringError
        error={history.error}
        what="history"
        onRetry={history.retry}
      />
    );
  } else if (!history.value) {
    body = <Progress aria-label="Loading history" />;
  } else if (history.value.points.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No history in {HISTORY_RANGES[range].words} yet. The monitoring pass
        adds a point at its next observation of this Deployment (it observes
        every Deployment about once a minute) and counts DAG runs as they
        finish; points cover {history.value.bucketMinutes} minutes each and are
        kept {history.value.retentionDays} days.
      </Typography>
    );
  } else {
    body = (
      <>
        <HistoryCharts history={history.value} rangeMs={rangeMs} />
        <Typography variant="caption" color="textSecondary" component="p">
          Oldest left. Each point covers {history.value.bucketMinutes} minutes;
          history is kept {history.value.retentionDays} days.
        </Typography>
        <Button
          size="small"
          onClick={() => setAsTable(!asTable)}
          aria-expanded={asTable}
        >
          {asTable ? 'Hide table' : 'Show as table'}
        </Button>
        {asTable && <HistoryTable history={history.value} rangeMs={rangeMs} />}
      </>
    );
  }
  return (
    <InfoCard
      title="History"
      action={
        <Box mt={1} mr={1}>
          <ButtonGroup size="small" aria-label="History range">
            {(Object.keys(HISTORY_RANGES) as HistoryRangeKey[]).map(key => (
              <Button
                key={key}
                aria-pressed={key === range}
                aria-label={HISTORY_RANGES[key].words}
                color={key === range ? 'primary' : 'default'}
                variant={key === range ? 'contained' : 'outlined'}
                disableElevation
                onClick={() => setRange(key)}
              >
                {HISTORY_RANGES[key].label}
              </Button>
            ))}
          </ButtonGroup>
        </Box>
      }
    >
      <section aria-label="Deployment history">
        {health.value && <CurrentHealth health={health.value} />}
        {body}
      </section>
    </InfoCard>
  );
}
