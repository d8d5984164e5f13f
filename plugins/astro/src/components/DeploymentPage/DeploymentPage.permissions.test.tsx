import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/react';
import {
  api,
  errorResponse,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import {
  airflowNotRunning,
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import {
  apiToken,
  deploy,
  deployment,
  options,
} from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();
const DEP = '/organizations/acme/deployments/etl';

/** May read the Deployment (and manage its workspace), not change it. */
const allow = (permission: string) =>
  permission !== 'astro.deployment.update' &&
  permission !== 'astro.deployment.variables.update' &&
  permission !== 'astro.deployment.tokens.manage' &&
  permission !== 'astro.deployment.deploy' &&
  permission !== 'astro.deployment.delete' &&
  permission !== 'astro.deployment.roles.manage';

describe('DeploymentPage for a user who may only read', () => {
  it('hides edit and delete, and makes the variables read-only', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
        HttpResponse.json(deployment()),
      ),
      astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
      astroHttp.get('/organizations/{org}/deployments/{dep}/variables', () =>
        HttpResponse.json({
          environmentVariables: deployment().settings.environmentVariables,
          version: 1,
        }),
      ),
      astroHttp.get('/organizations/{org}/deployments/{dep}/events', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/organizations/{org}/deployments/{dep}/deploys', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(api(`${DEP}/:part`), () =>
        errorResponse(404, 'NotFoundError', 'Not found'),
      ),
      ...airflowNotRunning(DEP),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=environment`, { allow });
    expect(
      await screen.findByText(
        'You may see these variables but not change them.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Open Airflow' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Edit settings/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Delete' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Save variables' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add variable' })).toBeDisabled();
  });

  it('shows the code and the deploys, without deploying, rollback or tokens', async () => {
    let listedTokens = false;
    const token = apiToken();
    serveDeploymentPage(server, {
      deploys: () => ({
        items: [
          deploy({ id: 'd2', createdBy: `token:${token.id}` }),
          deploy({ id: 'd1', createdAt: '2026-11-19T10:00:00.000Z' }),
        ],
      }),
    });
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}/tokens', () => {
        listedTokens = true;
        return HttpResponse.json({ items: [token] });
      }),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=deploys`, { allow });
    const history = await screen.findByRole('table', { name: 'Deploys' });
    expect(
      await screen.findByRole('table', { name: 'Code' }),
    ).toBeInTheDocument();
    // A token the user may not list is named by the start of its id.
    expect(within(history).getByText('API token 2f9c1a7e')).toBeInTheDocument();
    expect(
      within(history).queryByRole('columnheader', { name: 'Rollback' }),
    ).not.toBeInTheDocument();
    expect(
      within(history).queryByRole('button', { name: /Roll back/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Deploy DAGs' }),
    ).not.toBeInTheDocument();
    // API tokens live on the Access tab; without the permission there are
    // none to see, and none are listed.
    await userEvent.click(screen.getByRole('tab', { name: 'Access' }));
    expect(
      await screen.findByRole('tab', { name: 'Access', selected: true }),
    ).toBeInTheDocument();
    await screen.findByText('Your access');
    expect(screen.queryByText('API tokens')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create API token' }),
    ).not.toBeInTheDocument();
    expect(listedTokens).toBe(false);
  });
});
