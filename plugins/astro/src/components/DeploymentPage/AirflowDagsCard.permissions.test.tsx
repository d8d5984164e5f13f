import { screen } from '@testing-library/react';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { serveInsight } from '../../__testUtils__/airflowInsight';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('AirflowDagsCard for a user who may not update the Deployment', () => {
  it('shows the DAGs without Trigger buttons and with the pause toggles disabled', async () => {
    serveDeploymentPage(server);
    serveInsight(server);
    await renderAstroPage(`${DEPLOYMENT_PAGE}?tab=dags`, {
      allow: permission => permission !== 'astro.deployment.update',
    });
    expect(
      await screen.findByRole('checkbox', { name: 'Pause billing_daily' }),
    ).toBeDisabled();
    expect(
      screen.queryByRole('button', { name: /^Trigger/ }),
    ).not.toBeInTheDocument();
  });
});
