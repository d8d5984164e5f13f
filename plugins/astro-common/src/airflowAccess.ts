/**
 * How people and the backend get into a Deployment's Airflow: the portal
 * signs short-lived JWTs with the Deployment's own `[api_auth] jwt_secret`
 * (Secret `airflow-keys`, key `jwt-secret`), and the Airflow it renders (a
 * small auth manager on Airflow 3, a FAB security manager on Airflow 2)
 * trusts them. Every api-server or webserver replica reads the same Secret,
 * so a sign-in holds on every replica and across restarts; there is no
 * password anywhere.
 *
 * The simulator's Airflow implements the same contract, reading the key
 * from the same Secret.
 *
 * @public
 */
export const AIRFLOW_ACCESS = {
  /** Signing algorithm of every token below (Airflow's default for a shared secret). */
  algorithm: 'HS512',
  /** `iss` of tokens the portal signs. */
  issuer: 'airflow-portal',
  /**
   * `aud` of a login ticket: exchanged once, within
   * {@link AIRFLOW_ACCESS.ticketLifetimeSeconds}, for an Airflow session at
   * {@link AIRFLOW_ACCESS.loginPath}.
   */
  ticketAudience: 'airflow-portal:login',
  /** Lifetime of a login ticket. */
  ticketLifetimeSeconds: 60,
  /**
   * `aud` of Airflow API tokens (users' and the backend's service
   * credential); rendered as `AIRFLOW__API_AUTH__JWT_AUDIENCE`.
   */
  apiAudience: 'apache-airflow',
  /** Lifetime of an Airflow API token the portal hands out. */
  apiTokenLifetimeSeconds: 3600,
  /** `sub` of the backend's own service credential. */
  serviceSubject: 'airflow-portal:service',
  /**
   * Path (under the Airflow base URL) that takes `?ticket=<jwt>`, checks
   * it and starts a session for its subject with its role.
   */
  loginPath: '/auth/portal',
  /** Query parameter of the ticket. */
  ticketParameter: 'ticket',
  /**
   * Header the backend sends its service credential in when it calls
   * Airflow through the Kubernetes API server's service proxy: the API
   * server consumes (and deletes) `Authorization` before proxying. The
   * rendered auth code treats `X-Airflow-Portal-Token: <jwt>` like
   * `Authorization: Bearer <jwt>`.
   */
  proxyTokenHeader: 'x-airflow-portal-token',
} as const;

/**
 * The Airflow role a token grants, by the portal permission of its holder:
 * who may update the Deployment is `ADMIN`, who may only read it `VIEWER`.
 * Airflow 3's names (SimpleAuthManager's roles); on Airflow 2 they map to
 * FAB's `Admin`, `Op`, `User` and `Viewer`.
 *
 * @public
 */
export type AirflowRole = 'ADMIN' | 'OP' | 'USER' | 'VIEWER';

/**
 * The claims of a login ticket and of an Airflow API token.
 *
 * @public
 */
export interface AirflowAccessClaims {
  iss: typeof AIRFLOW_ACCESS.issuer;
  aud: string;
  /** The portal user's entity ref (`user:default/jane`), or the service subject. */
  sub: string;
  role: AirflowRole;
  /** Display name, when the portal knows one. */
  name?: string;
  /** The Deployment id; a token of one Deployment is worthless at another (different key too). */
  deployment: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}
