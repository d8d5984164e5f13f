import {
  AirflowApiAdapter,
  MAX_DAGS_READ,
  MAX_RUNS_READ,
  PAGE_SIZE,
  encode,
  heartbeatsOf,
  list,
  ownersOf,
  poolOf,
  readPages,
  record,
  runState,
  tagsOf,
  text,
  time,
} from './AirflowApiAdapter';
import { AirflowCall, ParsedDag, ParsedRun } from './types';
import { airflowMonitorReads } from './AirflowMonitorReads';

const API = '/api/v1';

/** Airflow 2's `ScheduleInterval`: a cron expression, a timedelta, a relativedelta. */
function scheduleOf(value: unknown): string | null {
  const schedule = record(value);
  switch (schedule.__type) {
    case 'CronExpression':
      return text(schedule.value);
    case 'TimeDelta': {
      const seconds =
        Number(schedule.days ?? 0) * 86400 + Number(schedule.seconds ?? 0);
      return `timedelta(seconds=${seconds})`;
    }
    case 'RelativeDelta':
      return 'relativedelta';
    default:
      return null;
  }
}

function dagOf(value: unknown): ParsedDag {
  const dag = record(value);
  return {
    dagId: text(dag.dag_id) ?? '',
    isPaused: dag.is_paused === true,
    schedule:
      scheduleOf(dag.schedule_interval) ?? text(dag.timetable_description),
    owners: ownersOf(dag.owners),
    tags: tagsOf(dag.tags),
    lastParsedAt: time(dag.last_parsed_time),
  };
}

function runOf(value: unknown): ParsedRun {
  const run = record(value);
  const logical = time(run.logical_date) ?? time(run.execution_date);
  return {
    dagId: text(run.dag_id) ?? '',
    runId: text(run.dag_run_id) ?? '',
    state: runState(run.state),
    runType: text(run.run_type) ?? 'manual',
    logicalDate: logical,
    startDate: time(run.start_date),
    endDate: time(run.end_date),
    // Airflow 2 runs a scheduled run once its data interval ends.
    runAfter: time(run.data_interval_end) ?? logical,
  };
}

/**
 * Airflow 2's REST API (`/api/v1`, connexion): `DAG`, `DAGRun` (windowed
 * by `execution_date`, the start of the data interval), `ImportError`,
 * `Pool` and the webserver's `/health`.
 */
export class AirflowV1Adapter implements AirflowApiAdapter {
  readonly api = 'v1' as const;
  readonly monitor = airflowMonitorReads(API, runOf);

  async listDags(call: AirflowCall): Promise<ParsedDag[]> {
    const { items } = await readPages(
      offset =>
        call(
          'GET',
          `${API}/dags?limit=${PAGE_SIZE}&offset=${offset}&order_by=dag_id`,
        ),
      'dags',
      MAX_DAGS_READ,
    );
    return items.map(dagOf);
  }

  async listRuns(call: AirflowCall, since: Date) {
    const { items, total } = await readPages(
      offset =>
        call('POST', `${API}/dags/~/dagRuns/list`, {
          order_by: '-execution_date',
          page_offset: offset,
          page_limit: PAGE_SIZE,
          execution_date_gte: since.toISOString(),
        }),
      'dag_runs',
      MAX_RUNS_READ,
    );
    return { runs: items.map(runOf), truncated: total > items.length };
  }

  async importErrors(call: AirflowCall) {
    const { items } = await readPages(
      offset =>
        call('GET', `${API}/importErrors?limit=${PAGE_SIZE}&offset=${offset}`),
      'import_errors',
      MAX_DAGS_READ,
    );
    return items.map(value => {
      const error = record(value);
      return {
        filename: text(error.filename) ?? '',
        stackTrace: text(error.stack_trace) ?? '',
        timestamp: time(error.timestamp),
      };
    });
  }

  async pools(call: AirflowCall) {
    const answer = record(await call('GET', `${API}/pools?limit=${PAGE_SIZE}`));
    return list(answer.pools).map(poolOf);
  }

  async heartbeats(call: AirflowCall) {
    return heartbeatsOf(await call('GET', '/health'));
  }

  async setPaused(call: AirflowCall, dagId: string, isPaused: boolean) {
    return dagOf(
      await call(
        'PATCH',
        `${API}/dags/${encode(dagId)}?update_mask=is_paused`,
        { is_paused: isPaused },
      ),
    );
  }

  async trigger(
    call: AirflowCall,
    dagId: string,
    input: { conf?: Record<string, unknown>; logicalDate?: string },
  ) {
    return runOf(
      await call('POST', `${API}/dags/${encode(dagId)}/dagRuns`, {
        conf: input.conf ?? {},
        ...(input.logicalDate ? { logical_date: input.logicalDate } : {}),
      }),
    );
  }

  async getRun(call: AirflowCall, dagId: string, runId: string) {
    return runOf(
      await call(
        'GET',
        `${API}/dags/${encode(dagId)}/dagRuns/${encode(runId)}`,
      ),
    );
  }

  async clearRun(call: AirflowCall, dagId: string, runId: string) {
    return runOf(
      await call(
        'POST',
        `${API}/dags/${encode(dagId)}/dagRuns/${encode(runId)}/clear`,
        { dry_run: false },
      ),
    );
  }

  /** Airflow 2's grid view of the run. */
  runUrl(airflowUrl: string, dagId: string, runId: string): string {
    return `${airflowUrl.replace(/\/+$/, '')}/dags/${encode(
      dagId,
    )}/grid?dag_run_id=${encode(runId)}`;
  }
}
