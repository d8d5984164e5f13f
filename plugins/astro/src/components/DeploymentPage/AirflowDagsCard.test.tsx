import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import { serveInsight } from '../../__testUtils__/airflowInsight';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';

const server = setupAstroServer();
describe('AirflowDagsCard', () => {
  it('shows the DAGs, heartbeats, run summary with failure links and the import errors', async () => {
    serveDeploymentPage(server);
    serveInsight(server);
    await renderAstroPage(`${DEPLOYMENT_PAGE}?tab=dags`);
    const table = await screen.findByRole('table', { name: 'DAGs' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('billing_daily')).toBeInTheDocument();
    expect(within(rows[1]).getByText('@daily')).toBeInTheDocument();
    expect(within(rows[1]).getByText('data-team')).toBeInTheDocument();
    expect(within(rows[1]).getByText('billing')).toBeInTheDocument();
    expect(within(rows[1]).getByText('failed')).toBeInTheDocument();
    expect(within(rows[1]).getByText('3 ok / 1 failed')).toBeInTheDocument();
    expect(within(rows[2]).getByText('None')).toBeInTheDocument();
    expect(screen.getByLabelText('Import errors')).toHaveTextContent(
      '1 DAG file could not be imported: broken.py',
    );
    expect(screen.getByLabelText('Heartbeats')).toHaveTextContent(
      /Scheduler healthy, heartbeat .* · Triggerer unhealthy · metadata database healthy/,
    );
    expect(screen.getByLabelText('Heartbeats')).not.toHaveTextContent(
      'DAG processor',
    );
    expect(screen.getByLabelText('Run summary')).toHaveTextContent(
      'Runs in 24 h: 3 ok, 1 failed, 1 running, 0 queued · in 7 days: 20 ok, 2 failed',
    );
    expect(
      screen.getByRole('link', {
        name: /^billing_daily scheduled__2026-12-02T00:00:00\+00:00/,
      }),
    ).toHaveAttribute(
      'href',
      'https://etl.example.com/dags/billing_daily/runs/scheduled__2026-12-02T00%3A00%3A00%2B00%3A00',
    );
  });

  it('pauses a DAG and triggers a run through the backend', async () => {
    serveDeploymentPage(server);
    const actions = serveInsight(server);
    await renderAstroPage(`${DEPLOYMENT_PAGE}?tab=dags`);
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Pause billing_daily' }),
    );
    await screen.findByText('billing_daily paused.');
    await waitFor(() =>
      expect(
        screen.getByRole('checkbox', { name: 'Unpause billing_daily' }),
      ).not.toBeChecked(),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Trigger ingest' }),
    );
    await screen.findByText(
      'Triggered manual__2026-12-02T10:20:00+00:00 of ingest.',
    );
    expect(actions).toEqual([
      { what: 'patch billing_daily', body: { isPaused: true } },
      { what: 'trigger ingest', body: {} },
    ]);
  });

  it('says so when Airflow is not running', async () => {
    serveDeploymentPage(server);
    await renderAstroPage(`${DEPLOYMENT_PAGE}?tab=dags`);
    expect(
      await screen.findByText(
        'Airflow is not running, so there are no DAGs to show yet.',
      ),
    ).toBeInTheDocument();
  });
});
