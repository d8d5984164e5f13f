import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { Deployment, HealthSample } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { SLOW_POLL_MS } from '../../hooks/useDeployment';
import { StatusIcon } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { MonitoringError } from './MonitoringError';

const BAR_WIDTH = 8;
const CHART_HEIGHT = 40;

/** Bar height by status: height, not only colour, tells them apart. */
const HEIGHT: Record<HealthSample['status'], number> = {
  HEALTHY: CHART_HEIGHT,
  UNKNOWN: CHART_HEIGHT / 2,
  UNHEALTHY: CHART_HEIGHT / 4,
};

const KIND = {
  HEALTHY: 'ok',
  UNKNOWN: 'pending',
  UNHEALTHY: 'error',
} as const;

const WORDS: Record<HealthSample['status'], string> = {
  HEALTHY: 'Healthy',
  UNKNOWN: 'Unknown',
  UNHEALTHY: 'Unhealthy',
};

/** "Healthy in 22 of 24 samples between … and …". */
export function summarizeHealth(history: HealthSample[]): string {
  if (history.length === 0) {
    return 'No health samples yet.';
  }
  const healthy = history.filter(s => s.status === 'HEALTHY').length;
  const unhealthy = history.filter(s => s.status === 'UNHEALTHY').length;
  const first = new Date(history[0].timestamp).toLocaleString();
  const last = new Date(history[history.length - 1].timestamp).toLocaleString();
  return `Healthy in ${healthy} of ${history.length} samples, unhealthy in ${unhealthy}, from ${first} to ${last}.`;
}

/**
 * The health history as bars, oldest left: a tall bar is healthy, a medium
 * one unknown, a short one unhealthy. The chart has a text summary and each
 * bar its own title.
 */
export function HealthHistoryChart(props: { history: HealthSample[] }) {
  const theme = useTheme();
  const { history } = props;
  const colour: Record<HealthSample['status'], string> = {
    HEALTHY: theme.palette.success?.main ?? '#3E8635',
    UNKNOWN: theme.palette.grey[500],
    UNHEALTHY: theme.palette.error.main,
  };
  const width = Math.max(history.length, 1) * BAR_WIDTH;
  const summary = summarizeHealth(history);
  return (
    <svg
      role="img"
      aria-label={`Health history. ${summary}`}
      viewBox={`0 0 ${width} ${CHART_HEIGHT}`}
      preserveAspectRatio="none"
      width="100%"
      height={CHART_HEIGHT * 1.5}
    >
      {history.map((sample, index) => (
        <rect
          key={`${sample.timestamp}-${index}`}
          x={index * BAR_WIDTH + 1}
          y={CHART_HEIGHT - HEIGHT[sample.status]}
          width={BAR_WIDTH - 2}
          height={HEIGHT[sample.status]}
          fill={colour[sample.status]}
        >
          <title>
            {`${new Date(sample.timestamp).toLocaleString()}: ${
              WORDS[sample.status]
            }`}
          </title>
        </rect>
      ))}
    </svg>
  );
}

function HealthTable(props: { history: HealthSample[] }) {
  const rows = [...props.history].reverse();
  return (
    <Table size="small" aria-label="Health history">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Airflow components</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((sample, index) => (
          <TableRow key={`${sample.timestamp}-${index}`}>
            <TableCell>
              <RelativeTime timestamp={sample.timestamp} />
            </TableCell>
            <TableCell>{WORDS[sample.status]}</TableCell>
            <TableCell>
              {Object.entries(sample.components)
                .map(([name, health]) => `${name}: ${health}`)
                .join(', ') || '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Current Airflow health and its recent history. */
export function HealthHistoryCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const [asTable, setAsTable] = useState(false);
  const { value, error, retry } = useAsyncRetry(
    () =>
      astroApi.getDeploymentHealth({
        path: { org: deployment.organization, dep: deployment.name },
      }),
    [astroApi, deployment.organization, deployment.name],
  );
  useInterval(retry, error ? null : SLOW_POLL_MS);

  let body;
  if (error) {
    body = <MonitoringError error={error} what="health" onRetry={retry} />;
  } else if (!value) {
    body = <Progress aria-label="Loading health" />;
  } else {
    const current = value.current;
    body = (
      <>
        {current && (
          <Box mb={1}>
            <StatusIcon kind={KIND[current.status]}>
              Now {WORDS[current.status].toLowerCase()}
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
        )}
        {value.history.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No health samples yet.
          </Typography>
        ) : (
          <>
            <HealthHistoryChart history={value.history} />
            <Typography variant="caption" component="p" color="textSecondary">
              Oldest left, newest right. Tall bar: healthy; half bar: unknown;
              short bar: unhealthy. {summarizeHealth(value.history)}
            </Typography>
            <Button
              size="small"
              onClick={() => setAsTable(!asTable)}
              aria-expanded={asTable}
            >
              {asTable ? 'Hide table' : 'Show as table'}
            </Button>
            {asTable && <HealthTable history={value.history} />}
          </>
        )}
      </>
    );
  }
  return <InfoCard title="Health">{body}</InfoCard>;
}
