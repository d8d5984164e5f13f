import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { Request, Response } from 'express';

/** The version a client read, from the body or an If-Match header. */
export function expectedVersion(
  request: Request<any, any, any, any>,
  bodyVersion: number | undefined,
): number | undefined {
  const header = request.header('if-match');
  if (header === undefined) {
    return bodyVersion;
  }
  // An ETag of this API (`W/"<version>-<hash>"`) or a bare version.
  const version = Number(
    header
      .replace(/^W\//, '')
      .replace(/"/g, '')
      .replace(/-[0-9a-f]+$/, ''),
  );
  if (!Number.isInteger(version) || version < 1) {
    throw new InputError('If-Match: must be a resource version such as "3"');
  }
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw new InputError('version: differs from the If-Match header');
  }
  return version;
}

/**
 * Sends a resource with an ETag made of its version (what If-Match is
 * checked against) and a hash of the whole representation, which also
 * changes with status: caches never serve a stale status for an unchanged
 * version.
 */
export function sendResource<T extends { version: number }>(
  res: Response,
  status: number,
  resource: T,
) {
  const body = JSON.stringify(resource);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  res.setHeader('ETag', `W/"${resource.version}-${hash}"`);
  res.status(status).type('application/json').send(body);
}
