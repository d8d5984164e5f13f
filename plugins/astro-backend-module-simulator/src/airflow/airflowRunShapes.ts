/**
 * DAG runs, task instances and pools in the JSON of Airflow's REST API:
 * `DAGRunResponse`, `TaskInstanceResponse` and `PoolResponse` of Airflow
 * 3's `/api/v2` (matched against `v2-rest-api-generated.yaml` of
 * apache/airflow, 3.0/3.1), `DAGRun`, `TaskInstanceReference` and `Pool` of
 * Airflow 2's `/api/v1` (matched against `api_connexion/openapi/v1.yaml`,
 * 2.10). The simulator models one task per run, named
 * {@link SIMULATED_TASK_ID}, whose state is the run's.
 */
import { AirflowRelease } from './AirflowDags';
import { RunView } from './AirflowRuns';

/** The one task each simulated run has. */
export const SIMULATED_TASK_ID = 'simulated_task';

/** Airflow's default pool and its default size. */
export const DEFAULT_POOL = 'default_pool';
export const DEFAULT_POOL_SLOTS = 128;

/** Python's `isoformat()` with microseconds; `Z` on Airflow 3 (pydantic). */
export function airflowTime(
  date: Date | null,
  release: AirflowRelease,
): string | null {
  if (!date) {
    return null;
  }
  const text = date.toISOString().replace(/\.(\d{3})Z$/, '.$1000');
  return release.major >= 3 ? `${text}Z` : `${text}+00:00`;
}

function durationOf(run: RunView): number | null {
  return run.startDate && run.endDate
    ? (run.endDate.getTime() - run.startDate.getTime()) / 1000
    : null;
}

/** One run as `DAGRunResponse` (v2) or `DAGRun` (v1). */
export function runJson(
  run: RunView,
  release: AirflowRelease,
  displayName: string,
): Record<string, unknown> {
  const t = (date: Date | null) => airflowTime(date, release);
  const { row } = run;
  const decided = run.startDate ?? row.queuedAt;
  if (release.major >= 3) {
    return {
      dag_run_id: row.runId,
      dag_id: row.dagId,
      logical_date: t(row.logicalDate),
      queued_at: t(row.queuedAt),
      start_date: t(run.startDate),
      end_date: t(run.endDate),
      duration: durationOf(run),
      data_interval_start: t(row.dataIntervalStart),
      data_interval_end: t(row.dataIntervalEnd),
      run_after: t(row.runAfter),
      last_scheduling_decision: t(decided),
      run_type: row.runType,
      state: run.state,
      triggered_by: row.triggeredBy,
      ...(release.minor >= 1 ? { triggering_user_name: null } : {}),
      conf: row.conf,
      note: row.note,
      dag_versions: [],
      bundle_version: null,
      dag_display_name: displayName,
    };
  }
  return {
    dag_run_id: row.runId,
    dag_id: row.dagId,
    logical_date: t(row.dataIntervalStart ?? row.runAfter),
    execution_date: t(row.dataIntervalStart ?? row.runAfter),
    start_date: t(run.startDate),
    end_date: t(run.endDate),
    data_interval_start: t(row.dataIntervalStart),
    data_interval_end: t(row.dataIntervalEnd),
    last_scheduling_decision: t(decided),
    run_type: row.runType,
    state: run.state,
    external_trigger: row.runType === 'manual',
    conf: row.conf,
    note: row.note,
  };
}

/** The simulated task of a run as `TaskInstanceResponse` (v2) or a reference (v1). */
export function taskInstanceJson(
  run: RunView,
  release: AirflowRelease,
  displayName: string,
): Record<string, unknown> {
  const t = (date: Date | null) => airflowTime(date, release);
  const { row } = run;
  if (release.major < 3) {
    return {
      task_id: SIMULATED_TASK_ID,
      dag_id: row.dagId,
      execution_date: t(row.dataIntervalStart ?? row.runAfter),
      dag_run_id: row.runId,
    };
  }
  return {
    id: `${row.id.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    task_id: SIMULATED_TASK_ID,
    dag_id: row.dagId,
    dag_run_id: row.runId,
    map_index: -1,
    logical_date: t(row.logicalDate),
    run_after: t(row.runAfter),
    start_date: t(run.startDate),
    end_date: t(run.endDate),
    duration: durationOf(run),
    state: run.state,
    try_number: row.clears + 1,
    max_tries: row.clears,
    task_display_name: SIMULATED_TASK_ID,
    dag_display_name: displayName,
    hostname: null,
    unixname: null,
    pool: DEFAULT_POOL,
    pool_slots: 1,
    queue: 'default',
    priority_weight: 1,
    operator: 'EmptyOperator',
    ...(release.minor >= 1 ? { operator_name: 'EmptyOperator' } : {}),
    queued_when: t(row.queuedAt),
    scheduled_when: t(row.queuedAt),
    pid: null,
    executor: null,
    executor_config: '{}',
    note: null,
    rendered_map_index: null,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    dag_version: null,
  };
}

/** `default_pool` as `PoolResponse` (v2) or `Pool` (v1): one slot per active run. */
export function defaultPoolJson(runs: RunView[]): Record<string, unknown> {
  const running = runs.filter(run => run.state === 'running').length;
  const queued = runs.filter(run => run.state === 'queued').length;
  const occupied = running + queued;
  return {
    name: DEFAULT_POOL,
    slots: DEFAULT_POOL_SLOTS,
    description: 'Default pool',
    include_deferred: false,
    occupied_slots: occupied,
    running_slots: running,
    queued_slots: queued,
    scheduled_slots: 0,
    open_slots: Math.max(0, DEFAULT_POOL_SLOTS - occupied),
    deferred_slots: 0,
  };
}
