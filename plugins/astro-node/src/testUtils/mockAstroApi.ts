import type { AstroApiPaths } from '@airflow-portal/plugin-astro-common';
import type { HttpResponse as MswHttpResponse, http as mswHttp } from 'msw';
import type { setupServer } from 'msw/node';
import type { createOpenApiHttp } from 'openapi-msw';

/** What handlers of a mock Astro API are built with. */
export interface MockAstroApiKit {
  /** msw handlers typed by the Astro API's OpenAPI document (openapi-msw). */
  http: ReturnType<typeof createOpenApiHttp<AstroApiPaths>>;
  /** msw's own handlers, for catch-alls the document has no path for. */
  anyHttp: typeof mswHttp;
  HttpResponse: typeof MswHttpResponse;
  /** A Backstage error body with the given status. */
  error(status: number, name: string, message: string): Response;
  /** Where the mock answers: the Astro plugin's base URL. */
  baseUrl: string;
}

/**
 * Serves a mock of the Astro API with msw in a Node.js test: handlers are
 * typed by the API's OpenAPI document, so a mock cannot drift from the real
 * API's paths and bodies. msw and openapi-msw are ES modules, which a
 * CommonJS test loads with `import()` (Node with
 * `--experimental-vm-modules`, as `./dev test` runs Jest).
 *
 * @public
 */
export async function startMockAstroApi(options: {
  handlers: (kit: MockAstroApiKit) => Parameters<typeof setupServer>;
  /** Called with every request the mock receives, before it is answered. */
  onRequest?: (request: Request) => void | Promise<void>;
  /** @defaultValue `http://astro.test/api/astro` */
  baseUrl?: string;
}): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const { http, HttpResponse } = await import('msw');
  const msw = await import('msw/node');
  const openapi = await import('openapi-msw');
  const baseUrl = options.baseUrl ?? 'http://astro.test/api/astro';
  const kit: MockAstroApiKit = {
    http: openapi.createOpenApiHttp<AstroApiPaths>({ baseUrl }),
    anyHttp: http,
    HttpResponse,
    error: (status, name, message) =>
      HttpResponse.json(
        { error: { name, message }, response: { statusCode: status } },
        { status },
      ),
    baseUrl,
  };
  const server = msw.setupServer(...options.handlers(kit));
  const onRequest = options.onRequest;
  if (onRequest) {
    server.events.on('request:start', ({ request }) => onRequest(request));
  }
  server.listen({ onUnhandledRequest: 'error' });
  return { baseUrl, close: async () => server.close() };
}
