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

describe('WorkspacePage for a user who may not create Deployments nor manage the workspace', () => {
  it('hides "Create Deployment", edit, delete, member controls and the workspace API tokens', async () => {
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
      allow: permission =>
        ![
          'astro.deployment.create',
          'astro.workspace.tokens.manage',
          'astro.workspace.update',
          'astro.workspace.delete',
          'astro.workspace.roles.manage',
        ].includes(permission),
    });
    await screen.findByRole('link', { name: 'etl' });
    expect(
      screen.queryByRole('button', { name: /Create Deployment/ }),
    ).not.toBeInTheDocument();
    expect(
      await screen.findByText('Who holds a role on workspace acme/data-eng'),
    ).toBeInTheDocument();
    for (const name of [/Edit workspace/, /Delete workspace/, 'Add member']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    // Hidden, and never asked for: an unhandled request fails the test.
    expect(screen.queryByText('Workspace API tokens')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create API token' }),
    ).not.toBeInTheDocument();
  });
});
