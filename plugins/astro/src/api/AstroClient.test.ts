import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ResponseError } from '@backstage/errors';
import { AstroClient } from './AstroClient';

const server = setupServer();
const baseUrl = 'http://backend.test/api/astro';

describe('AstroClient', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const client = new AstroClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('creates a deployment with an idempotency key and JSON body', async () => {
    let seen: { key: string | null; body: unknown } | undefined;
    server.use(
      http.post(
        `${baseUrl}/organizations/acme/deployments`,
        async ({ request }) => {
          seen = {
            key: request.headers.get('Idempotency-Key'),
            body: await request.json(),
          };
          return HttpResponse.json({ name: 'etl' }, { status: 201 });
        },
      ),
    );

    await expect(
      client.createDeployment(
        'acme',
        { name: 'etl', workspace: 'data-eng' },
        { idempotencyKey: 'k1' },
      ),
    ).resolves.toEqual({ name: 'etl' });
    expect(seen).toEqual({
      key: 'k1',
      body: { name: 'etl', workspace: 'data-eng' },
    });
  });

  it('rejects with a ResponseError that keeps the status and message', async () => {
    server.use(
      http.patch(`${baseUrl}/organizations/acme/deployments/etl`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'version 1 is stale' },
            request: {
              method: 'PATCH',
              url: '/organizations/acme/deployments/etl',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );

    const error = await client
      .updateDeployment('acme', 'etl', { title: 'x', version: 1 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
    expect(error.body.error.message).toBe('version 1 is stale');
  });

  it('sends deployment files as YAML and encodes path segments', async () => {
    let contentType: string | null = null;
    server.use(
      http.post(
        `${baseUrl}/organizations/a%20b/deployments\\:import`,
        ({ request }) => {
          contentType = request.headers.get('Content-Type');
          return HttpResponse.json(
            { created: true, deployment: {} },
            { status: 201 },
          );
        },
      ),
    );
    await client.importDeployment('a b', 'apiVersion: x\n');
    expect(contentType).toBe('application/yaml');
  });

  // The API's ETags follow the version, which a status change does not
  // bump: a browser revalidating with If-None-Match would keep showing the
  // old status, so reads bypass the HTTP cache.
  it('reads around the HTTP cache', async () => {
    let cache: string | undefined;
    server.use(
      http.get(
        `${baseUrl}/organizations/acme/deployments/etl`,
        ({ request }) => {
          cache = request.cache;
          return HttpResponse.json({ name: 'etl' });
        },
      ),
    );
    await client.getDeployment('acme', 'etl');
    expect(cache).toBe('no-store');
  });

  it('builds list queries from the given parameters only', async () => {
    let url = '';
    server.use(
      http.get(`${baseUrl}/organizations/acme/deployments`, ({ request }) => {
        url = request.url;
        return HttpResponse.json({ items: [] });
      }),
    );
    await client.listDeployments('acme', { workspace: 'data-eng', limit: 10 });
    expect(new URL(url).search).toBe('?workspace=data-eng&limit=10');
  });
});
