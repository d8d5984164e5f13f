/** Small helpers for node:http requests and responses. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, statusErrors } from '../api/status';
import {
  decodeKubernetesProtobuf,
  PROTOBUF_MEDIA_TYPE,
} from '../protobuf/decode';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads a request body as text (at most 16 MiB). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** The media type of a request, lower case, without parameters. */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Reads the body of a create, update or delete: JSON, or Kubernetes
 * protobuf (what kubectl's `create` subcommands and helm's release storage
 * send) decoded into its JSON form.
 */
export async function readObjectBody(
  req: IncomingMessage,
  what = 'request body',
): Promise<unknown> {
  const bytes = await readBodyBytes(req);
  if (mediaTypeOf(req) === PROTOBUF_MEDIA_TYPE) {
    return bytes.length === 0 ? undefined : decodeKubernetesProtobuf(bytes);
  }
  return parseJson(bytes.toString('utf8'), what);
}

/** Reads a request body (at most 16 MiB). */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
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
    req.on('end', () => resolve(Buffer.concat(chunks)));
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
      `the ${what} is not valid JSON (the simulator accepts JSON bodies, also for application/apply-patch+yaml, and Kubernetes protobuf for creates, updates and deletes)`,
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
