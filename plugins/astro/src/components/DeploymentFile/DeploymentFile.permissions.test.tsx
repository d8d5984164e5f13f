import { screen, within } from '@testing-library/react';
import {
  astroHttp,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { workspace } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

/** May read Deployments, not create or change them. */
const allow = (permission: string) =>
  permission !== 'astro.deployment.create' &&
  permission !== 'astro.deployment.update';

describe('deployment files for a user who may only read', () => {
  it('offers the export on the Settings tab, not the import', async () => {
    serveDeploymentPage(server);
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=settings`, { allow });
    const card = (await screen.findByText('Deployment file')).closest(
      '.MuiCard-root',
    ) as HTMLElement;
    expect(
      within(card).getByRole('button', { name: 'Export deployment file' }),
    ).toBeEnabled();
    expect(
      within(card).queryByRole('button', { name: /Import/ }),
    ).not.toBeInTheDocument();
  });

  it('offers no import on the workspace page', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        HttpResponse.json(workspace),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    renderAstroPage('/astro/organizations/acme/workspaces/data-eng', {
      allow,
    });
    await screen.findByText('This workspace has no Deployments yet.');
    expect(
      screen.queryByRole('button', { name: /Import deployment file/ }),
    ).not.toBeInTheDocument();
  });
});
