import { count, record, list } from './AirflowApiAdapter';
import { AirflowMonitorReads, FINISHED_RUNS_PAGE, ParsedRun } from './types';

/** The monitoring reads under an API prefix, with that version's run parser. */
export function airflowMonitorReads(
  api: '/api/v1' | '/api/v2',
  runOf: (value: unknown) => ParsedRun,
): AirflowMonitorReads {
  return {
    async finishedRuns(call, since) {
      const answer = record(
        await call('POST', `${api}/dags/~/dagRuns/list`, {
          order_by: 'end_date',
          page_offset: 0,
          page_limit: FINISHED_RUNS_PAGE,
          states: ['success', 'failed'],
          end_date_gte: since.toISOString(),
        }),
      );
      const runs = list(answer.dag_runs).map(runOf);
      return { runs, more: count(answer.total_entries) > runs.length };
    },
    async importErrorCount(call) {
      const answer = record(await call('GET', `${api}/importErrors?limit=1`));
      return count(answer.total_entries);
    },
    async queuedTaskCount(call, queue) {
      const answer = record(
        await call(
          'GET',
          `${api}/dags/~/dagRuns/~/taskInstances?state=queued&queue=${encodeURIComponent(
            queue,
          )}&limit=1`,
        ),
      );
      return count(answer.total_entries);
    },
  };
}
