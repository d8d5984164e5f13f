import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import astroModuleSimulator from '@airflow-portal/plugin-astro-backend-module-simulator';
import { astroPlugin } from './plugin';

// Starting a backend with the plugin (and a simulator) takes seconds on a
// loaded machine.
jest.setTimeout(30_000);

describe('astroPlugin', () => {
  it('serves an unauthenticated health check under /api/astro', async () => {
    const { server } = await startTestBackend({ features: [astroPlugin] });

    const response = await request(server).get('/api/astro/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('lists the clusters that modules contribute', async () => {
    const { server } = await startTestBackend({
      features: [astroPlugin, astroModuleSimulator],
    });

    const response = await request(server).get('/api/astro/clusters');

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      expect.objectContaining({ name: 'simulator', driver: 'simulator' }),
    ]);
  });

  it('refuses to start with a misspelled cluster key, naming its path', async () => {
    await expect(
      startTestBackend({
        features: [
          astroPlugin,
          mockServices.rootConfig.factory({
            data: {
              astro: {
                clusters: [
                  {
                    name: 'prod',
                    url: 'https://10.0.0.1:6443',
                    serviceAccountTokn: 'secret-value',
                  },
                ],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /astro\.clusters\[0\]\.serviceAccountTokn is not a known key; did you mean serviceAccountToken\?/,
    );
  });
});
