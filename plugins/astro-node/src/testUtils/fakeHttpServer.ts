import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as a fake route sees it. */
export interface FakeRequest {
  method: string;
  /** Path below the API's base URL, with the query string. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body?: any;
}

/** A route's answer. */
export interface FakeResponse {
  status: number;
  body?: unknown;
}

export type FakeRoute = [
  method: string,
  pattern: string,
  handler: (request: FakeRequest) => FakeResponse,
];

function match(pattern: string, path: string) {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:([a-z]+)/g, (_m, name) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  const found = regex.exec(path);
  if (!found) {
    return undefined;
  }
  return Object.fromEntries(
    names.map((name, i) => [name, decodeURIComponent(found[i + 1])]),
  );
}

/**
 * Serves fake routes over real HTTP on a free loopback port, under
 * `/api/astro`, the way the Astro backend serves its API.
 */
export async function startFakeServer(
  routes: () => FakeRoute[],
  onRequest?: (request: FakeRequest) => FakeResponse | undefined,
): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/api\/astro/, '');
    const send = (response: FakeResponse) => {
      res.writeHead(response.status, { 'Content-Type': 'application/json' });
      res.end(response.body === undefined ? '' : JSON.stringify(response.body));
    };
    for (const [method, pattern, handler] of routes()) {
      const params = method === req.method ? match(pattern, path) : undefined;
      if (params) {
        const request: FakeRequest = {
          method: req.method ?? 'GET',
          path: `${path}${url.search}`,
          params,
          query: url.searchParams,
          headers: req.headers,
          ...(text ? { body: JSON.parse(text) } : {}),
        };
        send(onRequest?.(request) ?? handler(request));
        return;
      }
    }
    send({
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'No route' } },
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/astro`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}
