import { Db, toIso } from './util';

/** What was applied of one object, to detect changes and drift. */
export interface AppliedObject {
  /** Content hash of the rendered object. */
  hash: string;
  /** Hash of the fields our field manager owned after the apply. */
  signature: string;
}

/** The engine's record of one Deployment. */
export interface EngineState {
  deploymentId: string;
  appliedHash?: string;
  appliedGeneration: number;
  appliedObjects: Record<string, AppliedObject>;
  everHealthy: boolean;
  attempts: number;
  nextAttemptAt?: Date;
  /** Why the last pass failed; `unreachable` when the cluster could not be reached. */
  lastError?: EngineFailure;
  lastReconciledAt?: Date;
  /** What the metadata database is migrated to; absent until a migration Job succeeded. */
  databaseMigration?: DatabaseMigrationState;
}

/**
 * The Airflow release a Deployment's metadata database is migrated to, and
 * a migration towards another release that failed and is held.
 */
export interface DatabaseMigrationState {
  /** The release whose migration Job last succeeded. */
  airflowVersion: string;
  /** The image that Job ran. */
  image: string;
  /** A failed upgrade or downgrade, held (old components keep running) until a retry or a revert. */
  failure?: HeldMigrationFailure;
}

/** A migration Job that failed while moving to another release. */
export interface HeldMigrationFailure {
  /** The release the Job migrated to. */
  targetVersion: string;
  jobName: string;
  /** The Job's Failed condition (reason and message). */
  reason: string;
  /** The last lines of the Job pod's log, credentials redacted. */
  logTail: string;
  /** ISO time the failure was seen. */
  failedAt: string;
  /** A user asked to run the Job again. */
  retryRequested?: boolean;
}

/** A failed pass, as the status shows it. */
export interface EngineFailure {
  message: string;
  unreachable: boolean;
}

interface StateRow {
  deployment_id: string;
  applied_hash: string | null;
  applied_generation: number;
  applied_objects: string;
  ever_healthy: boolean | number;
  lease_owner: string | null;
  lease_expires_at: Date | string | number | null;
  attempts: number;
  next_attempt_at: Date | string | number | null;
  last_error: string | null;
  last_reconciled_at: Date | string | number | null;
  database_migration: string | null;
}

const TABLE = 'deployment_reconciliation';

function toDate(value: Date | string | number | null): Date | undefined {
  return value === null || value === undefined
    ? undefined
    : new Date(toIso(value));
}

/**
 * The engine's table: applied state per Deployment, retry bookkeeping, and
 * leases so that backends sharing a database never reconcile the same
 * Deployment at once.
 */
export class EngineStateStore {
  constructor(private readonly db: Db) {}

  /**
   * Makes the Deployment's row. A Deployment deleted meanwhile (its row in
   * `deployments` gone, a reconcile still queued) gets none: the foreign
   * key refuses it, and the updates that follow change nothing.
   */
  private async ensureRow(deploymentId: string): Promise<void> {
    try {
      await this.db(TABLE)
        .insert({ deployment_id: deploymentId })
        .onConflict('deployment_id')
        .ignore();
    } catch (error) {
      const exists = await this.db('deployments')
        .where('id', deploymentId)
        .first('id');
      if (exists) {
        throw error;
      }
    }
  }

  /**
   * Takes the lease of a Deployment for `ttlMs` unless another owner holds
   * an unexpired one. The conditional update is atomic on SQLite and
   * PostgreSQL alike.
   */
  async tryAcquireLease(
    deploymentId: string,
    owner: string,
    now: Date,
    ttlMs: number,
  ): Promise<boolean> {
    const take = () =>
      this.db(TABLE)
        .where('deployment_id', deploymentId)
        .andWhere(query =>
          query
            .whereNull('lease_owner')
            .orWhere('lease_owner', owner)
            .orWhere('lease_expires_at', '<', now),
        )
        .update({
          lease_owner: owner,
          lease_expires_at: new Date(now.getTime() + ttlMs),
        });
    if ((await take()) === 1) {
      return true;
    }
    // Held by another owner, or no row yet.
    await this.ensureRow(deploymentId);
    return (await take()) === 1;
  }

  /**
   * Extends a lease `owner` still holds to `ttlMs` from `now`. False when
   * the owner no longer holds it (another owner took it over after it
   * expired): the owner must stop working on the Deployment.
   */
  async renewLease(
    deploymentId: string,
    owner: string,
    now: Date,
    ttlMs: number,
  ): Promise<boolean> {
    const updated = await this.db(TABLE)
      .where({ deployment_id: deploymentId, lease_owner: owner })
      .update({ lease_expires_at: new Date(now.getTime() + ttlMs) });
    return updated === 1;
  }

  async releaseLease(deploymentId: string, owner: string): Promise<void> {
    await this.db(TABLE)
      .where({ deployment_id: deploymentId, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  /** Hands back every lease an owner holds (it stops). */
  async releaseLeasesOf(owner: string): Promise<number> {
    return this.db(TABLE)
      .where({ lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  /** The leases held now, by Deployment id (diagnostics, tests). */
  async leases(): Promise<Array<{ deploymentId: string; owner: string }>> {
    const rows: Array<{ deployment_id: string; lease_owner: string }> =
      await this.db(TABLE)
        .whereNotNull('lease_owner')
        .select('deployment_id', 'lease_owner');
    return rows.map(row => ({
      deploymentId: row.deployment_id,
      owner: row.lease_owner,
    }));
  }

  async get(deploymentId: string): Promise<EngineState> {
    const read = (): Promise<StateRow | undefined> =>
      this.db(TABLE).where('deployment_id', deploymentId).first();
    let row = await read();
    if (!row) {
      await this.ensureRow(deploymentId);
      row = await read();
    }
    if (!row) {
      // The foreign key refused the row.
      throw new Error(`Deployment ${deploymentId} is gone`);
    }
    return {
      deploymentId,
      ...(row.applied_hash ? { appliedHash: row.applied_hash } : {}),
      appliedGeneration: row.applied_generation,
      appliedObjects: JSON.parse(row.applied_objects),
      everHealthy: Boolean(row.ever_healthy),
      attempts: row.attempts,
      nextAttemptAt: toDate(row.next_attempt_at),
      ...(row.last_error ? { lastError: JSON.parse(row.last_error) } : {}),
      lastReconciledAt: toDate(row.last_reconciled_at),
      ...(row.database_migration
        ? { databaseMigration: JSON.parse(row.database_migration) }
        : {}),
    };
  }

  /** Records what the metadata database is migrated to (and a held failure). */
  async recordDatabaseMigration(
    deploymentId: string,
    migration: DatabaseMigrationState,
  ): Promise<void> {
    await this.ensureRow(deploymentId);
    await this.db(TABLE)
      .where('deployment_id', deploymentId)
      .update({ database_migration: JSON.stringify(migration) });
  }

  /**
   * Asks the engine to run a held, failed migration Job again; `false`
   * when no migration failure is held.
   */
  async requestMigrationRetry(deploymentId: string): Promise<boolean> {
    const state = await this.get(deploymentId);
    const migration = state.databaseMigration;
    if (!migration?.failure) {
      return false;
    }
    await this.recordDatabaseMigration(deploymentId, {
      ...migration,
      failure: { ...migration.failure, retryRequested: true },
    });
    return true;
  }

  /** Records objects applied so far (a pass may stop at a gate). */
  async recordObjects(
    deploymentId: string,
    objects: Record<string, AppliedObject>,
  ): Promise<void> {
    await this.db(TABLE)
      .where('deployment_id', deploymentId)
      .update({ applied_objects: JSON.stringify(objects) });
  }

  /** Records a pass that applied everything of a generation. */
  async recordConverged(
    deploymentId: string,
    converged: {
      hash: string;
      generation: number;
      objects: Record<string, AppliedObject>;
    },
    now: Date,
  ): Promise<void> {
    await this.db(TABLE)
      .where('deployment_id', deploymentId)
      .update({
        applied_hash: converged.hash,
        applied_generation: converged.generation,
        applied_objects: JSON.stringify(converged.objects),
        attempts: 0,
        next_attempt_at: null,
        last_error: null,
        last_reconciled_at: now,
      });
  }

  /** Records a failed pass and when to try again. */
  async recordFailure(
    deploymentId: string,
    failure: EngineFailure & { attempts: number; nextAttemptAt: Date },
  ): Promise<void> {
    await this.db(TABLE)
      .where('deployment_id', deploymentId)
      .update({
        attempts: failure.attempts,
        next_attempt_at: failure.nextAttemptAt,
        last_error: JSON.stringify({
          message: failure.message,
          unreachable: failure.unreachable,
        }),
      });
  }

  /** Clears a previous failure once a pass made progress. */
  async clearFailure(deploymentId: string): Promise<void> {
    await this.db(TABLE)
      .where('deployment_id', deploymentId)
      .update({ attempts: 0, next_attempt_at: null, last_error: null });
  }

  async markEverHealthy(deploymentId: string): Promise<void> {
    await this.db(TABLE)
      .where('deployment_id', deploymentId)
      .update({ ever_healthy: true });
  }
}
