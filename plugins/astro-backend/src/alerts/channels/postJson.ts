import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A request that did not get an answer: timed out or failed to connect. */
export class RequestFailed extends Error {
  constructor(
    message: string,
    /** The system error code, e.g. `ECONNREFUSED`, when there is one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

/**
 * POSTs a JSON body and answers the HTTP status (the response body is
 * read and dropped). Redirects are not followed: a 3xx is an answer like
 * any other. `lookup` resolves the host (and may refuse it).
 */
export function postJson(
  url: URL,
  options: {
    body: unknown;
    headers: Record<string, string>;
    timeoutMs: number;
    lookup?: RequestOptions['lookup'];
  },
): Promise<number> {
  const payload = Buffer.from(JSON.stringify(options.body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: {
        ...options.headers,
        'content-type': 'application/json',
        'content-length': String(payload.length),
      },
      lookup: options.lookup,
      // An agent of its own: no connection outlives the delivery.
      agent: false,
      timeout: options.timeoutMs,
    });
    const deadline = setTimeout(
      () => req.destroy(new RequestFailed('the request timed out')),
      options.timeoutMs,
    );
    req.on('timeout', () =>
      req.destroy(new RequestFailed('the request timed out')),
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      reject(
        error instanceof RequestFailed
          ? error
          : new RequestFailed('the request failed', error.code),
      );
    });
    req.on('response', response => {
      response.resume();
      response.on('end', () => {
        clearTimeout(deadline);
        resolve(response.statusCode ?? 0);
      });
      response.on('error', () => {
        clearTimeout(deadline);
        resolve(response.statusCode ?? 0);
      });
    });
    req.end(payload);
  });
}
