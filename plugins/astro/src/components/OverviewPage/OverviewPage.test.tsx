import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  api,
  errorResponse,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import {
  deployment,
  organization,
  workspace,
} from '../../__testUtils__/fixtures';

const server = setupAstroServer();

function serveAcme() {
  server.use(
    http.get(api('/organizations'), () =>
      HttpResponse.json({ items: [organization] }),
    ),
    http.get(api('/organizations/acme/workspaces'), () =>
      HttpResponse.json({
        items: [
          workspace,
          {
            ...workspace,
            name: 'analytics',
            title: 'Analytics',
            owner: undefined,
          },
        ],
      }),
    ),
    http.get(api('/organizations/acme/deployments'), () =>
      HttpResponse.json({
        items: [
          deployment(),
          deployment({
            name: 'reports',
            title: 'Reports',
            status: 'UNHEALTHY',
          }),
          deployment({
            name: 'adhoc',
            title: 'Ad hoc',
            workspace: 'analytics',
          }),
        ],
      }),
    ),
    http.get(api('/organizations/acme/incidents'), ({ request }) =>
      HttpResponse.json({
        items: [
          {
            id: '1',
            deployment: 'reports',
            title: 'Scheduler down',
            severity: 'critical',
            state: 'open',
            openedAt: '2026-11-20T10:00:00Z',
            message: 'no heartbeat',
          },
        ].filter(
          () => new URL(request.url).searchParams.get('state') === 'open',
        ),
      }),
    ),
  );
}

describe('OverviewPage', () => {
  it('shows each organization with its workspaces and health summary', async () => {
    serveAcme();
    renderAstroPage('/astro');
    expect(
      await screen.findByRole('heading', { name: 'Airflow Deployments' }),
    ).toBeInTheDocument();
    const summary = await screen.findByRole('list', {
      name: 'Deployments of acme by status',
    });
    // Counts are words next to icons, not colours alone.
    expect(summary).toHaveTextContent('2Healthy');
    expect(summary).toHaveTextContent('1Unhealthy');
    expect(await screen.findByText('Open incidents: 1')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Data Engineering' }),
    ).toHaveAttribute('href', '/astro/organizations/acme/workspaces/data-eng');
    expect(screen.getByRole('link', { name: 'Analytics' })).toBeInTheDocument();
  });

  it('narrows workspaces by search text and by status', async () => {
    serveAcme();
    renderAstroPage('/astro');
    await screen.findByRole('link', { name: 'Analytics' });

    await userEvent.type(
      screen.getByLabelText('Search workspaces and Deployments'),
      'adhoc',
    );
    expect(
      screen.queryByRole('link', { name: 'Data Engineering' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'adhoc' })).toHaveAttribute(
      'href',
      '/astro/organizations/acme/deployments/adhoc',
    );

    await userEvent.clear(
      screen.getByLabelText('Search workspaces and Deployments'),
    );
    await userEvent.click(screen.getByLabelText('Deployment status'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Unhealthy'),
    );
    expect(
      await screen.findByRole('link', { name: 'reports' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Analytics' }),
    ).not.toBeInTheDocument();
  });

  it('says so when there are no organizations', async () => {
    server.use(
      http.get(api('/organizations'), () => HttpResponse.json({ items: [] })),
    );
    renderAstroPage('/astro');
    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
  });

  it('explains a 403 instead of showing an empty page', async () => {
    server.use(
      http.get(api('/organizations'), () =>
        errorResponse(403, 'NotAllowedError', 'You are not allowed to read'),
      ),
    );
    renderAstroPage('/astro');
    expect(
      await screen.findByText(/You are not allowed to see the organizations/),
    ).toBeInTheDocument();
  });

  it('explains an unreachable backend and offers to try again', async () => {
    let calls = 0;
    server.use(
      http.get(api('/organizations'), () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.error()
          : HttpResponse.json({ items: [] });
      }),
    );
    renderAstroPage('/astro');
    expect(
      await screen.findByText(/the Airflow backend could not be reached/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
  });

  it('shows the health summary as unavailable when incidents are not served', async () => {
    serveAcme();
    server.use(
      http.get(api('/organizations/acme/incidents'), () =>
        errorResponse(404, 'NotFoundError', 'not found'),
      ),
    );
    renderAstroPage('/astro');
    expect(
      await screen.findByText('Open incidents: not available'),
    ).toBeInTheDocument();
  });
});
