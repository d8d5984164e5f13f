import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import astroModuleSimulator from '@airflow-portal/plugin-astro-backend-module-simulator';
import { astroPlugin } from './plugin';

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
});
