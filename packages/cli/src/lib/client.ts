import { AstroApiClient } from '@airflow-portal/plugin-astro-common';
import { UsageError } from './errors';
import { CLI_VERSION } from './version';

/**
 * The portal's backend URL, checked and without a trailing slash; a URL
 * that already ends in `/api/astro` is taken as the backend's too.
 */
export function normalizePortalUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--url: ${JSON.stringify(
        value,
      )} is not a URL (e.g. https://portal.example.com)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url: must be an http or https URL, not ${value}`);
  }
  if (url.search || url.hash) {
    throw new UsageError(`--url: must not have a query or fragment`);
  }
  const trimmed = url.href.replace(/\/+$/, '');
  return trimmed.replace(/\/api\/astro$/, '');
}

/** Whether a token is an API token of the portal (else a Backstage token). */
export function isApiToken(token: string): boolean {
  return /^astro_[0-9a-f]{32}_\S+$/.test(token);
}

/** Called as a request body is handed to the network. */
export type UploadListener = (sent: number, total: number) => void;

/** Chunks of a streamed upload, small enough for visible progress. */
const UPLOAD_CHUNK = 64 * 1024;

function streamWithProgress(
  bytes: Uint8Array,
  listener: UploadListener,
): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(offset + UPLOAD_CHUNK, bytes.length);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
      listener(offset, bytes.length);
    },
  });
}

/** The portal's API client of one run, and a hook on uploads. */
export interface PortalClient {
  api: AstroApiClient;
  url: string;
  /** Reports the progress of request bodies sent until it is reset. */
  onUpload(listener: UploadListener | undefined): void;
}

/**
 * The generated `AstroApiClient` of `@airflow-portal/plugin-astro-common`,
 * pointed at `<portal>/api/astro` and sending the token as
 * `Authorization: Bearer`. Request bodies are streamed in chunks while an
 * upload listener is set, so that large uploads show their progress.
 */
export function createPortalClient(options: {
  url: string;
  token: string;
  fetch?: typeof fetch;
}): PortalClient {
  const url = normalizePortalUrl(options.url);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let listener: UploadListener | undefined;
  const api = new AstroApiClient({
    discoveryApi: { getBaseUrl: async () => `${url}/api/astro` },
    fetchApi: {
      async fetch(input: RequestInfo | URL, init?: RequestInit) {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', `Bearer ${options.token}`);
        headers.set('User-Agent', `airflow-portal-cli/${CLI_VERSION}`);
        let body = init?.body;
        const extra: Record<string, unknown> = {};
        if (listener && body instanceof ArrayBuffer && body.byteLength > 0) {
          const bytes = new Uint8Array(body);
          headers.set('Content-Length', String(bytes.length));
          body = streamWithProgress(bytes, listener);
          // A streamed request body needs it (WHATWG fetch).
          extra.duplex = 'half';
        }
        return doFetch(input, {
          ...init,
          ...extra,
          headers,
          body,
        } as RequestInit);
      },
    },
  });
  return {
    api,
    url,
    onUpload(next) {
      listener = next;
    },
  };
}
