import {
  DeploymentHistoryPoint,
  DeploymentStatus,
} from '@airflow-portal/plugin-astro-common';
import { Db, toIso } from './util';

const TABLE = 'deployment_history';

/** What one monitoring pass observed of a Deployment, for its bucket. */
export interface HistoryObservation {
  bucketStart: Date;
  status: DeploymentStatus;
  /** Seconds since the latest heartbeats; absent: not read or none. */
  heartbeatAgeSeconds: {
    scheduler?: number;
    triggerer?: number;
    dagProcessor?: number;
  };
  /** Summed over worker queues; absent when the watch caches tell none. */
  workers?: { desired: number; ready: number };
}

/** Finished DAG runs of one bucket. */
export interface HistoryRunCounts {
  bucketStart: Date;
  success: number;
  failed: number;
}

/**
 * Per-Deployment history points, one per bucket: passes merge their
 * observations into a bucket, finished runs add to its counts.
 */
export interface HistoryStore {
  /**
   * Merges an observation into its bucket: one more observation, the
   * status and workers replaced, the oldest heartbeat ages kept.
   */
  recordObservation(
    deploymentId: string,
    observation: HistoryObservation,
    now: Date,
  ): Promise<void>;
  /** Adds finished runs to their buckets' counts. */
  addRuns(
    deploymentId: string,
    counts: HistoryRunCounts[],
    now: Date,
  ): Promise<void>;
  /** Points with `since <= bucketStart < until`, oldest first. */
  range(
    deploymentId: string,
    since: Date,
    until: Date,
  ): Promise<DeploymentHistoryPoint[]>;
  /** Deletes the points of buckets that started before `before`. */
  deleteBefore(before: Date): Promise<number>;
}

interface HistoryRow {
  deployment_id: string;
  bucket_start: Date | string | number;
  observations: number | string;
  healthy_observations: number | string;
  status: DeploymentStatus | null;
  scheduler_heartbeat_age_s: number | string | null;
  triggerer_heartbeat_age_s: number | string | null;
  dag_processor_heartbeat_age_s: number | string | null;
  dag_runs_success: number | string;
  dag_runs_failed: number | string;
  workers_desired: number | string | null;
  workers_ready: number | string | null;
}

const HEARTBEAT_COLUMNS = {
  scheduler: 'scheduler_heartbeat_age_s',
  triggerer: 'triggerer_heartbeat_age_s',
  dagProcessor: 'dag_processor_heartbeat_age_s',
} as const;

function optional<K extends string>(
  key: K,
  value: number | string | null,
): { [P in K]?: number } {
  return (value === null ? {} : { [key]: Number(value) }) as {
    [P in K]?: number;
  };
}

/** The knex implementation, on SQLite and PostgreSQL alike. */
export class DatabaseHistoryStore implements HistoryStore {
  constructor(private readonly db: Db) {}

  async recordObservation(
    deploymentId: string,
    observation: HistoryObservation,
    now: Date,
  ): Promise<void> {
    const ages = observation.heartbeatAgeSeconds;
    const row = {
      deployment_id: deploymentId,
      bucket_start: observation.bucketStart,
      observations: 1,
      healthy_observations: observation.status === 'HEALTHY' ? 1 : 0,
      status: observation.status,
      scheduler_heartbeat_age_s: wholeSeconds(ages.scheduler),
      triggerer_heartbeat_age_s: wholeSeconds(ages.triggerer),
      dag_processor_heartbeat_age_s: wholeSeconds(ages.dagProcessor),
      dag_runs_success: 0,
      dag_runs_failed: 0,
      workers_desired: observation.workers?.desired ?? null,
      workers_ready: observation.workers?.ready ?? null,
      updated_at: now,
    };
    const raw = (sql: string) => this.db.raw(sql);
    // The oldest age wins; a NULL (not read this time) keeps the stored one.
    const oldest = (column: string) =>
      raw(
        `CASE WHEN ${TABLE}.${column} IS NULL OR excluded.${column} > ${TABLE}.${column} THEN excluded.${column} ELSE ${TABLE}.${column} END`,
      );
    await this.db(TABLE)
      .insert(row)
      .onConflict(['deployment_id', 'bucket_start'])
      .merge({
        observations: raw(`${TABLE}.observations + 1`),
        healthy_observations: raw(
          `${TABLE}.healthy_observations + excluded.healthy_observations`,
        ),
        status: raw('excluded.status'),
        ...Object.fromEntries(
          Object.values(HEARTBEAT_COLUMNS).map(column => [
            column,
            oldest(column),
          ]),
        ),
        workers_desired: raw('excluded.workers_desired'),
        workers_ready: raw('excluded.workers_ready'),
        updated_at: raw('excluded.updated_at'),
      });
  }

  async addRuns(
    deploymentId: string,
    counts: HistoryRunCounts[],
    now: Date,
  ): Promise<void> {
    const raw = (sql: string) => this.db.raw(sql);
    for (const count of counts) {
      await this.db(TABLE)
        .insert({
          deployment_id: deploymentId,
          bucket_start: count.bucketStart,
          observations: 0,
          healthy_observations: 0,
          status: null,
          dag_runs_success: count.success,
          dag_runs_failed: count.failed,
          updated_at: now,
        })
        .onConflict(['deployment_id', 'bucket_start'])
        .merge({
          dag_runs_success: raw(
            `${TABLE}.dag_runs_success + excluded.dag_runs_success`,
          ),
          dag_runs_failed: raw(
            `${TABLE}.dag_runs_failed + excluded.dag_runs_failed`,
          ),
          updated_at: raw('excluded.updated_at'),
        });
    }
  }

  async range(
    deploymentId: string,
    since: Date,
    until: Date,
  ): Promise<DeploymentHistoryPoint[]> {
    const rows = await this.db<HistoryRow>(TABLE)
      .where({ deployment_id: deploymentId })
      .where('bucket_start', '>=', since)
      .where('bucket_start', '<', until)
      .orderBy('bucket_start', 'asc');
    return rows.map(toPoint);
  }

  async deleteBefore(before: Date): Promise<number> {
    return this.db(TABLE).where('bucket_start', '<', before).delete();
  }
}

function wholeSeconds(value: number | undefined): number | null {
  return value === undefined ? null : Math.max(0, Math.round(value));
}

function toPoint(row: HistoryRow): DeploymentHistoryPoint {
  return {
    bucketStart: toIso(row.bucket_start),
    ...(row.status ? { status: row.status } : {}),
    observations: Number(row.observations),
    healthyObservations: Number(row.healthy_observations),
    ...optional('schedulerHeartbeatAgeSeconds', row.scheduler_heartbeat_age_s),
    ...optional('triggererHeartbeatAgeSeconds', row.triggerer_heartbeat_age_s),
    ...optional(
      'dagProcessorHeartbeatAgeSeconds',
      row.dag_processor_heartbeat_age_s,
    ),
    dagRunsSuccess: Number(row.dag_runs_success),
    dagRunsFailed: Number(row.dag_runs_failed),
    ...optional('workersDesired', row.workers_desired),
    ...optional('workersReady', row.workers_ready),
  };
}
