/**
 * The contract between the Astro backend and the services that give each
 * Airflow Deployment its own metadata database.
 *
 * A provisioner is called by the reconciler with a password that the backend
 * generated once for the Deployment and keeps (encrypted) in its store, so
 * every call for one Deployment carries the same password. Implementations
 * never log passwords.
 */

/**
 * libpq `sslmode` values.
 *
 * @public
 */
export type MetadataDatabaseSslMode =
  | 'disable'
  | 'allow'
  | 'prefer'
  | 'require'
  | 'verify-ca'
  | 'verify-full';

/**
 * How Airflow's components reach a Deployment's metadata database.
 *
 * @public
 */
export interface MetadataDatabaseConnection {
  /** Host name as the Deployment's pods resolve it. */
  host: string;
  port: number;
  /** Database name. */
  database: string;
  /** Role (user) name. */
  user: string;
  password: string;
  /** TLS requirement between the Deployment's connection pooler and the server. */
  sslMode?: MetadataDatabaseSslMode;
}

/**
 * Asks for a Deployment's metadata database to exist.
 *
 * @public
 */
export interface EnsureMetadataDatabaseRequest {
  /** The Deployment's immutable id; database and role names derive from it. */
  deploymentId: string;
  /** The Deployment's immutable name; makes derived names readable. */
  name: string;
  /** The role's password. Never logged. */
  password: string;
}

/**
 * Asks for a Deployment's metadata database to be removed.
 *
 * @public
 */
export interface DropMetadataDatabaseRequest {
  deploymentId: string;
  name: string;
}

/**
 * Creates and drops one metadata database (and its role) per Deployment.
 *
 * Both operations are idempotent: `ensure` on an existing database succeeds
 * and sets the role's password to the one given; `drop` of a database that
 * does not exist succeeds.
 *
 * Deployments on clusters without a provisioner run a small PostgreSQL inside
 * their own namespace instead (rendered by the backend; meant for development
 * clusters).
 *
 * @public
 */
export interface MetadataDatabaseProvisioner {
  /** Unique id, referenced from configuration (e.g. `postgres`). */
  readonly id: string;
  /** Creates the database and role if missing; returns how to connect. */
  ensure(
    request: EnsureMetadataDatabaseRequest,
  ): Promise<MetadataDatabaseConnection>;
  /** Terminates the database's connections and drops database and role. */
  drop(request: DropMetadataDatabaseRequest): Promise<void>;
}
