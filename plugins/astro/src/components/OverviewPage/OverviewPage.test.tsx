import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import {
  deployment,
  organization,
  workspace,
} from '../../__testUtils__/fixtures';

const server = setupAstroServer();

function serveAcme() {
  server.use(
    astroHttp.get('/organizations', () =>
      HttpResponse.json({ items: [organization] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces', () =>
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
    astroHttp.get('/organizations/{org}/deployments', () =>
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
    astroHttp.get('/organizations/{org}/incidents', ({ request, response }) =>
      response(200).json({
        items:
          new URL(request.url).searchParams.get('state') === 'open'
            ? [
                {
                  id: '1',
                  kind: 'heartbeat-missing',
                  deployment: 'reports',
                  title: 'Scheduler down',
                  severity: 'critical',
                  state: 'open',
                  openedAt: '2026-11-20T10:00:00Z',
                  message: 'no heartbeat',
                },
              ]
            : [],
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
      astroHttp.get('/organizations', () => HttpResponse.json({ items: [] })),
    );
    renderAstroPage('/astro');
    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
  });

  it('explains a 403 instead of showing an empty page', async () => {
    server.use(
      astroHttp.get('/organizations', () =>
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
      astroHttp.get('/organizations', () => {
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
      astroHttp.get('/organizations/{org}/incidents', () =>
        errorResponse(404, 'NotFoundError', 'not found'),
      ),
    );
    renderAstroPage('/astro');
    expect(
      await screen.findByText('Open incidents: not available'),
    ).toBeInTheDocument();
  });
});
