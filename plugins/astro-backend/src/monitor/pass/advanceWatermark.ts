import { MonitorWatermark } from '../../store';
import { ParsedRun } from '../insight/types';
import { DagFailures } from '../incidents/evaluateIncidents';

/** A finished run. */
export type FinishedRun = ParsedRun & {
  state: 'success' | 'failed';
  endDate: string;
};

/**
 * The first watermark of a Deployment: finished runs are read from the
 * start of the failure window, so failures shortly before the monitor
 * first looked still count.
 */
export function initialWatermark(
  now: Date,
  windowMs: number,
): MonitorWatermark {
  return {
    finishedThrough: new Date(now.getTime() - windowMs).toISOString(),
    seenAtThrough: [],
    dags: {},
  };
}

const runKey = (run: ParsedRun) => `${run.dagId}/${run.runId}`;

/**
 * Moves a watermark over the runs read since it (oldest end first): the
 * runs not seen before, and the next watermark, which remembers per DAG the
 * failures inside the window and the state of the last finished run.
 * Runs are read with `end_date >= finishedThrough`, so runs ending at that
 * very instant come again: `seenAtThrough` keeps them from being counted
 * twice.
 */
export function advanceWatermark(
  previous: MonitorWatermark,
  read: ParsedRun[],
  now: Date,
  windowMs: number,
): { next: MonitorWatermark; fresh: FinishedRun[] } {
  const seen = new Set(previous.seenAtThrough);
  const fresh = read
    .filter(
      (run): run is FinishedRun =>
        (run.state === 'success' || run.state === 'failed') &&
        run.endDate !== null &&
        Date.parse(run.endDate) >= Date.parse(previous.finishedThrough),
    )
    .filter(run => !seen.has(runKey(run)))
    .sort((a, b) => Date.parse(a.endDate) - Date.parse(b.endDate));

  const dags: MonitorWatermark['dags'] = {};
  const since = now.getTime() - windowMs;
  for (const [dagId, memory] of Object.entries(previous.dags)) {
    dags[dagId] = {
      ...memory,
      failures: memory.failures.filter(end => Date.parse(end) >= since),
    };
  }
  for (const run of fresh) {
    const memory = dags[run.dagId] ?? { failures: [], lastState: run.state };
    memory.lastState = run.state;
    if (run.state === 'failed') {
      if (Date.parse(run.endDate) >= since) {
        memory.failures.push(run.endDate);
      }
      memory.lastFailedRunId = run.runId;
    }
    dags[run.dagId] = memory;
  }
  // DAGs with nothing left to remember are dropped.
  for (const [dagId, memory] of Object.entries(dags)) {
    if (memory.failures.length === 0 && memory.lastState === 'success') {
      delete dags[dagId];
    }
  }

  const last = fresh[fresh.length - 1];
  const finishedThrough = last ? last.endDate : previous.finishedThrough;
  const atThrough = new Set(
    finishedThrough === previous.finishedThrough ? previous.seenAtThrough : [],
  );
  for (const run of fresh) {
    if (run.endDate === finishedThrough) {
      atThrough.add(runKey(run));
    }
  }
  return {
    next: { finishedThrough, seenAtThrough: [...atThrough], dags },
    fresh,
  };
}

/** The DAGs with failures a watermark remembers, for the evaluator. */
export function dagFailuresOf(
  watermark: MonitorWatermark,
  runUrl: (dagId: string, runId: string) => string | undefined,
): DagFailures[] {
  return Object.entries(watermark.dags)
    .filter(([, memory]) => memory.failures.length > 0)
    .map(([dagId, memory]) => ({
      dagId,
      failures: memory.failures,
      lastState: memory.lastState,
      ...(memory.lastFailedRunId
        ? { lastFailedRunUrl: runUrl(dagId, memory.lastFailedRunId) }
        : {}),
    }));
}
