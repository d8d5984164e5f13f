import { screen } from '@testing-library/react';
import { renderAstroPage, setupAstroServer } from '../../__testUtils__/testApp';
import {
  DEPLOYMENT_PAGE,
  serveDeploymentPage,
} from '../../__testUtils__/deploymentPage';
import { openIncident, serveIncidents } from '../../__testUtils__/incidents';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('IncidentsCard for a user who may not update the Deployment', () => {
  it('shows open incidents without an Acknowledge button', async () => {
    serveDeploymentPage(server);
    serveIncidents(server, [openIncident()]);
    await renderAstroPage(`${DEPLOYMENT_PAGE}?tab=incidents`, {
      allow: permission => permission !== 'astro.deployment.update',
    });
    expect(
      await screen.findByRole('list', { name: 'Open incidents' }),
    ).toHaveTextContent('The scheduler heartbeat is missing');
    expect(
      screen.queryByRole('button', { name: /^Acknowledge/ }),
    ).not.toBeInTheDocument();
  });
});
