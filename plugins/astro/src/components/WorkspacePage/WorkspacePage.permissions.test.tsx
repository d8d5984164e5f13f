import { screen } from '@testing-library/react';
import {
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { deployment, workspace } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('WorkspacePage for a user who may not create Deployments', () => {
  it('hides "Create Deployment"', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        HttpResponse.json(workspace),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [deployment()] }),
      ),
      astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
        HttpResponse.json({ components: [], workerQueues: [] }),
      ),
    );
    renderAstroPage('/astro/organizations/acme/workspaces/data-eng', {
      allow: permission => permission !== 'astro.deployment.create',
    });
    await screen.findByRole('link', { name: 'etl' });
    expect(
      screen.queryByRole('button', { name: /Create Deployment/ }),
    ).not.toBeInTheDocument();
  });
});
