import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { openIncident, serveIncidents } from '../../__testUtils__/incidents';

const server = setupAstroServer();

describe('IncidentsCard', () => {
  it('shows kind, subject, severity, message and link, and acknowledges an open incident', async () => {
    serveDeploymentPage(server);
    const acknowledged = serveIncidents(server, [
      openIncident(),
      openIncident({
        id: '3',
        kind: 'dag-run-failures',
        subject: 'etl_daily',
        title: 'DAG etl_daily keeps failing',
        severity: 'warning',
        state: 'resolved',
        resolvedAt: '2026-11-20T09:00:00Z',
        link: 'https://airflow.example.com/dags/etl_daily/runs/r1',
      }),
    ]);
    await renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`);
    const openList = await screen.findByRole('list', {
      name: 'Open incidents',
    });
    expect(openList).toHaveTextContent('Open, critical');
    expect(openList).toHaveTextContent('heartbeat-missing · scheduler');
    expect(openList).toHaveTextContent(
      'The scheduler has not heartbeated for 12 min',
    );
    expect(
      within(openList).getByRole('link', { name: /Look into it/ }),
    ).toHaveAttribute(
      'href',
      'https://portal.example.com/astro/organizations/acme/deployments/etl',
    );
    const resolved = screen.getByRole('list', { name: 'Resolved incidents' });
    expect(resolved).toHaveTextContent('dag-run-failures · etl_daily');
    // Resolved incidents are not acknowledged from the list.
    expect(
      within(resolved).queryByRole('button', { name: /Acknowledge/ }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(openList).getByRole('button', {
        name: 'Acknowledge The scheduler heartbeat is missing',
      }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('list', { name: 'Open incidents' }),
      ).toHaveTextContent('acknowledged by user:default/alice'),
    );
    expect(acknowledged).toEqual(['7']);
    expect(
      screen.queryByRole('button', { name: /^Acknowledge/ }),
    ).not.toBeInTheDocument();
  });
});
