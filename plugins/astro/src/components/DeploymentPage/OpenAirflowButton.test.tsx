import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { deployment } from '../../__testUtils__/fixtures';
import {
  astroHttp,
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';

const server = setupAstroServer();
const LOGIN_URL =
  'https://airflow.example.com/acme/etl/auth/portal?ticket=eyJhbGciOiJIUzUxMiJ9.e30.c2ln';

function component(
  name: string,
  readyReplicas: number,
): AstroApiSchemas['ComponentStatus'] {
  return {
    name,
    kind: 'Deployment',
    desiredReplicas: 2,
    readyReplicas,
    state: readyReplicas >= 2 ? 'Ready' : 'Progressing',
  };
}

function serveComponents(components: AstroApiSchemas['ComponentStatus'][]) {
  server.use(
    astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
      HttpResponse.json({ components, workerQueues: [] }),
    ),
  );
}

/** A stand-in for the tab `window.open` returns. */
function fakeTab() {
  return {
    opener: {} as unknown,
    location: { href: 'about:blank' },
    document: { title: '', body: { textContent: '' } },
    close: jest.fn(),
  };
}

async function openAirflowButton() {
  await screen.findByRole('heading', { name: 'Nightly ETL' });
  return screen.getByRole('button', { name: 'Open Airflow' });
}

describe('Open Airflow', () => {
  let open: jest.SpyInstance;

  beforeEach(() => {
    open = jest.spyOn(window, 'open');
  });

  afterEach(() => open.mockRestore());

  it('is disabled without an Airflow address, and says why', async () => {
    serveDeploymentPage(server, {
      deployment: deployment({ airflowUrl: undefined }),
    });
    serveComponents([component('api-server', 2)]);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'No Airflow address configured for this cluster',
    );
  });

  it('is disabled until the api-server has a Ready replica, and says why in a tooltip', async () => {
    serveDeploymentPage(server);
    serveComponents([component('scheduler', 2), component('api-server', 0)]);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    expect(button).toBeDisabled();
    await waitFor(() =>
      expect(button).toHaveAccessibleDescription(
        "Airflow's API server is not ready yet",
      ),
    );
    // The disabled button gets no pointer events; its wrapper shows the tooltip.
    await userEvent.hover(button.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      "Airflow's API server is not ready yet",
    );

    // Once a replica is Ready, the next poll enables it.
    serveComponents([component('scheduler', 2), component('api-server', 1)]);
    await waitFor(() => expect(button).toBeEnabled(), { timeout: 8_000 });
    expect(button).not.toHaveAccessibleDescription();
  });

  it('names the webserver of an Airflow 2 Deployment that is not ready', async () => {
    serveDeploymentPage(server);
    serveComponents([component('webserver', 0)]);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    await waitFor(() =>
      expect(button).toHaveAccessibleDescription(
        "Airflow's webserver is not ready yet",
      ),
    );
    expect(button).toBeDisabled();
  });

  it('stays disabled and says so when readiness cannot be read', async () => {
    serveDeploymentPage(server);
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
        errorResponse(503, 'ServiceUnavailableError', 'cluster unreachable'),
      ),
    );
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    await waitFor(() =>
      expect(button).toHaveAccessibleDescription(
        /^Could not check whether Airflow's API server is ready: .*cluster unreachable/,
      ),
    );
    expect(button).toBeDisabled();
  });

  it('is enabled once an Airflow 2 webserver is ready, even while it rolls', async () => {
    serveDeploymentPage(server);
    serveComponents([component('webserver', 1)]);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    await waitFor(() => expect(button).toBeEnabled());
    expect(button).not.toHaveAccessibleDescription();
  });

  it('opens a tab at once and sends it to the sign-in link the backend signs', async () => {
    serveDeploymentPage(server);
    serveComponents([component('api-server', 2)]);
    let release: () => void = () => {};
    const signed = new Promise<void>(resolve => {
      release = resolve;
    });
    const sessions: string[] = [];
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/airflow/sessions',
        async ({ params }) => {
          sessions.push(`${params.org}/${params.dep}`);
          await signed;
          return HttpResponse.json(
            {
              loginUrl: LOGIN_URL,
              airflowUrl: 'https://airflow.example.com/acme/etl',
              role: 'ADMIN',
              expiresAt: '2026-12-02T10:01:00Z',
            },
            { status: 201 },
          );
        },
      ),
    );
    const tab = fakeTab();
    open.mockReturnValue(tab);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    await waitFor(() => expect(button).toBeEnabled());

    await userEvent.click(button);
    // The tab exists before the backend answered, and cannot reach the portal.
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(tab.opener).toBeNull();
    expect(tab.document.body.textContent).toBe('Signing you in to Airflow…');
    expect(tab.location.href).toBe('about:blank');

    release();
    await waitFor(() => expect(tab.location.href).toBe(LOGIN_URL));
    expect(sessions).toEqual(['acme/etl']);
    expect(tab.close).not.toHaveBeenCalled();
    expect(
      screen.queryByText(/Airflow could not be opened/),
    ).not.toBeInTheDocument();
  });

  it('closes the tab and shows the reason when the backend refuses', async () => {
    serveDeploymentPage(server);
    serveComponents([component('api-server', 2)]);
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/airflow/sessions',
        () =>
          errorResponse(
            403,
            'NotAllowedError',
            'You may not read Deployment acme/etl',
          ),
      ),
    );
    const tab = fakeTab();
    open.mockReturnValue(tab);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    await waitFor(() => expect(button).toBeEnabled());

    await userEvent.click(button);
    expect(
      (await screen.findByText(/Airflow could not be opened/)).closest(
        '[role="alert"]',
      ),
    ).toHaveTextContent(
      'Airflow could not be opened: You may not read Deployment acme/etl',
    );
    expect(tab.close).toHaveBeenCalled();
    expect(tab.location.href).toBe('about:blank');
  });

  it('asks to allow pop-ups when the browser blocks the tab, without signing a ticket', async () => {
    serveDeploymentPage(server);
    serveComponents([component('api-server', 2)]);
    let signed = 0;
    server.use(
      astroHttp.post(
        '/organizations/{org}/deployments/{dep}/airflow/sessions',
        () => {
          signed += 1;
          return errorResponse(500, 'Error', 'unexpected');
        },
      ),
    );
    open.mockReturnValue(null);
    renderAstroPage(DEPLOYMENT_PAGE);
    const button = await openAirflowButton();
    await waitFor(() => expect(button).toBeEnabled());

    await userEvent.click(button);
    expect(
      (await screen.findByText(/The browser blocked the new tab/)).closest(
        '[role="alert"]',
      ),
    ).toHaveTextContent(
      'Airflow could not be opened: The browser blocked the new tab; allow pop-ups for the portal and try again.',
    );
    expect(signed).toBe(0);
  });
});
