/** Names from `metadata.generateName`, as the API server makes them. */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 63;
const SUFFIX_LENGTH = 5;

/**
 * `prefix` (cut to leave room) followed by five random characters from the
 * alphabet the API server uses (no vowels, no look-alike digits).
 */
export function generatedName(prefix: string): string {
  const suffix = [...randomBytes(SUFFIX_LENGTH)]
    .map(byte => ALPHABET[byte % ALPHABET.length])
    .join('');
  return `${prefix.slice(0, MAX_NAME_LENGTH - SUFFIX_LENGTH)}${suffix}`;
}
