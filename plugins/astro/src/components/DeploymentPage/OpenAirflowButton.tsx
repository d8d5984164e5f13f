import { useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import Alert from '@material-ui/lab/Alert';
import {
  ComponentStatus,
  Deployment,
  astroDeploymentChannel,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { FAST_POLL_MS, SLOW_POLL_MS } from '../../hooks/useDeployment';
import { usePolled } from '../../hooks/usePolled';
import { messageOf } from '../common/errors';

/**
 * The components that serve the Airflow UI, Airflow 3's and Airflow 2's,
 * as the reasons name them.
 */
const UI_COMPONENTS: Record<string, string> = {
  'api-server': "Airflow's API server",
  webserver: "Airflow's webserver",
};

/** Whether the Airflow UI can serve a person, and what serves it. */
export interface AirflowUiReadiness {
  ready: boolean;
  /** How the reasons name the component: "Airflow's API server". */
  server: string;
}

/**
 * Whether the Airflow UI can serve a person: its api-server (webserver
 * before Airflow 3) has at least one Ready replica.
 */
export function airflowUiReadiness(
  components: ComponentStatus[],
): AirflowUiReadiness {
  const servers = components.filter(c => c.name in UI_COMPONENTS);
  return {
    ready: servers.some(c => c.readyReplicas > 0),
    server: UI_COMPONENTS[servers[0]?.name ?? 'api-server'],
  };
}

/** Why "Open Airflow" is disabled, or nothing when it is not. */
export function openAirflowDisabledReason(options: {
  hasUrl: boolean;
  readiness?: AirflowUiReadiness;
  error?: Error;
}): string | undefined {
  const { hasUrl, readiness, error } = options;
  if (!hasUrl) {
    return 'No Airflow address configured for this cluster';
  }
  if (readiness) {
    return readiness.ready ? undefined : `${readiness.server} is not ready yet`;
  }
  if (error) {
    return `Could not check whether Airflow's API server is ready: ${messageOf(
      error,
    )}`;
  }
  return "Checking whether Airflow's API server is ready…";
}

/**
 * Shows a neutral page in the tab opened for Airflow while the sign-in
 * link is signed.
 */
function showWaiting(tab: Window) {
  try {
    tab.document.title = 'Opening Airflow…';
    tab.document.body.textContent = 'Signing you in to Airflow…';
  } catch {
    // Nothing to show: the tab is not ours to write to.
  }
}

/**
 * "Open Airflow": signs the user in to the Deployment's Airflow with their
 * portal identity. Enabled once the Deployment has an Airflow address and
 * its api-server (webserver) is ready; until then it is disabled and says
 * why, next to it and in a tooltip. A click
 * opens a tab at once (so that pop-up blockers allow it), asks the backend
 * for a one-minute sign-in link, and sends the tab there.
 */
export function OpenAirflowButton(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const reasonId = useId();
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string>();
  const path = { org: deployment.organization, dep: deployment.name };
  const hasUrl = Boolean(deployment.airflowUrl);
  const readiness = usePolled(
    async () =>
      hasUrl
        ? airflowUiReadiness(
            (await astroApi.getDeploymentComponents({ path })).components,
          )
        : undefined,
    [astroApi, deployment.organization, deployment.name, hasUrl],
    value => {
      if (!hasUrl) {
        return null;
      }
      return value?.ready ? SLOW_POLL_MS : FAST_POLL_MS;
    },
    {
      liveChannel: astroDeploymentChannel(
        deployment.organization,
        deployment.name,
      ),
    },
  );

  const reason = openAirflowDisabledReason({
    hasUrl,
    readiness: readiness.value,
    error: readiness.error,
  });

  const open = async () => {
    setError(undefined);
    // Opened synchronously in the click, before any request: a tab opened
    // after an await counts as a pop-up and is blocked.
    const tab = window.open('', '_blank');
    if (!tab) {
      setError(
        'The browser blocked the new tab; allow pop-ups for the portal and try again.',
      );
      return;
    }
    tab.opener = null;
    showWaiting(tab);
    setOpening(true);
    try {
      const session = await astroApi.createAirflowSession({ path });
      tab.location.href = session.loginUrl;
    } catch (e) {
      tab.close();
      setError(messageOf(e));
    } finally {
      setOpening(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        {/* A disabled button gets no pointer events: the tooltip is on
            its wrapper. */}
        <Tooltip title={reason ?? ''} disableHoverListener={!reason}>
          <span>
            <Button
              variant={reason ? 'outlined' : 'contained'}
              color="primary"
              disabled={Boolean(reason) || opening}
              onClick={open}
              startIcon={<OpenInNewIcon />}
              aria-describedby={reason ? reasonId : undefined}
            >
              Open Airflow
            </Button>
          </span>
        </Tooltip>
        {reason && (
          <Typography id={reasonId} variant="caption" color="textSecondary">
            {reason}
          </Typography>
        )}
      </Box>
      {error && (
        <Alert
          severity="error"
          role="alert"
          onClose={() => setError(undefined)}
        >
          Airflow could not be opened: {error}
        </Alert>
      )}
    </Box>
  );
}
