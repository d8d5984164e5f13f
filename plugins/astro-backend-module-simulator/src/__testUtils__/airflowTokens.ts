import { randomBytes, randomUUID } from 'node:crypto';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  AIRFLOW_ACCESS,
  AirflowRole,
} from '@airflow-portal/plugin-astro-common';

/** A random JWT key, as the backend generates one per Deployment. */
export function newJwtKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Secret `airflow-keys` with `jwt-secret` (base64 `data`), as rendered. */
export function airflowKeysSecret(
  namespace: string,
  jwtSecret: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'airflow-keys', namespace },
    type: 'Opaque',
    data: { 'jwt-secret': Buffer.from(jwtSecret).toString('base64') },
  };
}

/** What a test token carries; every field can be overridden or removed. */
export interface TestTokenOptions {
  audience?: string;
  sub?: string;
  role?: AirflowRole | string;
  name?: string;
  deployment?: string;
  issuer?: string;
  /** Seconds from now. */
  expiresIn?: number;
  /** Seconds from now (negative: in the past). */
  issuedAt?: number;
  alg?: string;
  /** Claims to drop from the payload. */
  omit?: string[];
}

/**
 * Signs a token the way the portal does (HS512 with the Deployment's
 * `jwt-secret`): a login ticket by default.
 */
export async function signPortalToken(
  jwtSecret: string,
  options: TestTokenOptions = {},
): Promise<string> {
  const jose = await import('jose');
  const now = Math.floor(Date.now() / 1000) + (options.issuedAt ?? 0);
  const payload: Record<string, unknown> = {
    iss: options.issuer ?? AIRFLOW_ACCESS.issuer,
    aud: options.audience ?? AIRFLOW_ACCESS.ticketAudience,
    sub: options.sub ?? 'user:default/jane',
    role: options.role ?? 'ADMIN',
    name: options.name ?? 'Jane Doe',
    deployment: options.deployment ?? 'dep-1',
    iat: now,
    nbf: now,
    exp: now + (options.expiresIn ?? AIRFLOW_ACCESS.ticketLifetimeSeconds),
    jti: randomUUID(),
  };
  for (const claim of options.omit ?? []) {
    delete payload[claim];
  }
  return new jose.SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? AIRFLOW_ACCESS.algorithm })
    .sign(new TextEncoder().encode(jwtSecret));
}

/** An Airflow API token (one hour) of the service subject. */
export function signApiToken(
  jwtSecret: string,
  options: TestTokenOptions = {},
): Promise<string> {
  return signPortalToken(jwtSecret, {
    audience: AIRFLOW_ACCESS.apiAudience,
    sub: AIRFLOW_ACCESS.serviceSubject,
    expiresIn: AIRFLOW_ACCESS.apiTokenLifetimeSeconds,
    ...options,
  });
}

/**
 * Redeems a fresh login ticket at the simulated Airflow of `namespace` and
 * returns the session cookie (`name=value`) it sets.
 */
export async function signInToSimulatedAirflow(
  simulatorUrl: string,
  namespace: string,
  jwtSecret: string,
  options: TestTokenOptions = {},
): Promise<string> {
  const ticket = await signPortalToken(jwtSecret, options);
  const response = await fetch(
    `${simulatorUrl}/airflow/${namespace}${AIRFLOW_ACCESS.loginPath}?${AIRFLOW_ACCESS.ticketParameter}=${ticket}`,
    { redirect: 'manual' },
  );
  if (response.status !== 302) {
    throw new Error(
      `sign-in answered ${response.status}: ${await response.text()}`,
    );
  }
  return response.headers.get('set-cookie')!.split(';')[0];
}
