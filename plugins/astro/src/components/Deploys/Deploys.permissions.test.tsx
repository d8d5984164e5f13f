import userEvent from '@testing-library/user-event';
import { screen, within } from '@testing-library/react';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { deploy } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('the Deployment page for a user who may change it but not deploy', () => {
  // Deploying is its own permission (astro.deployment.deploy): an admin of
  // the settings is not necessarily allowed to ship code.
  it('offers neither Deploy DAGs nor rollbacks, and still the API tokens', async () => {
    serveDeploymentPage(server, {
      deploys: () => ({
        items: [
          deploy({ id: 'd2' }),
          deploy({ id: 'd1', createdAt: '2026-11-19T10:00:00.000Z' }),
        ],
      }),
    });
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=deploys`, {
      allow: permission => permission !== 'astro.deployment.deploy',
    });
    const history = await screen.findByRole('table', { name: 'Deploys' });
    expect(
      screen.getByRole('button', { name: 'Edit settings' }),
    ).toBeInTheDocument();
    expect(
      within(history).queryByRole('button', { name: /Roll back/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Deploy DAGs' }),
    ).not.toBeInTheDocument();
    // The API tokens (their own permission) are on the Access tab.
    await userEvent.click(screen.getByRole('tab', { name: 'Access' }));
    expect(
      await screen.findByRole('table', { name: 'API tokens' }),
    ).toBeInTheDocument();
  });
});
