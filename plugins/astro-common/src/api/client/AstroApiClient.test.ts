import { ResponseError } from '@backstage/errors';
import { AstroApiClient } from '../generated/client';
import { ifFound } from './AstroApiClientBase';

/**
 * A fetch API that behaves like Backstage's: each of its middlewares builds
 * a new Request from what the caller gave (a Request given as input is
 * used up by the first).
 */
function backstageLikeFetchApi(answer: (request: Request) => Response) {
  const requests: Array<{ request: Request; body: string }> = [];
  return {
    requests,
    fetchApi: {
      async fetch(input: RequestInfo | URL, init?: RequestInit) {
        const first = new Request(input, init);
        const request = new Request(input, init);
        void first;
        request.headers.set('Authorization', 'Bearer user-token');
        const body = await request.clone().text();
        const copy = new Request(request);
        requests.push({ request: copy, body });
        return answer(copy);
      },
    },
  };
}

const discoveryApi = {
  getBaseUrl: async () => 'http://backend.test/api/astro',
};

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('AstroApiClient', () => {
  it('sends a body and headers through a fetch API that rebuilds requests', async () => {
    const { fetchApi, requests } = backstageLikeFetchApi(() =>
      json(201, { name: 'acme' }),
    );
    const client = new AstroApiClient({ discoveryApi, fetchApi });
    await client.createOrganization({
      header: { 'Idempotency-Key': 'k-1' },
      body: { name: 'acme' },
    });
    expect(requests).toHaveLength(1);
    const [{ request, body }] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://backend.test/api/astro/organizations');
    expect(JSON.parse(body)).toEqual({ name: 'acme' });
    expect(request.headers.get('idempotency-key')).toBe('k-1');
    expect(request.headers.get('authorization')).toBe('Bearer user-token');
  });

  it('fills path templates and query parameters', async () => {
    const { fetchApi, requests } = backstageLikeFetchApi(() =>
      json(200, { items: [] }),
    );
    const client = new AstroApiClient({ discoveryApi, fetchApi });
    await client.listDeployments({
      path: { org: 'acme corp' },
      query: { workspace: 'data-eng', limit: 5 },
    });
    expect(requests[0].request.url).toBe(
      'http://backend.test/api/astro/organizations/acme%20corp/deployments?workspace=data-eng&limit=5',
    );
  });

  it('rejects failures with a ResponseError carrying the backend message', async () => {
    const { fetchApi } = backstageLikeFetchApi(() =>
      json(400, {
        error: { name: 'InputError', message: 'name: must not be empty' },
        response: { statusCode: 400 },
      }),
    );
    const client = new AstroApiClient({ discoveryApi, fetchApi });
    const failure = client.createOrganization({ body: { name: '' } });
    await expect(failure).rejects.toBeInstanceOf(ResponseError);
    await expect(failure).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: 'name: must not be empty' } },
    });
  });

  it('turns a 404 into undefined with ifFound, and nothing else', async () => {
    let status = 404;
    const { fetchApi } = backstageLikeFetchApi(() =>
      json(status, {
        error: { name: 'NotFoundError', message: 'no' },
        response: { statusCode: status },
      }),
    );
    const client = new AstroApiClient({ discoveryApi, fetchApi });
    await expect(
      ifFound(client.getOrganization({ path: { org: 'nope' } })),
    ).resolves.toBeUndefined();
    status = 403;
    await expect(
      ifFound(client.getOrganization({ path: { org: 'nope' } })),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('sends a per-call token and a YAML body as text', async () => {
    const { fetchApi, requests } = backstageLikeFetchApi(() =>
      json(200, { created: false, deployment: {} }),
    );
    const client = new AstroApiClient({ discoveryApi, fetchApi });
    await client.importDeployment(
      { path: { org: 'acme' }, body: 'kind: AstroDeployment\n' },
      { token: 'service-token' },
    );
    expect(requests[0].body).toBe('kind: AstroDeployment\n');
    expect(requests[0].request.headers.get('content-type')).toBe(
      'application/yaml',
    );
  });

  it('sends bytes as the binary media type and an object as JSON to an operation that takes both', async () => {
    const { fetchApi, requests } = backstageLikeFetchApi(() =>
      json(201, { id: 'd-1' }),
    );
    const client = new AstroApiClient({ discoveryApi, fetchApi });
    const path = { org: 'acme', dep: 'etl' };
    await client.createDeploy(
      {
        path,
        query: { checksum: `sha256:${'0'.repeat(64)}` },
        body: new Uint8Array([0x1f, 0x8b, 0x08]),
      },
      { token: 'astro_token' },
    );
    await client.createDeploy({
      path,
      body: { type: 'IMAGE', image: 'example.com/etl:1' },
    });
    expect(requests[0].request.headers.get('content-type')).toBe(
      'application/gzip',
    );
    expect(new Uint8Array(await requests[0].request.arrayBuffer())).toEqual(
      new Uint8Array([0x1f, 0x8b, 0x08]),
    );
    expect(requests[0].request.headers.get('authorization')).toBe(
      'Bearer user-token',
    );
    expect(requests[1].request.headers.get('content-type')).toBe(
      'application/json',
    );
    expect(JSON.parse(requests[1].body)).toEqual({
      type: 'IMAGE',
      image: 'example.com/etl:1',
    });
  });
});
