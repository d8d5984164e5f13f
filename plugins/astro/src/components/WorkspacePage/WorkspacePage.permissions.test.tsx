import { screen } from '@testing-library/react';
import {
  api,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import { deployment, workspace } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('WorkspacePage for a user who may not create Deployments', () => {
  it('hides "Create Deployment"', async () => {
    server.use(
      http.get(api('/organizations/acme/workspaces/data-eng'), () =>
        HttpResponse.json(workspace),
      ),
      http.get(api('/organizations/acme/deployments'), () =>
        HttpResponse.json({ items: [deployment()] }),
      ),
      http.get(api('/organizations/acme/deployments/etl/components'), () =>
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
