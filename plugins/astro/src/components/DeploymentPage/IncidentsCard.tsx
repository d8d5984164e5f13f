import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { Deployment, Incident } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { SLOW_POLL_MS } from '../../hooks/useDeployment';
import { StatusIcon } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { MonitoringError } from './MonitoringError';

function kindOf(incident: Incident) {
  if (incident.state !== 'open') {
    return 'ok';
  }
  return incident.severity === 'critical' ? 'error' : 'warning';
}

function IncidentItem(props: { incident: Incident }) {
  const { incident } = props;
  const open = incident.state === 'open';
  return (
    <ListItem divider alignItems="flex-start">
      <ListItemText
        disableTypography
        primary={
          <Box display="flex" flexWrap="wrap" alignItems="baseline">
            <Box mr={1}>
              <StatusIcon kind={kindOf(incident)}>
                {open
                  ? `Open, ${incident.severity}`
                  : `Resolved (was ${incident.severity})`}
              </StatusIcon>
            </Box>
            <Typography variant="subtitle2" component="span">
              {incident.title}
            </Typography>
          </Box>
        }
        secondary={
          <Typography variant="body2" color="textSecondary" component="div">
            {incident.message}
            <br />
            {incident.component && `${incident.component} · `}
            opened <RelativeTime timestamp={incident.openedAt} />
            {incident.resolvedAt && (
              <>
                {' '}
                · resolved <RelativeTime timestamp={incident.resolvedAt} />
              </>
            )}
          </Typography>
        }
      />
    </ListItem>
  );
}

/** Open and resolved incidents of a Deployment, open ones first. */
export function IncidentsList(props: { incidents: Incident[] }) {
  const open = props.incidents.filter(i => i.state === 'open');
  const resolved = props.incidents.filter(i => i.state !== 'open');
  if (props.incidents.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No incidents: nothing has gone wrong so far.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        Open ({open.length})
      </Typography>
      {open.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          None open.
        </Typography>
      ) : (
        <List dense aria-label="Open incidents">
          {open.map(incident => (
            <IncidentItem key={incident.id} incident={incident} />
          ))}
        </List>
      )}
      <Typography variant="subtitle2" component="h3" style={{ marginTop: 8 }}>
        Resolved ({resolved.length})
      </Typography>
      {resolved.length > 0 && (
        <List dense aria-label="Resolved incidents">
          {resolved.map(incident => (
            <IncidentItem key={incident.id} incident={incident} />
          ))}
        </List>
      )}
    </>
  );
}

/** Incidents of a Deployment, refreshed now and then. */
export function IncidentsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const { value, error, retry } = useAsyncRetry(
    async () =>
      (
        await astroApi.listDeploymentIncidents({
          path: { org: deployment.organization, dep: deployment.name },
        })
      ).items,
    [astroApi, deployment.organization, deployment.name],
  );
  useInterval(retry, error ? null : SLOW_POLL_MS);
  let body;
  if (error) {
    body = <MonitoringError error={error} what="incidents" onRetry={retry} />;
  } else if (!value) {
    body = <Progress aria-label="Loading incidents" />;
  } else {
    body = <IncidentsList incidents={value} />;
  }
  return <InfoCard title="Incidents">{body}</InfoCard>;
}
