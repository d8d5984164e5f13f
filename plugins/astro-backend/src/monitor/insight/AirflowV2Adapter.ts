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

const API = '/api/v2';

function dagOf(value: unknown): ParsedDag {
  const dag = record(value);
  return {
    dagId: text(dag.dag_id) ?? '',
    isPaused: dag.is_paused === true,
    schedule: text(dag.timetable_summary),
    owners: ownersOf(dag.owners),
    tags: tagsOf(dag.tags),
    lastParsedAt: time(dag.last_parsed_time),
  };
}

function runOf(value: unknown): ParsedRun {
  const run = record(value);
  return {
    dagId: text(run.dag_id) ?? '',
    runId: text(run.dag_run_id) ?? '',
    state: runState(run.state),
    runType: text(run.run_type) ?? 'manual',
    logicalDate: time(run.logical_date),
    startDate: time(run.start_date),
    endDate: time(run.end_date),
    runAfter: time(run.run_after) ?? time(run.queued_at),
  };
}

/**
 * Airflow 3's REST API (`/api/v2`, FastAPI): `DAGResponse`,
 * `DAGRunResponse` (windowed by `run_after`), `ImportErrorResponse`,
 * `PoolResponse` and `/api/v2/monitor/health`.
 */
export class AirflowV2Adapter implements AirflowApiAdapter {
  readonly api = 'v2' as const;
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
          order_by: '-run_after',
          page_offset: offset,
          page_limit: PAGE_SIZE,
          run_after_gte: since.toISOString(),
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
    return heartbeatsOf(await call('GET', `${API}/monitor/health`));
  }

  async setPaused(call: AirflowCall, dagId: string, isPaused: boolean) {
    return dagOf(
      await call('PATCH', `${API}/dags/${encode(dagId)}`, {
        is_paused: isPaused,
      }),
    );
  }

  async trigger(
    call: AirflowCall,
    dagId: string,
    input: { conf?: Record<string, unknown>; logicalDate?: string },
  ) {
    return runOf(
      await call('POST', `${API}/dags/${encode(dagId)}/dagRuns`, {
        logical_date: input.logicalDate ?? null,
        conf: input.conf ?? {},
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
        { dry_run: false, only_failed: true },
      ),
    );
  }

  /** Airflow 3's UI: `/dags/{dag_id}/runs/{run_id}`. */
  runUrl(airflowUrl: string, dagId: string, runId: string): string {
    return `${airflowUrl.replace(/\/+$/, '')}/dags/${encode(
      dagId,
    )}/runs/${encode(runId)}`;
  }
}
