import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import type {
  DropMetadataDatabaseRequest,
  EnsureMetadataDatabaseRequest,
  MetadataDatabaseConnection,
  MetadataDatabaseProvisioner,
  MetadataDatabaseSslMode,
} from '@airflow-portal/plugin-astro-node';
import { Client, ClientConfig, escapeIdentifier, escapeLiteral } from 'pg';
import {
  DEFAULT_NAME_PREFIX,
  describeInvalidNamePrefix,
  metadataDatabaseNames,
} from './names';
import { scramSha256Verifier } from './scram';

/**
 * Options of {@link PostgresServerProvisioner}.
 *
 * @public
 */
export interface PostgresServerProvisionerOptions {
  /** Provisioner id; defaults to `postgres`. */
  id?: string;
  /**
   * How the backend connects as an administrator: a connection string or a
   * `pg` client config. The user must be a superuser or have CREATEDB and
   * CREATEROLE.
   */
  admin: string | ClientConfig;
  /** Host the Deployments' pods connect to; defaults to the admin connection's host. */
  host?: string;
  /** Port the Deployments' pods connect to; defaults to the admin connection's port, else 5432. */
  port?: number;
  /** TLS requirement of the Deployments' connections. */
  sslMode?: MetadataDatabaseSslMode;
  /** Prefix of database and role names; defaults to `airflow_`. */
  namePrefix?: string;
  /** Connection limit of each Deployment's role; unlimited when absent. */
  connectionLimit?: number;
  logger: LoggerService;
}

/** SQLSTATEs of objects that already exist (a concurrent ensure won). */
const ALREADY_EXISTS = new Set(['42710', '42P04', '23505']);

function sqlState(error: unknown): string | undefined {
  return isError(error) && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Provisions each Deployment's metadata database on a PostgreSQL server it
 * administers: one database and one login role per Deployment, the role
 * owning the database and being the only one (besides administrators) that
 * may connect to it.
 *
 * Names derive from the Deployment (see `metadataDatabaseNames`) and are
 * always quoted; passwords are set as SCRAM-SHA-256 verifiers computed here,
 * so the plain password never reaches the server, and are never logged.
 * Role and database names are logged at debug level only.
 *
 * @public
 */
export class PostgresServerProvisioner implements MetadataDatabaseProvisioner {
  readonly id: string;
  readonly #admin: ClientConfig;
  readonly #host: string;
  readonly #port: number;
  readonly #sslMode?: MetadataDatabaseSslMode;
  readonly #namePrefix: string;
  readonly #connectionLimit?: number;
  readonly #logger: LoggerService;

  static create(options: PostgresServerProvisionerOptions) {
    return new PostgresServerProvisioner(options);
  }

  private constructor(options: PostgresServerProvisionerOptions) {
    this.id = options.id ?? 'postgres';
    this.#admin =
      typeof options.admin === 'string'
        ? { connectionString: options.admin }
        : options.admin;
    const parsed =
      typeof options.admin === 'string' ? new URL(options.admin) : undefined;
    const host =
      options.host ??
      (parsed ? decodeURIComponent(parsed.hostname) : this.#admin.host);
    if (!host) {
      throw new InputError(
        'The metadata database server has no host: set it in the admin connection or as `host`',
      );
    }
    this.#host = host;
    this.#port =
      options.port ??
      (parsed?.port ? Number(parsed.port) : this.#admin.port ?? 5432);
    this.#sslMode = options.sslMode;
    this.#namePrefix = options.namePrefix ?? DEFAULT_NAME_PREFIX;
    const problem = describeInvalidNamePrefix(this.#namePrefix);
    if (problem) {
      throw new InputError(`Metadata database name prefix ${problem}`);
    }
    if (
      options.connectionLimit !== undefined &&
      (!Number.isInteger(options.connectionLimit) ||
        options.connectionLimit < 1)
    ) {
      throw new InputError(
        'Metadata database connection limit must be a positive integer',
      );
    }
    this.#connectionLimit = options.connectionLimit;
    this.#logger = options.logger.child({ provisioner: this.id });
  }

  async ensure(
    request: EnsureMetadataDatabaseRequest,
  ): Promise<MetadataDatabaseConnection> {
    if (!/^[\x20-\x7e]+$/.test(request.password)) {
      throw new InputError(
        'Metadata database passwords must be non-empty printable ASCII',
      );
    }
    const { database, role } = metadataDatabaseNames(request, this.#namePrefix);
    const roleId = escapeIdentifier(role);
    const databaseId = escapeIdentifier(database);
    const password = escapeLiteral(scramSha256Verifier(request.password));
    const limit =
      this.#connectionLimit === undefined
        ? ''
        : ` CONNECTION LIMIT ${this.#connectionLimit}`;

    await this.#withAdmin(request, 'ensure', async client => {
      const superuser = await this.#isSuperuser(client);
      const roleExists = await this.#exists(
        client,
        'pg_roles',
        'rolname',
        role,
      );
      let created = false;
      if (!roleExists) {
        created = await this.#createIfMissing(
          client,
          `CREATE ROLE ${roleId} WITH LOGIN${limit} PASSWORD ${password}`,
        );
      }
      if (!created) {
        await client.query(
          `ALTER ROLE ${roleId} WITH LOGIN${limit} PASSWORD ${password}`,
        );
      }
      if (!superuser) {
        // Lets a CREATEROLE administrator own objects as the role and drop them later.
        await client.query(`GRANT ${roleId} TO CURRENT_USER`);
      }
      if (await this.#exists(client, 'pg_database', 'datname', database)) {
        await client.query(`ALTER DATABASE ${databaseId} OWNER TO ${roleId}`);
      } else {
        await this.#createIfMissing(
          client,
          `CREATE DATABASE ${databaseId} OWNER ${roleId}`,
        );
      }
      await client.query(`REVOKE ALL ON DATABASE ${databaseId} FROM PUBLIC`);
      await client.query(
        `GRANT ALL PRIVILEGES ON DATABASE ${databaseId} TO ${roleId}`,
      );
      this.#logger.debug('Metadata database ready', {
        deploymentId: request.deploymentId,
        database,
        role,
      });
    });
    this.#logger.info(
      `Ensured the metadata database of deployment ${request.deploymentId}`,
    );
    return {
      host: this.#host,
      port: this.#port,
      database,
      user: role,
      password: request.password,
      ...(this.#sslMode ? { sslMode: this.#sslMode } : {}),
    };
  }

  async drop(request: DropMetadataDatabaseRequest): Promise<void> {
    const { database, role } = metadataDatabaseNames(request, this.#namePrefix);
    const databaseId = escapeIdentifier(database);
    await this.#withAdmin(request, 'drop', async client => {
      if (await this.#exists(client, 'pg_database', 'datname', database)) {
        await client.query(
          `ALTER DATABASE ${databaseId} WITH ALLOW_CONNECTIONS false`,
        );
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
        await client.query(`DROP DATABASE IF EXISTS ${databaseId}`);
      }
      await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`);
      this.#logger.debug('Metadata database dropped', {
        deploymentId: request.deploymentId,
        database,
        role,
      });
    });
    this.#logger.info(
      `Dropped the metadata database of deployment ${request.deploymentId}`,
    );
  }

  async #withAdmin(
    request: { deploymentId: string; password?: string },
    operation: 'ensure' | 'drop',
    work: (client: Client) => Promise<void>,
  ): Promise<void> {
    const client = new Client(this.#admin);
    // An idle client's socket errors arrive as events; keep them from crashing the process.
    client.on('error', () => {});
    try {
      await client.connect();
      await work(client);
    } catch (error) {
      let message = isError(error) ? error.message : String(error);
      if (request.password) {
        message = message.split(request.password).join('***');
      }
      throw new Error(
        `Could not ${operation} the metadata database of deployment ${request.deploymentId}: ${message}`,
      );
    } finally {
      await client.end().catch(() => {});
    }
  }

  async #isSuperuser(client: Client): Promise<boolean> {
    const { rows } = await client.query(
      'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.rolsuper === true;
  }

  async #exists(
    client: Client,
    catalog: 'pg_roles' | 'pg_database',
    column: 'rolname' | 'datname',
    name: string,
  ): Promise<boolean> {
    const { rowCount } = await client.query(
      `SELECT 1 FROM ${catalog} WHERE ${column} = $1`,
      [name],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Runs a CREATE; `false` when a concurrent caller created it first. */
  async #createIfMissing(client: Client, statement: string): Promise<boolean> {
    try {
      await client.query(statement);
      return true;
    } catch (error) {
      if (ALREADY_EXISTS.has(sqlState(error) ?? '')) {
        return false;
      }
      throw error;
    }
  }
}
