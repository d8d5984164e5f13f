import { Db } from './util';

/** What the monitoring pass remembers of a DAG's finished runs. */
export interface DagRunMemory {
  /** End times of the failed runs inside the failure window, oldest first. */
  failures: string[];
  /** State of the last finished run. */
  lastState: 'success' | 'failed';
  /** The last failed run, for links. */
  lastFailedRunId?: string;
}

/** How far the monitoring pass has read a Deployment's finished DAG runs. */
export interface MonitorWatermark {
  /** Finished runs are read from this instant on (end date, inclusive). */
  finishedThrough: string;
  /** Runs (`dagId/runId`) ending exactly at `finishedThrough`, already seen. */
  seenAtThrough: string[];
  dags: Record<string, DagRunMemory>;
}

interface WatermarkRow {
  deployment_id: string;
  revision: number | string;
  state: string;
}

/**
 * The monitoring pass's watermarks, one per Deployment. A watermark moves
 * only by compare-and-set on its revision: of two passes that read the same
 * runs, one advances it (and announces the runs), the other learns it lost.
 */
export class MonitorWatermarkStore {
  constructor(private readonly db: Db) {}

  async get(
    deploymentId: string,
  ): Promise<{ revision: number; watermark: MonitorWatermark } | undefined> {
    const row = await this.db<WatermarkRow>('monitor_watermarks')
      .where({ deployment_id: deploymentId })
      .first();
    return row
      ? { revision: Number(row.revision), watermark: JSON.parse(row.state) }
      : undefined;
  }

  /**
   * Moves a watermark from `revision` (`undefined`: none yet) to `next`;
   * false when another pass moved it first.
   */
  async advance(
    deploymentId: string,
    revision: number | undefined,
    next: MonitorWatermark,
    now: Date,
  ): Promise<boolean> {
    const state = JSON.stringify(next);
    if (revision === undefined) {
      const inserted = await this.db('monitor_watermarks')
        .insert({
          deployment_id: deploymentId,
          revision: 1,
          state,
          updated_at: now,
        })
        .onConflict('deployment_id')
        .ignore()
        .returning('deployment_id');
      return inserted.length === 1;
    }
    const updated = await this.db('monitor_watermarks')
      .where({ deployment_id: deploymentId, revision })
      .update({ revision: revision + 1, state, updated_at: now });
    return updated === 1;
  }
}
