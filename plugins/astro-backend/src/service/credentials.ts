import { randomBytes } from 'node:crypto';

/**
 * Credentials generated once when a Deployment is created and kept for its
 * whole life: a regenerated fernet key makes stored connections unreadable
 * and a regenerated JWT secret breaks running Airflow 3 components.
 */
export interface DeploymentCredentials {
  /** Fernet key: 32 random bytes, URL-safe base64. */
  fernetKey: string;
  jwtSecret: string;
  apiSecretKey: string;
  redisPassword: string;
  databasePassword: string;
  /**
   * What the Deployment's DAG sync authenticates with at the bundle
   * endpoints (Secret `astro-dag-sync`). Deployments created before code
   * deploys get theirs when first rendered.
   */
  bundleToken: string;
}

/** Names under which the credentials are stored. */
export const CREDENTIAL_NAMES: Array<keyof DeploymentCredentials> = [
  'fernetKey',
  'jwtSecret',
  'apiSecretKey',
  'redisPassword',
  'databasePassword',
  'bundleToken',
];

/** Generates a fresh set of credentials. */
export function generateCredentials(): DeploymentCredentials {
  const token = (bytes: number) => randomBytes(bytes).toString('base64url');
  return {
    fernetKey: randomBytes(32)
      .toString('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
    jwtSecret: token(32),
    apiSecretKey: token(32),
    redisPassword: randomBytes(24).toString('hex'),
    databasePassword: randomBytes(24).toString('hex'),
    bundleToken: generateBundleToken(),
  };
}

/** A fresh bundle token: 32 random bytes, URL-safe. */
export function generateBundleToken(): string {
  return randomBytes(32).toString('base64url');
}
