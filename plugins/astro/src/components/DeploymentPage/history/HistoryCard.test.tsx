import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DeploymentHistory } from '@airflow-portal/plugin-astro-common';
import {
  astroHttp,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../../__testUtils__/deploymentPage';

const server = setupAstroServer();
const MIN = 60_000;

/** A served history: `points` in a range ending now. */
function served(
  points: DeploymentHistory['points'],
  rangeMs = 24 * 60 * MIN,
  bucketMinutes = 5,
): DeploymentHistory {
  const until = Date.now();
  return {
    since: new Date(until - rangeMs).toISOString(),
    until: new Date(until).toISOString(),
    bucketMinutes,
    retentionDays: 30,
    points,
  };
}

const bucket = (minutesAgo: number) =>
  new Date(
    Math.floor((Date.now() - minutesAgo * MIN) / (5 * MIN)) * 5 * MIN,
  ).toISOString();

/** Serves the history, recording the `since` of each request. */
function serveHistory(answer: (sinceMs: number) => DeploymentHistory) {
  const asked: number[] = [];
  server.use(
    astroHttp.get(
      '/organizations/{org}/deployments/{dep}/history',
      ({ request }) => {
        const since = new URL(request.url).searchParams.get('since');
        const rangeMs = Date.now() - Date.parse(since ?? '');
        asked.push(rangeMs);
        return HttpResponse.json(answer(rangeMs));
      },
    ),
  );
  return asked;
}

const card = () => screen.findByRole('region', { name: 'Deployment history' });

describe('HistoryCard', () => {
  const warn = jest.spyOn(console, 'warn');
  const error = jest.spyOn(console, 'error');
  beforeEach(() => {
    warn.mockClear();
    error.mockClear();
  });

  it('charts health, DAG runs, workers and heartbeat age, each with a text summary', async () => {
    serveDeploymentPage(server);
    serveHistory(() =>
      served([
        {
          bucketStart: bucket(20),
          status: 'UNHEALTHY',
          observations: 5,
          healthyObservations: 1,
          schedulerHeartbeatAgeSeconds: 400,
          dagRunsSuccess: 3,
          dagRunsFailed: 2,
          workersDesired: 3,
          workersReady: 1,
        },
        // Runs only: no pass in that bucket.
        {
          bucketStart: bucket(15),
          observations: 0,
          healthyObservations: 0,
          dagRunsSuccess: 1,
          dagRunsFailed: 0,
        },
        {
          bucketStart: bucket(5),
          status: 'HEALTHY',
          observations: 5,
          healthyObservations: 5,
          schedulerHeartbeatAgeSeconds: 4,
          dagRunsSuccess: 4,
          dagRunsFailed: 0,
          workersDesired: 2,
          workersReady: 2,
        },
      ]),
    );
    await renderAstroPage(DEPLOYMENT_PAGE);
    const history = await card();
    expect(
      await within(history).findByRole('img', {
        name: 'Health. Healthy in 6 of 10 monitoring passes (60 %), last seen HEALTHY.',
      }),
    ).toBeInTheDocument();
    expect(
      within(history).getByRole('img', { name: /^DAG runs\. / }),
    ).toHaveAccessibleName(
      /^DAG runs\. 10 DAG runs finished: 8 successful, 2 failed \(most failures, 2, in the bucket of .+\)\.$/,
    );
    expect(
      within(history).getByRole('img', { name: /^Worker replicas\. / }),
    ).toHaveAccessibleName(
      'Worker replicas. Ready workers between 1 and 2; at the end 2 ready of 2 wanted.',
    );
    expect(
      within(history).getByRole('img', { name: /^Scheduler heartbeat age/ }),
    ).toHaveAccessibleName(
      'Scheduler heartbeat age. Scheduler heartbeat at most 7 min old; 4 s at the end.',
    );
    // Recharts drew the series: bars of both run states and the lines.
    const runs = within(history).getByRole('img', { name: /^DAG runs\. / });
    expect(
      runs.querySelectorAll('.recharts-bar-rectangle path').length,
    ).toBeGreaterThanOrEqual(4);
    const workers = within(history).getByRole('img', {
      name: /^Worker replicas\. /,
    });
    expect(workers.querySelectorAll('.recharts-line-curve')).toHaveLength(2);

    await userEvent.click(
      within(history).getByRole('button', { name: 'Show as table' }),
    );
    const rows = within(
      within(history).getByRole('table', { name: 'History points' }),
    ).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent('HEALTHY5 / 54 / 02 / 24 s');
    expect(rows[2]).toHaveTextContent('—0 / 01 / 0— / ——');
    // Nothing from the charts (recharts warns of a container without a
    // size, React of keys); the page around the card has JSS and
    // react-router warn, card or not.
    const known = /\[JSS\] processedRuleToParse|findDOMNode is deprecated/;
    expect(
      [...warn.mock.calls, ...error.mock.calls]
        .map(args => args.map(String).join(' '))
        .filter(message => !known.test(message)),
    ).toEqual([]);
  });

  it('asks for the range chosen', async () => {
    serveDeploymentPage(server);
    const asked = serveHistory(rangeMs =>
      served(
        [
          {
            bucketStart: bucket(60),
            status: 'HEALTHY',
            observations: 1,
            healthyObservations: 1,
            dagRunsSuccess: 0,
            dagRunsFailed: 0,
          },
        ],
        rangeMs,
        rangeMs > 86_400_000 ? 30 : 5,
      ),
    );
    await renderAstroPage(DEPLOYMENT_PAGE);
    const history = await card();
    await within(history).findByRole('img', { name: /^Health\. / });
    await userEvent.click(
      screen.getByRole('button', { name: 'the last 7 days' }),
    );
    await waitFor(() => expect(asked).toHaveLength(2));
    await userEvent.click(
      screen.getByRole('button', { name: 'the last 30 days' }),
    );
    await waitFor(() => expect(asked).toHaveLength(3));
    const hours = asked.map(ms => Math.round(ms / 3_600_000));
    expect(hours).toEqual([24, 7 * 24, 30 * 24]);
    expect(
      screen.getByRole('button', { name: 'the last 30 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      await within(history).findByText(/Each point covers 30 minutes/),
    ).toBeInTheDocument();
  });

  it('explains when the first point will appear', async () => {
    serveDeploymentPage(server);
    serveHistory(() => served([]));
    await renderAstroPage(DEPLOYMENT_PAGE);
    const history = await card();
    expect(
      await within(history).findByText(
        /^No history in the last 24 hours yet\. The monitoring pass adds a point at its next observation/,
      ),
    ).toHaveTextContent('points cover 5 minutes each and are kept 30 days');
    expect(within(history).queryByRole('img')).not.toBeInTheDocument();
  });
});
