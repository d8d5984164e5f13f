import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { AstroApiPaths } from '@airflow-portal/plugin-astro-common';
import type { MockAstroApiKit } from '@airflow-portal/plugin-astro-node/testUtils';
import { FakePortal } from './fakePortal';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Serves a {@link FakePortal} over real HTTP on loopback, for a CLI run in
 * another process (startMockAstroApi intercepts fetch in its own process
 * only). Each request is answered by the same openapi-msw handlers,
 * through msw's getResponse.
 */
export async function startHttpPortal(portal: FakePortal): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const { http, HttpResponse, getResponse } = await import('msw');
  const { createOpenApiHttp } = await import('openapi-msw');
  const server: Server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = `${url}/api/astro`;
  const kit: MockAstroApiKit = {
    http: createOpenApiHttp<AstroApiPaths>({ baseUrl }),
    anyHttp: http,
    HttpResponse,
    error: (status, name, message) =>
      HttpResponse.json(
        { error: { name, message }, response: { statusCode: status } },
        { status },
      ),
    baseUrl,
  };
  const handlers = portal.handlers(kit);

  server.on('request', async (incoming, outgoing) => {
    try {
      const headers = new Headers();
      for (const [key, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(key, value);
      }
      const body = await readBody(incoming);
      const request = new Request(`${url}${incoming.url}`, {
        method: incoming.method,
        headers,
        body:
          incoming.method === 'GET' || incoming.method === 'HEAD'
            ? undefined
            : body,
      });
      await portal.record(request);
      const response =
        (await getResponse(handlers, request)) ??
        new Response('Not found', { status: 404 });
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(500);
      outgoing.end(String(error));
    }
  });

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}
