import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What every API token value starts with. */
export const TOKEN_PREFIX = 'astro_';

const TOKEN_PATTERN = /^astro_([0-9a-f]{32})_([A-Za-z0-9_-]{16,256})$/;

/** A token value, `astro_<32 hex id>_<secret>`, and the parts it is made of. */
export interface TokenValue {
  value: string;
  id: string;
  secret: string;
}

/** The token id (a UUID) as it appears in a value: its 32 hex digits. */
function compactId(id: string): string {
  return id.replace(/-/g, '');
}

function expandId(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16,
  )}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new value for a token id, with a fresh random secret (32 bytes). */
export function newTokenValue(id: string): TokenValue {
  const secret = randomBytes(32).toString('base64url');
  return { value: `${TOKEN_PREFIX}${compactId(id)}_${secret}`, id, secret };
}

/** Whether a bearer token is meant as an API token (by its prefix). */
export function looksLikeApiToken(bearer: string): boolean {
  return bearer.startsWith(TOKEN_PREFIX);
}

/** The id and secret of a token value; undefined when malformed. */
export function parseTokenValue(value: string): TokenValue | undefined {
  const match = TOKEN_PATTERN.exec(value);
  return match
    ? { value, id: expandId(match[1]), secret: match[2] }
    : undefined;
}

/** What is stored of a secret: its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compares two strings in constant time (for their length's sake, hashed first). */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(
    createHash('sha256').update(a, 'utf8').digest(),
    createHash('sha256').update(b, 'utf8').digest(),
  );
}
