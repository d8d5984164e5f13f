import { KubernetesMessage } from '../common/KubernetesMessage';
import { useState } from 'react';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  astroDeploymentChannel,
  astroDeploymentUpdatePermission,
  Deployment,
  Incident,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  deploymentResourceRef,
  useAstroPermission,
} from '../../hooks/useAstroPermission';
import { SLOW_POLL_MS } from '../../hooks/useDeployment';
import { usePolled } from '../../hooks/usePolled';
import { StatusIcon } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { MonitoringError } from './MonitoringError';

function kindOf(incident: Incident) {
  if (incident.state !== 'open') {
    return 'ok';
  }
  return incident.severity === 'critical' ? 'error' : 'warning';
}

/** What the user can do to an incident from the list. */
interface IncidentActions {
  /** Present when the user may acknowledge incidents. */
  onAcknowledge?: (incident: Incident) => void;
  /** The incident being acknowledged. */
  busy?: string;
}

function IncidentItem(props: { incident: Incident } & IncidentActions) {
  const { incident, onAcknowledge, busy } = props;
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
            <Box ml={1}>
              <Typography variant="caption" color="textSecondary">
                {incident.kind}
                {incident.subject && ` · ${incident.subject}`}
              </Typography>
            </Box>
          </Box>
        }
        secondary={
          <Typography variant="body2" color="textSecondary" component="div">
            <KubernetesMessage text={incident.message} variant="body2" />
            {incident.link && (
              <>
                {' '}
                <Link to={incident.link} target="_blank" rel="noopener">
                  Look into it
                </Link>
              </>
            )}
            <br />
            opened <RelativeTime timestamp={incident.openedAt} />
            {incident.resolvedAt && (
              <>
                {' '}
                · resolved <RelativeTime timestamp={incident.resolvedAt} />
              </>
            )}
            {incident.acknowledgedAt && (
              <>
                {' '}
                · acknowledged by {incident.acknowledgedBy}{' '}
                <RelativeTime timestamp={incident.acknowledgedAt} />
              </>
            )}
            {open && !incident.acknowledgedAt && onAcknowledge && (
              <Box mt={0.5}>
                <Button
                  size="small"
                  variant="outlined"
                  disabled={busy === incident.id}
                  onClick={() => onAcknowledge(incident)}
                  aria-label={`Acknowledge ${incident.title}`}
                >
                  Acknowledge
                </Button>
              </Box>
            )}
          </Typography>
        }
      />
    </ListItem>
  );
}

/** Open and resolved incidents of a Deployment, open ones first. */
export function IncidentsList(
  props: { incidents: Incident[] } & IncidentActions,
) {
  const { incidents, ...actions } = props;
  const open = incidents.filter(i => i.state === 'open');
  const resolved = incidents.filter(i => i.state !== 'open');
  if (incidents.length === 0) {
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
            <IncidentItem key={incident.id} incident={incident} {...actions} />
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

/**
 * Incidents of a Deployment, refreshed when the backend signals a change
 * (and now and then); those who may update
 * the Deployment acknowledge open ones.
 */
export function IncidentsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const path = { org: deployment.organization, dep: deployment.name };
  const canAcknowledge = useAstroPermission(
    astroDeploymentUpdatePermission,
    deploymentResourceRef(deployment),
  ).allowed;
  const [busy, setBusy] = useState<string | undefined>();
  const [actionError, setActionError] = useState<Error | undefined>();
  const { value, error, retry } = usePolled(
    async () => (await astroApi.listDeploymentIncidents({ path })).items,
    [astroApi, deployment.organization, deployment.name],
    (_, failed) => (failed ? null : SLOW_POLL_MS),
    {
      liveChannel: astroDeploymentChannel(
        deployment.organization,
        deployment.name,
      ),
    },
  );
  const acknowledge = async (incident: Incident) => {
    setBusy(incident.id);
    setActionError(undefined);
    try {
      await astroApi.acknowledgeDeploymentIncident({
        path: { ...path, incidentId: incident.id },
      });
      retry();
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };
  let body;
  if (error) {
    body = <MonitoringError error={error} what="incidents" onRetry={retry} />;
  } else if (!value) {
    body = <Progress aria-label="Loading incidents" />;
  } else {
    body = (
      <IncidentsList
        incidents={value}
        busy={busy}
        onAcknowledge={canAcknowledge ? acknowledge : undefined}
      />
    );
  }
  return (
    <InfoCard title="Incidents">
      {actionError && (
        <Typography role="alert" color="error" variant="body2">
          Could not acknowledge: {actionError.message}
        </Typography>
      )}
      {body}
    </InfoCard>
  );
}
