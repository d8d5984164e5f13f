import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ComponentStatus,
  Deployment,
  astroDeploymentChannel,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { pollInterval } from '../../hooks/useDeployment';
import { usePolled } from '../../hooks/usePolled';
import { StatusIcon } from '../common/DeploymentStatus';
import { KubernetesMessage } from '../common/KubernetesMessage';
import { RelativeTime } from '../common/RelativeTime';
import { MonitoringError } from './MonitoringError';

const STATE_KIND = {
  Ready: 'ok',
  Progressing: 'running',
  Failed: 'error',
  Missing: 'warning',
} as const;

function ComponentState(props: { component: ComponentStatus }) {
  const { state, message } = props.component;
  return (
    <>
      <span style={{ whiteSpace: 'nowrap' }}>
        <StatusIcon kind={STATE_KIND[state] ?? 'pending'}>{state}</StatusIcon>
      </span>
      {message && state !== 'Ready' && <KubernetesMessage text={message} />}
    </>
  );
}

/**
 * The Airflow components (scheduler, API server, triggerer, …) and worker
 * queues of a Deployment with their replicas, as last observed on the
 * cluster.
 */
export function ComponentsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const { value, error, retry } = usePolled(
    () =>
      astroApi.getDeploymentComponents({
        path: { org: deployment.organization, dep: deployment.name },
      }),
    [astroApi, deployment.organization, deployment.name],
    (_, failed) => (failed ? null : pollInterval(deployment, false)),
    {
      liveChannel: astroDeploymentChannel(
        deployment.organization,
        deployment.name,
      ),
    },
  );

  let body;
  if (error) {
    body = <MonitoringError error={error} what="components" onRetry={retry} />;
  } else if (!value) {
    body = <Progress aria-label="Loading components" />;
  } else {
    body = (
      <>
        <Table size="small" aria-label="Components">
          <TableHead>
            <TableRow>
              <TableCell>Component</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell align="right">Ready / desired</TableCell>
              <TableCell>State</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.components.length === 0 && (
              <TableRow>
                <TableCell colSpan={4}>
                  No components on the cluster yet.
                </TableCell>
              </TableRow>
            )}
            {value.components.map(component => (
              <TableRow key={component.name}>
                <TableCell
                  component="th"
                  scope="row"
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {component.name}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {component.kind}
                </TableCell>
                <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                  {component.readyReplicas} / {component.desiredReplicas}
                </TableCell>
                <TableCell style={{ minWidth: 160, maxWidth: 480 }}>
                  <ComponentState component={component} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {value.workerQueues.length > 0 && (
          <Table
            size="small"
            aria-label="Worker queues"
            style={{ marginTop: 16 }}
          >
            <TableHead>
              <TableRow>
                <TableCell>Worker queue</TableCell>
                <TableCell align="right">Min – max</TableCell>
                <TableCell align="right">Wanted</TableCell>
                <TableCell align="right">Ready</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.workerQueues.map(queue => (
                <TableRow key={queue.name}>
                  <TableCell component="th" scope="row">
                    {queue.name}
                  </TableCell>
                  <TableCell align="right">
                    {queue.minWorkers} – {queue.maxWorkers}
                  </TableCell>
                  <TableCell align="right">{queue.desiredWorkers}</TableCell>
                  <TableCell align="right">{queue.readyWorkers}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {value.observedAt && (
          <Typography variant="caption" color="textSecondary">
            Observed <RelativeTime timestamp={value.observedAt} />
          </Typography>
        )}
      </>
    );
  }
  return <InfoCard title="Components and workers">{body}</InfoCard>;
}
