import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers to 63 bytes; stay within. */
export const MAX_IDENTIFIER_LENGTH = 63;

/** Default prefix of the databases and roles of Deployments. */
export const DEFAULT_NAME_PREFIX = 'airflow_';

const PREFIX = /^[a-z][a-z0-9_]{0,23}$/;
const ID_HASH_LENGTH = 12;

/**
 * Explains why a name prefix is unusable, or returns `undefined` when it is
 * fine: a lowercase letter, then up to 23 lowercase letters, digits or `_`.
 */
export function describeInvalidNamePrefix(prefix: string): string | undefined {
  return PREFIX.test(prefix)
    ? undefined
    : 'must start with a lowercase letter and contain at most 24 lowercase letters, digits and "_"';
}

/**
 * The database and role of a Deployment: `<prefix><name>_<hash of id>`.
 *
 * The hash of the immutable id makes the name unique and stable; the name
 * part, reduced to `[a-z0-9_]`, makes it readable. The result is a plain
 * identifier of at most 63 characters (it is still quoted wherever it is
 * used in SQL).
 */
export function metadataDatabaseNames(
  request: { deploymentId: string; name: string },
  prefix: string = DEFAULT_NAME_PREFIX,
): { database: string; role: string } {
  const problem = describeInvalidNamePrefix(prefix);
  if (problem) {
    throw new Error(`Metadata database name prefix "${prefix}" ${problem}`);
  }
  const id = createHash('sha256')
    .update(request.deploymentId, 'utf8')
    .digest('hex')
    .slice(0, ID_HASH_LENGTH);
  const room = MAX_IDENTIFIER_LENGTH - prefix.length - 1 - ID_HASH_LENGTH;
  const slug = request.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, room)
    .replace(/^_+|_+$/g, '');
  const name = `${prefix}${slug ? `${slug}_` : ''}${id}`;
  return { database: name, role: name };
}
