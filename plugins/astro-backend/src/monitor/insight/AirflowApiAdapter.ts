import {
  AirflowCall,
  Heartbeats,
  ImportError,
  ParsedDag,
  ParsedRun,
  Pool,
  AirflowMonitorReads,
} from './types';

/** Most runs read for a summary (10 pages of 100). */
export const MAX_RUNS_READ = 1000;
/** Most DAGs read (50 pages of 100). */
export const MAX_DAGS_READ = 5000;
export const PAGE_SIZE = 100;

/**
 * Reads and changes one Airflow REST API version and maps its answers to
 * the portal's shapes; {@link AirflowV2Adapter} for Airflow 3,
 * {@link AirflowV1Adapter} for Airflow 2.
 */
export interface AirflowApiAdapter {
  readonly api: 'v1' | 'v2';
  /** The monitoring pass's one-request reads. */
  readonly monitor: AirflowMonitorReads;
  listDags(call: AirflowCall): Promise<ParsedDag[]>;
  /** Runs due since `since`, newest first, at most {@link MAX_RUNS_READ}. */
  listRuns(
    call: AirflowCall,
    since: Date,
  ): Promise<{ runs: ParsedRun[]; truncated: boolean }>;
  importErrors(call: AirflowCall): Promise<ImportError[]>;
  pools(call: AirflowCall): Promise<Pool[]>;
  heartbeats(call: AirflowCall): Promise<Heartbeats>;
  setPaused(
    call: AirflowCall,
    dagId: string,
    isPaused: boolean,
  ): Promise<ParsedDag>;
  trigger(
    call: AirflowCall,
    dagId: string,
    input: { conf?: Record<string, unknown>; logicalDate?: string },
  ): Promise<ParsedRun>;
  getRun(call: AirflowCall, dagId: string, runId: string): Promise<ParsedRun>;
  clearRun(call: AirflowCall, dagId: string, runId: string): Promise<ParsedRun>;
  /** The run's page in the Airflow UI under `airflowUrl`. */
  runUrl(airflowUrl: string, dagId: string, runId: string): string;
}

// Readers of Airflow's JSON that tolerate fields a version lacks.

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** An Airflow time as ISO 8601 in UTC (`Z`), or null. */
export function time(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;

export function runState(value: unknown): ParsedRun['state'] {
  return (RUN_STATES as readonly unknown[]).includes(value)
    ? (value as ParsedRun['state'])
    : 'queued';
}

/** Reads pages (a collection under `field`) until `max` items or the end. */
export async function readPages(
  page: (offset: number) => Promise<unknown>,
  field: string,
  max: number,
): Promise<{ items: unknown[]; total: number }> {
  const items: unknown[] = [];
  let total = 0;
  for (let offset = 0; offset < max; offset += PAGE_SIZE) {
    const answer = record(await page(offset));
    const got = list(answer[field]);
    total = count(answer.total_entries);
    items.push(...got);
    if (got.length < PAGE_SIZE || items.length >= total) {
      break;
    }
  }
  return { items, total };
}

export function poolOf(value: unknown): Pool {
  const pool = record(value);
  return {
    name: text(pool.name) ?? '',
    slots: count(pool.slots),
    occupiedSlots: count(pool.occupied_slots),
    runningSlots: count(pool.running_slots),
    queuedSlots: count(pool.queued_slots),
    openSlots: count(pool.open_slots),
  };
}

export function heartbeatOf(
  value: unknown,
  field: string,
): Heartbeats['scheduler'] {
  const component = record(value);
  return {
    status: text(component.status),
    latestHeartbeat: time(component[field]),
  };
}

export function heartbeatsOf(value: unknown): Heartbeats {
  const health = record(value);
  return {
    metadatabase: text(record(health.metadatabase).status),
    scheduler: heartbeatOf(health.scheduler, 'latest_scheduler_heartbeat'),
    triggerer: heartbeatOf(health.triggerer, 'latest_triggerer_heartbeat'),
    dagProcessor:
      health.dag_processor === undefined || health.dag_processor === null
        ? null
        : heartbeatOf(health.dag_processor, 'latest_dag_processor_heartbeat'),
  };
}

export function tagsOf(value: unknown): string[] {
  return list(value)
    .map(tag => text(record(tag).name))
    .filter((name): name is string => name !== null);
}

export function ownersOf(value: unknown): string[] {
  return list(value).filter((o): o is string => typeof o === 'string');
}

export const encode = encodeURIComponent;
