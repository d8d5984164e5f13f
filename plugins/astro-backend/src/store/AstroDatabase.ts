import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { ClusterStore } from './ClusterStore';
import { DeploymentStore } from './DeploymentStore';
import { EventStore } from './EventStore';
import { IdempotencyStore } from './IdempotencyStore';
import { OrganizationStore } from './OrganizationStore';
import { WorkspaceStore } from './WorkspaceStore';

/**
 * The plugin's database: migrations and one store per table family, sharing
 * a knex client. Every store method takes an optional transaction.
 */
export class AstroDatabase {
  readonly organizations: OrganizationStore;
  readonly workspaces: WorkspaceStore;
  readonly clusters: ClusterStore;
  readonly deployments: DeploymentStore;
  readonly events: EventStore;
  readonly idempotency: IdempotencyStore;

  private constructor(readonly knex: Knex) {
    this.organizations = new OrganizationStore(knex);
    this.workspaces = new WorkspaceStore(knex);
    this.clusters = new ClusterStore(knex);
    this.deployments = new DeploymentStore(knex);
    this.events = new EventStore(knex);
    this.idempotency = new IdempotencyStore(knex);
  }

  static async create(options: {
    database: DatabaseService;
  }): Promise<AstroDatabase> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyDatabaseMigrations(knex);
    }
    return new AstroDatabase(knex);
  }

  /** Wraps an existing client whose schema is up to date (tests, tools). */
  static fromKnex(knex: Knex): AstroDatabase {
    return new AstroDatabase(knex);
  }

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(fn);
  }
}
