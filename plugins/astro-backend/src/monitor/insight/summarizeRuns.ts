import { AirflowDagRunState, ParsedRun } from './types';

/** Runs by state. */
export interface RunCounts {
  queued: number;
  running: number;
  success: number;
  failed: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Failed runs a summary lists. */
export const LAST_FAILURES = 10;

export function emptyCounts(): RunCounts {
  return { queued: 0, running: 0, success: 0, failed: 0 };
}

function dueAt(run: ParsedRun): number {
  const at = run.runAfter ?? run.logicalDate ?? run.startDate;
  return at ? Date.parse(at) : Number.NaN;
}

/**
 * Counts runs (newest first, all due in the last 7 days) over the last
 * 24 hours and 7 days, per DAG over 24 hours, the latest state of each
 * DAG, and the newest failures.
 */
export function summarizeRuns(runs: ParsedRun[], now: Date) {
  const dayAgo = now.getTime() - DAY_MS;
  const last24h = emptyCounts();
  const last7d = emptyCounts();
  const perDag = new Map<string, RunCounts>();
  const lastState = new Map<string, AirflowDagRunState>();
  const failures: ParsedRun[] = [];
  const ordered = [...runs].sort((a, b) => dueAt(b) - dueAt(a));
  for (const run of ordered) {
    last7d[run.state] += 1;
    if (!lastState.has(run.dagId)) {
      lastState.set(run.dagId, run.state);
    }
    if (dueAt(run) >= dayAgo) {
      last24h[run.state] += 1;
      let counts = perDag.get(run.dagId);
      if (!counts) {
        counts = emptyCounts();
        perDag.set(run.dagId, counts);
      }
      counts[run.state] += 1;
    }
    if (run.state === 'failed' && failures.length < LAST_FAILURES) {
      failures.push(run);
    }
  }
  return { last24h, last7d, perDag, lastState, failures };
}
