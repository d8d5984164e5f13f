import { randomUUID } from 'node:crypto';
import {
  AIRFLOW_ACCESS,
  AirflowAccessClaims,
  AirflowRole,
} from '@airflow-portal/plugin-astro-common';

/** The two kinds of token the portal signs for a Deployment's Airflow. */
export type AirflowTokenKind = 'ticket' | 'api';

/** What a signed token says, besides its kind. */
export interface AirflowTokenSubject {
  /** The user's entity ref, or {@link AIRFLOW_ACCESS.serviceSubject}. */
  subject: string;
  role: AirflowRole;
  /** The Deployment's id. */
  deploymentId: string;
  name?: string;
}

/** A signed token, with what it claims (for audit: everything but the value). */
export interface SignedAirflowToken {
  value: string;
  claims: AirflowAccessClaims;
  expiresAt: Date;
}

const AUDIENCE: Record<AirflowTokenKind, string> = {
  ticket: AIRFLOW_ACCESS.ticketAudience,
  api: AIRFLOW_ACCESS.apiAudience,
};

const LIFETIME_SECONDS: Record<AirflowTokenKind, number> = {
  ticket: AIRFLOW_ACCESS.ticketLifetimeSeconds,
  api: AIRFLOW_ACCESS.apiTokenLifetimeSeconds,
};

// jose is an ES module; this package's CommonJS build (and Jest) loads it
// with import(), as client-node is loaded.
let jose: Promise<typeof import('jose')> | undefined;
function loadJose() {
  jose ??= import('jose');
  return jose;
}

/**
 * Signs a login ticket or an Airflow API token with a Deployment's
 * `[api_auth] jwt_secret` (HS512, the bytes of the secret as Airflow reads
 * it from its configuration).
 */
export async function signAirflowToken(
  kind: AirflowTokenKind,
  key: string,
  subject: AirflowTokenSubject,
  now: Date = new Date(),
): Promise<SignedAirflowToken> {
  const { SignJWT } = await loadJose();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + LIFETIME_SECONDS[kind];
  const claims: AirflowAccessClaims = {
    iss: AIRFLOW_ACCESS.issuer,
    aud: AUDIENCE[kind],
    sub: subject.subject,
    role: subject.role,
    ...(subject.name ? { name: subject.name } : {}),
    deployment: subject.deploymentId,
    iat,
    nbf: iat,
    exp,
    jti: randomUUID(),
  };
  const value = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: AIRFLOW_ACCESS.algorithm, typ: 'JWT' })
    .sign(new TextEncoder().encode(key));
  return { value, claims, expiresAt: new Date(exp * 1000) };
}
