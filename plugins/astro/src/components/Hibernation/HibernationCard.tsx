import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  Deployment,
  astroDeploymentUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  deploymentResourceRef,
  useAstroPermission,
} from '../../hooks/useAstroPermission';
import Alert from '@material-ui/lab/Alert';
import { messageOf } from '../common/errors';
import { describeCron, formatMoment } from './describeCron';

/**
 * Whether a Deployment hibernates, why, and when it next sleeps or wakes
 * (as the backend planned it), its schedules in words, and, for whoever may
 * update it, a Hibernate / Wake up button that overrides the schedules
 * until a chosen time or until the override is removed.
 */
export function HibernationCard(props: {
  deployment: Deployment;
  onChange?: () => void;
}) {
  const { deployment, onChange } = props;
  const astroApi = useApi(astroApiRef);
  const canUpdate = useAstroPermission(
    astroDeploymentUpdatePermission,
    deploymentResourceRef(deployment),
  ).allowed;
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const state = deployment.hibernation;
  const schedules = deployment.settings.hibernation.schedules;
  const hibernating = state?.isHibernating ?? false;
  const path = { org: deployment.organization, dep: deployment.name };
  const highAvailability = deployment.settings.highAvailability;

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setUntil('');
      onChange?.();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const override = () =>
    run(() =>
      astroApi.setHibernationOverride({
        path,
        body: {
          isHibernating: !hibernating,
          ...(until ? { overrideUntil: new Date(until).toISOString() } : {}),
        },
      }),
    );

  return (
    <InfoCard title="Hibernation">
      <Typography variant="body1" role="status" aria-label="Hibernation state">
        {/* The backend's reason already says "Awake…" or "Hibernating…". */}
        {state ? state.reason : 'Not known yet'}
      </Typography>
      {state?.override && (
        <Typography variant="body2" color="textSecondary">
          Override by {state.override.createdBy}
          {state.override.overrideUntil
            ? ` until ${formatMoment(state.override.overrideUntil)}`
            : ' until removed'}
        </Typography>
      )}
      {state && state.nextTransitions.length > 0 && (
        <List dense aria-label="Next transitions">
          {state.nextTransitions.map(t => (
            <ListItem key={`${t.at}-${t.action}`} disableGutters>
              <ListItemText
                primary={`${
                  t.action === 'HIBERNATE' ? 'Hibernates' : 'Wakes up'
                } ${formatMoment(t.at)}`}
              />
            </ListItem>
          ))}
        </List>
      )}
      {schedules.length > 0 ? (
        <List dense aria-label="Hibernation schedules">
          {schedules.map((s, index) => (
            <ListItem key={index} disableGutters>
              <ListItemText
                primary={`${s.description || `Schedule ${index + 1}`}${
                  s.enabled ? '' : ' (disabled)'
                }`}
                secondary={`Sleeps: ${
                  describeCron(s.hibernateAt) ?? s.hibernateAt
                } · Wakes: ${describeCron(s.wakeAt) ?? s.wakeAt} · ${
                  s.timeZone
                }`}
              />
            </ListItem>
          ))}
        </List>
      ) : (
        <Typography variant="body2" color="textSecondary" paragraph>
          No hibernation schedules; add them in the settings.
        </Typography>
      )}
      {canUpdate && deployment.status !== 'DELETING' && (
        <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={8}>
          <TextField
            id="astro-hibernation-until"
            label={hibernating ? 'Stay awake until' : 'Hibernate until'}
            type="datetime-local"
            size="small"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
            value={until}
            helperText="Empty: until the override is removed"
            onChange={e => setUntil(e.target.value)}
          />
          <Button
            variant="outlined"
            disabled={busy || (!hibernating && highAvailability)}
            onClick={override}
          >
            {hibernating ? 'Wake up' : 'Hibernate'}
          </Button>
          {state?.override && (
            <Button
              disabled={busy}
              onClick={() =>
                run(() => astroApi.deleteHibernationOverride({ path }))
              }
            >
              Remove override
            </Button>
          )}
          {!hibernating && highAvailability && (
            <Typography variant="body2" color="textSecondary">
              A Deployment with high availability does not hibernate.
            </Typography>
          )}
        </Box>
      )}
      {error && (
        <Alert severity="error" role="alert">
          The hibernation override was not changed: {error}
        </Alert>
      )}
    </InfoCard>
  );
}
