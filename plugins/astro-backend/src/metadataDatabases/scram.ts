import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** Iterations PostgreSQL itself uses (`scram_iterations` default). */
export const SCRAM_ITERATIONS = 4096;

/**
 * A SCRAM-SHA-256 verifier of a password, in the form PostgreSQL stores
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802 /
 * 7677). Setting a role's password to a verifier keeps the plain password
 * off the server: out of its statement log and `pg_stat_activity`.
 */
export function scramSha256Verifier(
  password: string,
  options: { salt?: Buffer; iterations?: number } = {},
): string {
  const salt = options.salt ?? randomBytes(16);
  const iterations = options.iterations ?? SCRAM_ITERATIONS;
  // SASLprep leaves printable ASCII as it is; other passwords are refused
  // by the provisioner, so no normalization is needed here.
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Whether `verifier` is the SCRAM-SHA-256 verifier of `password`. */
export function scramVerifierMatches(
  verifier: string,
  password: string,
): boolean {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!match) {
    return false;
  }
  return (
    scramSha256Verifier(password, {
      iterations: Number(match[1]),
      salt: Buffer.from(match[2], 'base64'),
    }) === verifier
  );
}
