import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ApiTokenStore } from './ApiTokenStore';
import { ClusterStore } from './ClusterStore';
import { DatabaseDagBundleStore } from './DatabaseDagBundleStore';
import { DeploymentStore } from './DeploymentStore';
import { DeployStore } from './DeployStore';
import { EngineStateStore } from './EngineStateStore';
import { EventStore } from './EventStore';
import { IdempotencyStore } from './IdempotencyStore';
import { applyDatabaseMigrations } from './migrations';
import { MonitorStore } from './MonitorStore';
import { IncidentStore } from './IncidentStore';
import { MonitorWatermarkStore } from './MonitorWatermarkStore';
import { OrganizationStore } from './OrganizationStore';
import { WorkspaceStore } from './WorkspaceStore';
import { RoleBindingStore } from './RoleBindingStore';
import { HibernationOverrideStore } from './HibernationOverrideStore';
import { AlertStore } from './AlertStore';
import { DatabaseHistoryStore, HistoryStore } from './HistoryStore';
import { Db } from './util';

/**
 * One store per table family, all bound to the same database connection
 * or to the same transaction. Services and the engine reach tables only
 * through these.
 */
export interface AstroStores {
  readonly organizations: OrganizationStore;
  readonly workspaces: WorkspaceStore;
  readonly clusters: ClusterStore;
  readonly deployments: DeploymentStore;
  readonly events: EventStore;
  readonly idempotency: IdempotencyStore;
  /** The engine's applied state, retry bookkeeping and leases. */
  readonly engineState: EngineStateStore;
  /** Health samples. */
  readonly monitor: MonitorStore;
  /** Keyed incidents, opened and resolved by the monitoring pass. */
  readonly incidents: IncidentStore;
  /** How far the monitoring pass has read each Deployment's finished runs. */
  readonly monitorWatermarks: MonitorWatermarkStore;
  /** Deploys, the code Deployments run, bundle index and pod reports. */
  readonly deploys: DeployStore;
  readonly apiTokens: ApiTokenStore;
  /** Who holds which role on which organization, workspace or Deployment. */
  readonly roleBindings: RoleBindingStore;
  /** Manual hibernation overrides of Deployments. */
  readonly hibernationOverrides: HibernationOverrideStore;
  /** Alert rules and their deliveries. */
  readonly alerts: AlertStore;
  /** Per-Deployment history points (status, heartbeats, runs, workers). */
  readonly history: HistoryStore;
}

function storesOn(db: Db): AstroStores {
  return {
    organizations: new OrganizationStore(db),
    workspaces: new WorkspaceStore(db),
    clusters: new ClusterStore(db),
    deployments: new DeploymentStore(db),
    events: new EventStore(db),
    idempotency: new IdempotencyStore(db),
    engineState: new EngineStateStore(db),
    monitor: new MonitorStore(db),
    incidents: new IncidentStore(db),
    monitorWatermarks: new MonitorWatermarkStore(db),
    deploys: new DeployStore(db),
    apiTokens: new ApiTokenStore(db),
    roleBindings: new RoleBindingStore(db),
    hibernationOverrides: new HibernationOverrideStore(db),
    alerts: new AlertStore(db),
    history: new DatabaseHistoryStore(db),
  };
}

/**
 * The plugin's database: its migrations, and its stores. Used directly,
 * each store call is its own statement; {@link AstroDatabase.transaction}
 * hands out the same stores bound to one transaction.
 */
export class AstroDatabase implements AstroStores {
  readonly organizations: OrganizationStore;
  readonly workspaces: WorkspaceStore;
  readonly clusters: ClusterStore;
  readonly deployments: DeploymentStore;
  readonly events: EventStore;
  readonly idempotency: IdempotencyStore;
  readonly engineState: EngineStateStore;
  readonly monitor: MonitorStore;
  readonly incidents: IncidentStore;
  readonly monitorWatermarks: MonitorWatermarkStore;
  readonly deploys: DeployStore;
  readonly apiTokens: ApiTokenStore;
  readonly roleBindings: RoleBindingStore;
  readonly hibernationOverrides: HibernationOverrideStore;
  readonly alerts: AlertStore;
  readonly history: HistoryStore;
  /** The built-in DAG bundle store, on this database. */
  readonly bundleContents: DatabaseDagBundleStore;

  private constructor(private readonly knex: Knex) {
    const stores = storesOn(knex);
    this.organizations = stores.organizations;
    this.workspaces = stores.workspaces;
    this.clusters = stores.clusters;
    this.deployments = stores.deployments;
    this.events = stores.events;
    this.idempotency = stores.idempotency;
    this.engineState = stores.engineState;
    this.monitor = stores.monitor;
    this.incidents = stores.incidents;
    this.monitorWatermarks = stores.monitorWatermarks;
    this.deploys = stores.deploys;
    this.apiTokens = stores.apiTokens;
    this.roleBindings = stores.roleBindings;
    this.hibernationOverrides = stores.hibernationOverrides;
    this.alerts = stores.alerts;
    this.history = stores.history;
    this.bundleContents = new DatabaseDagBundleStore(knex);
  }

  /** Connects to the plugin's database and brings its schema up to date. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<AstroDatabase> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyDatabaseMigrations(knex);
    }
    return new AstroDatabase(knex);
  }

  /**
   * Runs `fn` in one transaction, with stores bound to it: everything `fn`
   * writes through them is committed when it resolves, and nothing when it
   * throws (the error is rethrown).
   */
  transaction<T>(fn: (tx: AstroStores) => Promise<T>): Promise<T> {
    return this.knex.transaction(trx => fn(storesOn(trx)));
  }
}
