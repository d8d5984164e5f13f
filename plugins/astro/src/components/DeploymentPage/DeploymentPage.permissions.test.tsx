import { screen } from '@testing-library/react';
import {
  api,
  errorResponse,
  http,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { deployment, options } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();
const DEP = '/organizations/acme/deployments/etl';

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
      http.get(api(`${DEP}/:part`), () =>
        errorResponse(404, 'NotFoundError', 'Not found'),
      ),
    );
    renderAstroPage('/astro/organizations/acme/deployments/etl', {
      allow: permission =>
        permission !== 'astro.deployment.update' &&
        permission !== 'astro.deployment.delete',
    });
    expect(
      await screen.findByText(
        'You may see these variables but not change them.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open Airflow/ }),
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
});
