import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { renderInTestApp as renderInLegacyTestApp } from '@backstage/test-utils';
import { AstroPage, astroPlugin } from './plugin';
import { Route, Routes } from 'react-router-dom';
import alphaPlugin from './alpha';

describe('the Airflow plugin', () => {
  it('mounts its page in a legacy app', async () => {
    await renderInLegacyTestApp(
      <Routes>
        <Route path="/astro" element={<AstroPage />} />
      </Routes>,
      { routeEntries: ['/astro'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Airflow Deployments' }),
    ).toBeInTheDocument();
    expect(astroPlugin.getId()).toBe('astro');
  });

  it('serves its page at /astro in a new-frontend-system app', async () => {
    expect(alphaPlugin.pluginId).toBe('astro');
    renderTestApp({
      features: [alphaPlugin],
      initialRouteEntries: ['/astro'],
    });
    expect(
      await screen.findByRole('heading', { name: 'Airflow Deployments' }),
    ).toBeInTheDocument();
  });
});
