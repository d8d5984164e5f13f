import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import {
  TestApiProvider,
  renderInTestApp as renderInLegacyTestApp,
} from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Route, Routes } from 'react-router-dom';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AstroPage,
  EntityAstroDeploymentStatusCard,
  astroPlugin,
  isAstroDeploymentEntity,
} from './plugin';
import alphaPlugin from './alpha';
import {
  astroLegacyTestApis,
  astroTestApis,
  HttpResponse,
  setupAstroServer,
  astroHttp,
} from './__testUtils__/testApp';
import {
  cluster,
  deployment,
  organization,
  workspace,
} from './__testUtils__/fixtures';

const server = setupAstroServer();

beforeEach(() => {
  server.use(
    astroHttp.get('/organizations', () =>
      HttpResponse.json({ items: [organization] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces', () =>
      HttpResponse.json({ items: [workspace] }),
    ),
    astroHttp.get('/organizations/{org}/deployments', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/clusters', () => HttpResponse.json({ items: [cluster] })),
  );
});

describe('the Airflow plugin', () => {
  // Protects the legacy surface: portals on the old frontend system mount
  // AstroPage themselves and get the same pages, routed inside it.
  it('mounts its pages in a legacy app, overview and sub-pages', async () => {
    await renderInLegacyTestApp(
      <TestApiProvider apis={astroLegacyTestApis()}>
        <Routes>
          <Route path="/astro/*" element={<AstroPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/astro/clusters'],
        mountedRoutes: {
          '/astro': astroPlugin.routes.root,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    expect(astroPlugin.getId()).toBe('astro');
    expect(
      await screen.findByRole('heading', { name: 'Clusters' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Simulator (not a real cluster)'),
    ).toBeInTheDocument();
    // The breadcrumb back to the overview is built from the route refs.
    expect(screen.getByRole('link', { name: 'Airflow' })).toHaveAttribute(
      'href',
      '/astro',
    );
  });

  // Protects the legacy entity components that portals put on their own
  // entity pages with EntitySwitch.
  it('mounts the Deployment status card on a legacy entity page', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
        HttpResponse.json(deployment()),
      ),
    );
    const entity = {
      apiVersion: 'astro.airflow-portal.dev/v1alpha1',
      kind: 'AstroDeployment',
      metadata: { name: 'etl', namespace: 'acme' },
      spec: { organization: 'acme' },
    };
    expect(isAstroDeploymentEntity(entity)).toBe(true);
    await renderInLegacyTestApp(
      <TestApiProvider apis={astroLegacyTestApis()}>
        <EntityProvider entity={entity}>
          <EntityAstroDeploymentStatusCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/astro': astroPlugin.routes.root } },
    );
    expect(
      await screen.findByText(/Airflow 3\.1\.3, celery executor/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the Deployment page' }),
    ).toHaveAttribute('href', '/astro/organizations/acme/deployments/etl');
  });

  // Protects the new-frontend-system surface that our app uses: the page
  // extension at /astro, with its internal routes below it.
  it('serves the home at /astro in a new-frontend-system app', async () => {
    expect(alphaPlugin.pluginId).toBe('astro');
    renderTestApp({
      features: [alphaPlugin],
      apis: astroTestApis(),
      initialRouteEntries: ['/astro?tab=workspaces'],
    });
    expect(
      await screen.findByRole('heading', { name: 'Airflow Deployments' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Acme Corp')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Data Engineering' }),
    ).toHaveAttribute('href', '/astro/organizations/acme/workspaces/data-eng');
  });

  it('serves the clusters sub-page in a new-frontend-system app', async () => {
    renderTestApp({
      features: [alphaPlugin],
      apis: astroTestApis(),
      initialRouteEntries: ['/astro/clusters'],
    });
    expect(
      await screen.findByRole('heading', { name: 'Clusters' }),
    ).toBeInTheDocument();
  });
});
