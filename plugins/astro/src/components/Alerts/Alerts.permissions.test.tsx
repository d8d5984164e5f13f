import { screen, within } from '@testing-library/react';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { astroHttp, HttpResponse } from '../../__testUtils__/testApp';
import { alertRule } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('alert rules for a user who may not update the Deployment', () => {
  it('shows rules but no way to change them without update permission', async () => {
    serveDeploymentPage(server);
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}/alert-rules', () =>
        HttpResponse.json({ items: [alertRule()] }),
      ),
    );
    renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`, {
      allow: permission => permission !== 'astro.deployment.update',
    });
    const table = await screen.findByRole('table', { name: 'Alert rules' });
    expect(within(table).getByText('failing-dags')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create alert rule' }),
    ).not.toBeInTheDocument();
    expect(
      within(table).queryByRole('button', { name: /Edit alert rule/ }),
    ).not.toBeInTheDocument();
    expect(
      within(table).getByRole('checkbox', {
        name: 'Alert rule failing-dags enabled',
      }),
    ).toBeDisabled();
  });
});
