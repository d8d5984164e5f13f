import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';

/** A DAG as an adapter reads it, before its runs are joined in. */
export type ParsedDag = Omit<
  AstroApiSchemas['AirflowDag'],
  'lastRunState' | 'runs24h'
>;

/** A DAG run as an adapter reads it; `runAfter` orders and windows runs. */
export interface ParsedRun
  extends Omit<AstroApiSchemas['AirflowDagRun'], 'url'> {
  /** When the run was due (Airflow 3 `run_after`, Airflow 2 `execution_date`). */
  runAfter: string | null;
}

export type AirflowDagRunState = AstroApiSchemas['AirflowDagRunState'];
export type ImportError = AstroApiSchemas['AirflowImportError'];
export type Pool = AstroApiSchemas['AirflowPool'];
export type Heartbeats = Omit<
  AstroApiSchemas['AirflowHeartbeats'],
  'fetchedAt'
>;

/**
 * One request to a Deployment's Airflow REST API: resolves with the parsed
 * JSON of a 2xx answer, rejects with an {@link AirflowAnswerError} for
 * any other answer.
 */
export type AirflowCall = (
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
) => Promise<unknown>;

/** Airflow answered with an error status. */
export class AirflowAnswerError extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    /** Airflow's `detail` (or problem title), when it gave one. */
    readonly detail: string | undefined,
  ) {
    super(
      `Airflow answered ${status} to ${request}${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'AirflowAnswerError';
  }
}

/** Most finished runs one monitoring read returns (one request). */
export const FINISHED_RUNS_PAGE = 100;

/**
 * The cheap reads of the monitoring pass, one request each, the same on
 * Airflow 3 (`/api/v2`) and Airflow 2 (`/api/v1`): counts come from
 * `total_entries` of a one-item page.
 */
export interface AirflowMonitorReads {
  /**
   * Runs that finished (success or failed) at or after `since`, oldest
   * first, at most {@link FINISHED_RUNS_PAGE}; `more` when there are more.
   */
  finishedRuns(
    call: AirflowCall,
    since: Date,
  ): Promise<{ runs: ParsedRun[]; more: boolean }>;
  importErrorCount(call: AirflowCall): Promise<number>;
  /** Task instances queued on a Celery queue, across DAGs and runs. */
  queuedTaskCount(call: AirflowCall, queue: string): Promise<number>;
}
