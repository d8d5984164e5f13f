/** Small helpers for node:http requests and responses. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, statusErrors } from '../api/status';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads a request body as text (at most 16 MiB). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(statusErrors.badRequest('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON body; `400 BadRequest` if it is not JSON. */
export function parseJson(text: string, what = 'request body'): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw statusErrors.badRequest(
      `the ${what} is not valid JSON (the simulator accepts JSON bodies only, also for application/apply-patch+yaml)`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendStatusError(res: ServerResponse, error: StatusError): void {
  const retryAfter = error.status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) {
    res.setHeader('Retry-After', String(retryAfter));
  }
  sendJson(res, error.code, error.status);
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => {
    setTimeout(resolve, ms).unref?.();
  });
}
