import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import {
  AstroEvent,
  Deployment,
  astroDeploymentChannel,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { pollInterval } from '../../hooks/useDeployment';
import { usePolled } from '../../hooks/usePolled';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { RelativeTime } from '../common/RelativeTime';
import { actorName } from '../common/format';

const PAGE_SIZE = 20;

/**
 * The history of a Deployment, newest first: changes people made (audited)
 * and status changes the platform observed.
 */
export function EventsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const [older, setOlder] = useState<AstroEvent[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const latest = usePolled(
    async () => {
      const page = await astroApi.listDeploymentEvents({
        path: { org: deployment.organization, dep: deployment.name },
        query: { limit: PAGE_SIZE },
      });
      setCursor(current => current ?? page.nextCursor);
      return page.items;
    },
    [astroApi, deployment.organization, deployment.name],
    (_, failed) => (failed ? null : pollInterval(deployment, false)),
    {
      liveChannel: astroDeploymentChannel(
        deployment.organization,
        deployment.name,
      ),
    },
  );
  const [more, loadMore] = useAsyncFn(async () => {
    if (!cursor) {
      return;
    }
    const page = await astroApi.listDeploymentEvents({
      path: { org: deployment.organization, dep: deployment.name },
      query: { limit: PAGE_SIZE, cursor },
    });
    setOlder(events => [...events, ...page.items]);
    setCursor(page.nextCursor);
  }, [astroApi, cursor, deployment.organization, deployment.name]);

  let body;
  if (latest.error) {
    body = (
      <AstroErrorPanel
        error={latest.error}
        what="the events"
        onRetry={latest.retry}
      />
    );
  } else if (!latest.value) {
    body = <Progress aria-label="Loading events" />;
  } else {
    const seen = new Set(latest.value.map(e => e.id));
    const events = [...latest.value, ...older.filter(e => !seen.has(e.id))];
    body = (
      <>
        {events.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            Nothing has happened yet.
          </Typography>
        )}
        <List dense aria-label="Events">
          {events.map(event => (
            <ListItem key={event.id} divider>
              <ListItemText
                primary={event.message}
                secondary={
                  <>
                    <RelativeTime timestamp={event.createdAt} /> ·{' '}
                    {actorName(event.actor)} · {event.action}
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
        {more.error && (
          <Typography color="error" variant="body2" role="alert">
            Older events could not be loaded: {more.error.message}
          </Typography>
        )}
        {cursor && (
          <Button onClick={loadMore} disabled={more.loading}>
            {more.loading ? 'Loading…' : 'Show older events'}
          </Button>
        )}
      </>
    );
  }
  return <InfoCard title="Events">{body}</InfoCard>;
}
