import { ResponseError } from '@backstage/errors';
import createClient, { Client, Middleware } from 'openapi-fetch';
import type { paths } from '../generated/openapi';

/**
 * How the client finds the Astro backend and sends requests: the same
 * shapes as Backstage's `DiscoveryApi`/`FetchApi` in the frontend and
 * `DiscoveryService` plus the global `fetch` in backend modules.
 *
 * @public
 */
export interface AstroApiClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  /** Defaults to the global `fetch`. */
  fetchApi?: { fetch: typeof fetch };
}

/**
 * Options of one request.
 *
 * @public
 */
export interface AstroRequestOptions {
  /**
   * A Backstage token to send as `Authorization: Bearer …`; backend modules
   * pass one, the frontend's `fetchApi` adds the user's itself.
   */
  token?: string;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Turns every answer that is not a success into a `ResponseError`. */
const throwOnError: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return undefined;
  },
};

/**
 * What the generated client's methods share: one openapi-fetch client per
 * instance, typed by the OpenAPI document's `paths`, whose failures are
 * thrown as `ResponseError`s (`error.response.status` tells a 409 from a
 * 404; `error.body.error.message` names the offending fields).
 *
 * @public
 */
export abstract class AstroApiClientBase {
  private client?: Promise<Client<paths>>;

  constructor(private readonly clientOptions: AstroApiClientOptions) {}

  /** The openapi-fetch client, created on first use. */
  protected fetchClient(): Promise<Client<paths>> {
    this.client ??= this.clientOptions.discoveryApi
      .getBaseUrl('astro')
      .then(baseUrl => {
        const fetchApi = this.clientOptions.fetchApi;
        const fetchImpl: typeof fetch = fetchApi
          ? (input, init) => fetchApi.fetch(input, init)
          : (input, init) => fetch(input, init);
        const client = createClient<paths>({
          baseUrl,
          // openapi-fetch hands over a Request; Backstage's fetch APIs build
          // Requests of their own from what they get, which fails for a
          // Request whose body was read. Pass its parts instead.
          fetch: async request =>
            fetchImpl(request.url, {
              method: request.method,
              headers: request.headers,
              body:
                request.method === 'GET' || request.method === 'HEAD'
                  ? undefined
                  : await request.arrayBuffer(),
              signal: request.signal,
              cache: request.cache,
            }),
        });
        client.use(throwOnError);
        return client;
      });
    return this.client;
  }

  /** Request options every call passes to openapi-fetch. */
  protected init(options: AstroRequestOptions | undefined) {
    return {
      headers: options?.token
        ? { Authorization: `Bearer ${options.token}` }
        : undefined,
      signal: options?.signal,
      // Status changes without a new version, so a revalidated cache entry
      // could show a stale status: always ask the backend.
      cache: 'no-store' as const,
    };
  }

  /**
   * The body of an operation that takes other media types than JSON, sent
   * as the media type its value has: bytes as the binary type, a string as
   * the text type (e.g. YAML), anything else as JSON. Typed loosely
   * (`never`) because openapi-fetch types such bodies as strings.
   */
  protected payload(
    body: unknown,
    media: Array<{ mediaType: string; kind: 'json' | 'binary' | 'text' }>,
    options: AstroRequestOptions | undefined,
  ): {
    body: never;
    bodySerializer: (body: unknown) => any;
    headers: Record<string, string>;
  } {
    const isBytes =
      body instanceof ArrayBuffer ||
      ArrayBuffer.isView(body) ||
      (typeof Blob !== 'undefined' && body instanceof Blob);
    let kind: 'json' | 'binary' | 'text' = 'json';
    if (isBytes) {
      kind = 'binary';
    } else if (typeof body === 'string') {
      kind = 'text';
    }
    const chosen = media.find(m => m.kind === kind);
    if (!chosen) {
      throw new TypeError(
        `This operation takes ${media
          .map(m => m.mediaType)
          .join(' or ')}, not a ${kind} body`,
      );
    }
    return {
      body: body as never,
      bodySerializer:
        kind === 'json' ? (value: unknown) => JSON.stringify(value) : v => v,
      headers: {
        ...this.init(options).headers,
        'Content-Type': chosen.mediaType,
      },
    };
  }

  /** The body of a successful answer (failures were thrown already). */
  protected data<T>(result: { data?: T }): T {
    return result.data as T;
  }
}

/**
 * The result of a request, or `undefined` when the API answered 404 (the
 * resource does not exist or is not visible to the caller).
 *
 * @public
 */
export async function ifFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ResponseError && error.response.status === 404) {
      return undefined;
    }
    throw error;
  }
}
