/**
 * Checks the JWTs the portal signs for a Deployment's Airflow (login
 * tickets and API tokens, {@link AIRFLOW_ACCESS}) and signs the simulated
 * Airflow's own session tokens, the way the rendered Airflow does: HS512
 * only, with the Deployment's `jwt_secret`, audience and issuer pinned,
 * expiry and not-before checked with a small leeway, and the claims the
 * contract requires present and well-formed.
 */
import { randomUUID } from 'node:crypto';
import {
  AIRFLOW_ACCESS,
  AirflowRole,
} from '@airflow-portal/plugin-astro-common';
import type * as JoseModule from 'jose';

type Jose = typeof JoseModule;

let loading: Promise<Jose> | undefined;

/** `jose` is ESM only and this package is CommonJS: load it with `import()`. */
function loadJose(): Promise<Jose> {
  if (!loading) {
    loading = import('jose');
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** The roles a token may carry. */
export const AIRFLOW_ROLES: readonly AirflowRole[] = [
  'ADMIN',
  'OP',
  'USER',
  'VIEWER',
];

/** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. */
export const CLOCK_LEEWAY_SECONDS = 5;

/**
 * Lifetime of a session the simulated Airflow starts from a ticket (a day,
 * Airflow 3's default `[api_auth] jwt_expiration_time`).
 */
export const SESSION_LIFETIME_SECONDS = 24 * 60 * 60;

/** Who a valid token says its holder is. */
export interface AirflowIdentity {
  sub: string;
  role: AirflowRole;
  name?: string;
  deployment: string;
}

/** The outcome of checking a token. */
export type TokenCheck =
  | { valid: true; identity: AirflowIdentity; jti: string; exp: number }
  | { valid: false; reason: string; expired: boolean };

const invalid = (reason: string, expired = false): TokenCheck => ({
  valid: false,
  reason,
  expired,
});

function reasonOf(error: unknown): TokenCheck {
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return invalid('the token has expired', true);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return invalid(
        `the token is not signed with ${AIRFLOW_ACCESS.algorithm}`,
      );
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return invalid(
        "the token's signature does not match this Deployment's key",
      );
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason } = error as { claim?: string; reason?: string };
      if (claim === 'nbf' || claim === 'iat') {
        return invalid(`the token is not valid yet (${claim})`);
      }
      return invalid(
        reason === 'missing'
          ? `the token has no "${claim}" claim`
          : `the token's "${claim}" claim is not accepted here`,
      );
    }
    default:
      return invalid('the token is not a well-formed JWT');
  }
}

/**
 * Checks `token` against `key` for `audience`. `maxLifetimeSeconds` bounds
 * `exp - iat` (a login ticket lives a minute at most).
 */
export async function verifyPortalToken(
  token: string,
  key: Uint8Array,
  audience: string,
  options: { maxLifetimeSeconds?: number } = {},
): Promise<TokenCheck> {
  const jose = await loadJose();
  let payload: JoseModule.JWTPayload;
  try {
    ({ payload } = await jose.jwtVerify(token, key, {
      algorithms: [AIRFLOW_ACCESS.algorithm],
      audience,
      issuer: AIRFLOW_ACCESS.issuer,
      clockTolerance: CLOCK_LEEWAY_SECONDS,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    }));
  } catch (error) {
    return reasonOf(error);
  }
  const { sub, role, name, deployment, jti, exp, iat } = payload;
  if (typeof sub !== 'string' || sub === '') {
    return invalid('the token\'s "sub" claim is empty');
  }
  if (
    typeof role !== 'string' ||
    !AIRFLOW_ROLES.includes(role as AirflowRole)
  ) {
    return invalid(
      `the token's "role" claim must be one of ${AIRFLOW_ROLES.join(', ')}`,
    );
  }
  if (typeof deployment !== 'string' || deployment === '') {
    return invalid('the token has no "deployment" claim');
  }
  if (name !== undefined && typeof name !== 'string') {
    return invalid('the token\'s "name" claim is not a string');
  }
  if (typeof jti !== 'string' || jti === '') {
    return invalid('the token\'s "jti" claim is empty');
  }
  if (
    options.maxLifetimeSeconds !== undefined &&
    exp! - iat! > options.maxLifetimeSeconds + CLOCK_LEEWAY_SECONDS
  ) {
    return invalid(
      `the token lives longer than ${options.maxLifetimeSeconds} seconds`,
    );
  }
  return {
    valid: true,
    identity: {
      sub,
      role: role as AirflowRole,
      ...(name ? { name } : {}),
      deployment,
    },
    jti,
    exp: exp!,
  };
}

/**
 * Signs the session token the simulated Airflow keeps in its cookie: an
 * Airflow API token of the signed-in identity (Airflow 3 keeps its UI
 * session the same way, as a JWT signed with `jwt_secret`).
 */
export async function signSessionToken(
  identity: AirflowIdentity,
  key: Uint8Array,
  now = Date.now(),
): Promise<string> {
  const jose = await loadJose();
  const iat = Math.floor(now / 1000);
  return new jose.SignJWT({
    role: identity.role,
    deployment: identity.deployment,
    ...(identity.name ? { name: identity.name } : {}),
  })
    .setProtectedHeader({ alg: AIRFLOW_ACCESS.algorithm, typ: 'JWT' })
    .setIssuer(AIRFLOW_ACCESS.issuer)
    .setAudience(AIRFLOW_ACCESS.apiAudience)
    .setSubject(identity.sub)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + SESSION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(key);
}
