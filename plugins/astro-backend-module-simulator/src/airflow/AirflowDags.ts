/**
 * The simulated Airflow's DAGs and import errors, served behind the
 * service proxy in the shapes of Airflow's REST API: `/api/v2/dags` and
 * `/api/v2/importErrors` (Airflow 3, FastAPI), `/api/v1/dags` and
 * `/api/v1/importErrors` (Airflow 2, connexion).
 *
 * The DAGs come from the bundle the DAG-parsing pods serve (the
 * dag-processor on Airflow 3; on Airflow 2 the scheduler unless a
 * standalone dag-processor runs). Like Airflow's metadata database, the
 * namespace keeps what was parsed last: DAGs stay listed while no parsing
 * pod runs, a DAG missing from a newer bundle becomes stale (hidden unless
 * asked for), and a DAG's paused state is set once, when it first appears.
 */
import { createHmac } from 'node:crypto';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import { isPodReady } from '../controllers/context';
import { DAG_SYNC_CONTAINER, DagSync, ServedBundle } from '../dagsync/DagSync';
import { resolveContainerEnv } from '../dagsync/containerEnv';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { arr, at, isRecord, labelsOf } from '../store/objects';
import { DagDefinition, parseDagFolder, ParsedDagFolder } from './dagFiles';

const POD = ResourceCatalog.kind('Pod');

/** Airflow's DAGs folder in the pods (the DAG sync's `current` symlink). */
export const DAGS_FOLDER = '/opt/airflow/dags/current';
/** The name of Airflow 3's bundle of the DAGs folder. */
const BUNDLE_NAME = 'dags-folder';
/** Airflow's defaults for DAGs that do not set them. */
const DEFAULT_MAX_ACTIVE_TASKS = 16;
const DEFAULT_MAX_ACTIVE_RUNS = 16;
const DEFAULT_OWNER = 'airflow';
const PAUSED_AT_CREATION = 'AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION';
const MAXIMUM_PAGE_LIMIT = 100;

/** The simulated Airflow's version, as its API reports it. */
export interface AirflowRelease {
  major: number;
  minor: number;
}

/** An answer of the simulated Airflow API. */
export interface AirflowAnswer {
  status: number;
  body: unknown;
}

interface DagRow {
  definition: DagDefinition;
  isPaused: boolean;
  stale: boolean;
  lastParsed: Date;
}

interface ImportErrorRow {
  id: number;
  relativeFileloc: string;
  stackTrace: string;
  timestamp: Date;
}

interface NamespaceTable {
  /** Version and Airflow major the rows were parsed from. */
  parsedFrom?: string;
  rows: Map<string, DagRow>;
  errors: Map<string, ImportErrorRow>;
  nextErrorId: number;
}

class QueryError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

/** Python's `isoformat()` of an aware UTC time, with microseconds. */
function isoMicros(date: Date, zulu: boolean): string {
  const text = date.toISOString().replace(/\.(\d{3})Z$/, '.$1000');
  return zulu ? `${text}Z` : `${text}+00:00`;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) {
    return undefined;
  }
  const lower = value.trim().toLowerCase();
  if (['t', 'true', '1', 'yes', 'on'].includes(lower)) {
    return true;
  }
  if (['f', 'false', '0', 'no', 'off'].includes(lower)) {
    return false;
  }
  return undefined;
}

function compareKeys(x: string | number, y: string | number): number {
  if (x < y) {
    return -1;
  }
  return x > y ? 1 : 0;
}

/** SQL `ILIKE '%pattern%'`, with `%` and `_` wildcards, as a predicate. */
function likePattern(pattern: string): (value: string) => boolean {
  const wildcards: Record<string, string> = { '%': '.*', _: '.' };
  const source = [...pattern]
    .map(char => wildcards[char] ?? char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  const regex = new RegExp(source, 'is');
  return value => regex.test(value);
}

/** Holds the simulated DAG tables of all namespaces. */
export class AirflowDags {
  private readonly tables = new Map<string, NamespaceTable>();
  private readonly parses = new Map<string, ParsedDagFolder>();
  private readonly unsubscribe: () => void;
  private readonly parsedListeners = new Set<(namespace: string) => void>();

  constructor(private readonly deps: { store: ObjectStore; dagSync: DagSync }) {
    this.unsubscribe = deps.store.subscribe(event => this.observe(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  /**
   * Calls `listener` each time a namespace's DAGs were (re)parsed from a
   * newer bundle, e.g. for the scheduler to learn of new DAGs at once.
   */
  onParsed(listener: (namespace: string) => void): () => void {
    this.parsedListeners.add(listener);
    return () => this.parsedListeners.delete(listener);
  }

  /** Forgets every namespace's DAGs (the simulator was reset). */
  reset(): void {
    this.tables.clear();
    this.parses.clear();
  }

  /** `GET /api/v2/dags` or `/api/v1/dags`. */
  listDags(
    namespace: string,
    release: AirflowRelease,
    query: URLSearchParams,
  ): AirflowAnswer {
    try {
      const v3 = release.major >= 3;
      const table = this.refresh(namespace, release);
      const { limit, offset } = this.paging(query, v3 ? 50 : 100);
      const includeStale = v3
        ? parseBoolean(query.get('exclude_stale') ?? undefined) === false
        : parseBoolean(query.get('only_active') ?? undefined) === false;
      const paused = this.optionalBoolean(query, 'paused');
      const idPattern = query.get('dag_id_pattern');
      const displayPattern = v3 ? query.get('dag_display_name_pattern') : null;
      const tags = query.getAll('tags');
      const allTags = query.get('tags_match_mode') === 'all';
      const owners = v3 ? query.getAll('owners') : [];
      const idMatches = idPattern ? likePattern(idPattern) : undefined;
      const displayMatches = displayPattern
        ? likePattern(displayPattern)
        : undefined;
      let rows = [...table.rows.values()].filter(row => {
        const dag = row.definition;
        if (row.stale && !includeStale) return false;
        if (paused !== undefined && row.isPaused !== paused) return false;
        if (idMatches && !idMatches(dag.dagId)) return false;
        if (displayMatches && !displayMatches(dag.displayName ?? dag.dagId))
          return false;
        if (tags.length > 0) {
          const has = (tag: string) => dag.tags.includes(tag);
          if (allTags ? !tags.every(has) : !tags.some(has)) return false;
        }
        if (owners.length > 0 && !owners.includes(dag.owner ?? DEFAULT_OWNER))
          return false;
        return true;
      });
      rows = this.ordered(rows, query.get('order_by') ?? 'dag_id');
      const page = rows.slice(offset, offset + limit);
      return {
        status: 200,
        body: {
          dags: page.map(row =>
            v3 ? this.dagV2(row, release) : this.dagV1(row),
          ),
          total_entries: rows.length,
        },
      };
    } catch (error) {
      return this.queryFailure(error, release);
    }
  }

  /** `GET /api/v2/dags/{dag_id}` or `/api/v1/dags/{dag_id}`. */
  getDag(
    namespace: string,
    release: AirflowRelease,
    dagId: string,
  ): AirflowAnswer {
    const table = this.refresh(namespace, release);
    const row = table.rows.get(dagId);
    if (!row) {
      return this.dagNotFound(release, dagId);
    }
    return {
      status: 200,
      body: release.major >= 3 ? this.dagV2(row, release) : this.dagV1(row),
    };
  }

  /** `GET /api/v2/importErrors` or `/api/v1/importErrors`. */
  listImportErrors(
    namespace: string,
    release: AirflowRelease,
    query: URLSearchParams,
  ): AirflowAnswer {
    try {
      const v3 = release.major >= 3;
      const table = this.refresh(namespace, release);
      const { limit, offset } = this.paging(query, v3 ? 50 : 100);
      const order = query.get('order_by') ?? (v3 ? 'id' : 'import_error_id');
      const descending = order.startsWith('-');
      const field = order.replace(/^-/, '');
      const keyOf = (row: ImportErrorRow): string | number => {
        switch (field) {
          case 'id':
          case 'import_error_id':
            return row.id;
          case 'filename':
            return row.relativeFileloc;
          case 'timestamp':
            return row.timestamp.getTime();
          default:
            throw new QueryError(
              'order_by',
              `Ordering with '${field}' is disallowed or the attribute does not exist on the model`,
              order,
            );
        }
      };
      const rows = [...table.errors.values()].sort((a, b) => {
        const compare = compareKeys(keyOf(a), keyOf(b));
        return descending ? -compare : compare;
      });
      return {
        status: 200,
        body: {
          import_errors: rows.slice(offset, offset + limit).map(row =>
            v3
              ? {
                  import_error_id: row.id,
                  timestamp: isoMicros(row.timestamp, true),
                  filename: row.relativeFileloc,
                  bundle_name: BUNDLE_NAME,
                  stack_trace: row.stackTrace,
                }
              : {
                  import_error_id: row.id,
                  timestamp: isoMicros(row.timestamp, false),
                  filename: `${DAGS_FOLDER}/${row.relativeFileloc}`,
                  stack_trace: row.stackTrace,
                },
          ),
          total_entries: rows.length,
        },
      };
    } catch (error) {
      return this.queryFailure(error, release);
    }
  }

  /**
   * The DAGs of a namespace as last parsed, with the Airflow major they
   * were parsed for; `undefined` before the first parse.
   */
  parsedDags(namespace: string):
    | {
        major: number;
        dags: Array<{
          definition: DagDefinition;
          isPaused: boolean;
          stale: boolean;
        }>;
      }
    | undefined {
    const table = this.tables.get(namespace);
    if (!table?.parsedFrom) {
      return undefined;
    }
    return {
      major: Number(table.parsedFrom.split('|')[1]),
      dags: [...table.rows.values()],
    };
  }

  /** Brings a namespace's DAGs up to the bundle its parsing pods serve. */
  sync(namespace: string, release: AirflowRelease): void {
    this.refresh(namespace, release);
  }

  /** A DAG that is not stale, brought up to the served bundle first. */
  findDag(
    namespace: string,
    release: AirflowRelease,
    dagId: string,
  ): { definition: DagDefinition; isPaused: boolean } | undefined {
    const row = this.refresh(namespace, release).rows.get(dagId);
    return row && !row.stale ? row : undefined;
  }

  /** Airflow's 404 for a DAG id it does not know. */
  dagNotFound(release: AirflowRelease, dagId: string): AirflowAnswer {
    return release.major >= 3
      ? {
          status: 404,
          body: { detail: `Dag with id ${dagId} was not found` },
        }
      : {
          status: 404,
          body: {
            detail: `The DAG with dag_id: ${dagId} was not found`,
            status: 404,
            title: 'DAG not found',
            type: 'https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/NotFound',
          },
        };
  }

  /** `PATCH /api/v2/dags/{dag_id}` or `/api/v1/dags/{dag_id}` with `is_paused`. */
  setPaused(
    namespace: string,
    release: AirflowRelease,
    dagId: string,
    isPaused: boolean,
  ): AirflowAnswer {
    const row = this.refresh(namespace, release).rows.get(dagId);
    if (!row) {
      return this.dagNotFound(release, dagId);
    }
    row.isPaused = isPaused;
    return this.getDag(namespace, release, dagId);
  }

  /** `GET /api/v2/dags/{dag_id}/details` or `/api/v1/dags/{dag_id}/details`. */
  getDagDetails(
    namespace: string,
    release: AirflowRelease,
    dagId: string,
  ): AirflowAnswer {
    const row = this.refresh(namespace, release).rows.get(dagId);
    if (!row) {
      return this.dagNotFound(release, dagId);
    }
    const dag = row.definition;
    if (release.major >= 3) {
      return {
        status: 200,
        body: {
          ...this.dagV2(row, release),
          catchup: false,
          dag_run_timeout: null,
          asset_expression: null,
          doc_md: null,
          start_date: null,
          end_date: null,
          is_paused_upon_creation: dag.isPausedUponCreation ?? null,
          params: {},
          render_template_as_native_obj: false,
          template_search_path: null,
          timezone: 'UTC',
          last_parsed: isoMicros(row.lastParsed, true),
          default_args: dag.owner ? { owner: dag.owner } : {},
          owner_links: null,
          concurrency: dag.maxActiveTasks ?? DEFAULT_MAX_ACTIVE_TASKS,
          latest_dag_version: null,
        },
      };
    }
    return {
      status: 200,
      body: {
        ...this.dagV1(row),
        catchup: true,
        concurrency: dag.maxActiveTasks ?? DEFAULT_MAX_ACTIVE_TASKS,
        dag_run_timeout: null,
        dataset_expression: null,
        doc_md: null,
        end_date: null,
        is_paused_upon_creation: dag.isPausedUponCreation ?? null,
        last_parsed: isoMicros(row.lastParsed, false),
        orientation: 'LR',
        params: {},
        render_template_as_native_obj: false,
        start_date: null,
        template_search_path: null,
        timezone: "Timezone('UTC')",
      },
    };
  }

  /** DAG ids and import errors of a namespace, for the simulated UI page. */
  summary(
    namespace: string,
    release: AirflowRelease,
  ): {
    dags: Array<{ dagId: string; isPaused: boolean }>;
    importErrors: string[];
  } {
    const table = this.refresh(namespace, release);
    return {
      dags: [...table.rows.values()]
        .filter(row => !row.stale)
        .map(row => ({ dagId: row.definition.dagId, isPaused: row.isPaused }))
        .sort((a, b) => (a.dagId < b.dagId ? -1 : 1)),
      importErrors: [...table.errors.values()].map(row => row.relativeFileloc),
    };
  }

  private observe(event: StoreEvent): void {
    if (event.resource.kind === 'Namespace' && event.type === 'DELETED') {
      this.tables.delete(event.object.metadata.name);
    }
  }

  private table(namespace: string): NamespaceTable {
    let table = this.tables.get(namespace);
    if (!table) {
      table = { rows: new Map(), errors: new Map(), nextErrorId: 1 };
      this.tables.set(namespace, table);
    }
    return table;
  }

  /** The pods whose bundle Airflow parses, with what they serve. */
  private parsingSource(
    namespace: string,
    release: AirflowRelease,
  ): { pod: KubernetesObject; bundle: ServedBundle } | undefined {
    const pods = this.deps.store.list(POD, { namespace });
    const component = (pod: KubernetesObject) =>
      labelsOf(pod)[ASTRO_LABELS.component];
    const parser =
      release.major >= 3 || pods.some(pod => component(pod) === 'dag-processor')
        ? 'dag-processor'
        : 'scheduler';
    let best: { pod: KubernetesObject; bundle: ServedBundle } | undefined;
    for (const pod of pods) {
      if (component(pod) !== parser || !isPodReady(pod)) {
        continue;
      }
      const bundle = this.deps.dagSync.servedBundle(
        namespace,
        pod.metadata.name,
      );
      if (bundle && (!best || bundle.servedSince > best.bundle.servedSince)) {
        best = { pod, bundle };
      }
    }
    return best;
  }

  /** Brings a namespace's table up to the bundle its parsing pods serve. */
  private refresh(namespace: string, release: AirflowRelease): NamespaceTable {
    const table = this.table(namespace);
    const source = this.parsingSource(namespace, release);
    if (!source) {
      return table;
    }
    const parsedFrom = `${source.bundle.version}|${release.major}`;
    if (table.parsedFrom === parsedFrom) {
      return table;
    }
    let parsed = this.parses.get(parsedFrom);
    if (!parsed) {
      parsed = parseDagFolder(source.bundle.files, {
        airflowMajor: release.major,
        dagsFolder: DAGS_FOLDER,
      });
      if (this.parses.size >= 32) {
        this.parses.delete(this.parses.keys().next().value!);
      }
      this.parses.set(parsedFrom, parsed);
    }
    const parsedAt = source.bundle.servedSince;
    const pausedByDefault = this.pausedAtCreation(source.pod);
    const seen = new Set<string>();
    for (const definition of parsed.dags) {
      seen.add(definition.dagId);
      const existing = table.rows.get(definition.dagId);
      table.rows.set(definition.dagId, {
        definition,
        isPaused:
          existing?.isPaused ??
          definition.isPausedUponCreation ??
          pausedByDefault,
        stale: false,
        lastParsed: parsedAt,
      });
    }
    for (const row of table.rows.values()) {
      if (!seen.has(row.definition.dagId)) {
        row.stale = true;
      }
    }
    const errors = new Map<string, ImportErrorRow>();
    for (const error of parsed.importErrors) {
      const existing = table.errors.get(error.relativeFileloc);
      errors.set(error.relativeFileloc, {
        id: existing?.id ?? table.nextErrorId++,
        relativeFileloc: error.relativeFileloc,
        stackTrace: error.stackTrace,
        timestamp:
          existing && existing.stackTrace === error.stackTrace
            ? existing.timestamp
            : parsedAt,
      });
    }
    table.errors = errors;
    table.parsedFrom = parsedFrom;
    for (const listener of this.parsedListeners) {
      listener(namespace);
    }
    return table;
  }

  /** `[core] dags_are_paused_at_creation` of the parsing pod (default true). */
  private pausedAtCreation(pod: KubernetesObject): boolean {
    const airflow = arr(at(pod, 'spec', 'containers'))
      .filter(isRecord)
      .find(container => container.name !== DAG_SYNC_CONTAINER);
    if (!airflow) {
      return true;
    }
    const env = resolveContainerEnv(this.deps.store, pod, airflow);
    return parseBoolean(env.values[PAUSED_AT_CREATION]) ?? true;
  }

  private paging(
    query: URLSearchParams,
    defaultLimit: number,
  ): { limit: number; offset: number } {
    const read = (name: string, fallback: number) => {
      const raw = query.get(name);
      if (raw === null) {
        return fallback;
      }
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
        throw new QueryError(
          name,
          'Input should be a valid integer, unable to parse string as an integer',
          raw,
        );
      }
      return value;
    };
    return {
      limit: Math.min(read('limit', defaultLimit), MAXIMUM_PAGE_LIMIT),
      offset: read('offset', 0),
    };
  }

  private optionalBoolean(
    query: URLSearchParams,
    name: string,
  ): boolean | undefined {
    const raw = query.get(name);
    if (raw === null) {
      return undefined;
    }
    const value = parseBoolean(raw);
    if (value === undefined) {
      throw new QueryError(
        name,
        'Input should be a valid boolean, unable to interpret input',
        raw,
      );
    }
    return value;
  }

  private ordered(rows: DagRow[], orderBy: string): DagRow[] {
    const descending = orderBy.startsWith('-');
    const field = orderBy.replace(/^-/, '');
    const keyOf = (row: DagRow): string | number => {
      switch (field) {
        case 'dag_id':
          return row.definition.dagId;
        case 'dag_display_name':
          return row.definition.displayName ?? row.definition.dagId;
        case 'last_parsed_time':
          return row.lastParsed.getTime();
        default:
          throw new QueryError(
            'order_by',
            `Ordering with '${field}' is disallowed or the attribute does not exist on the model`,
            orderBy,
          );
      }
    };
    return [...rows].sort((a, b) => {
      const compare =
        compareKeys(keyOf(a), keyOf(b)) ||
        compareKeys(a.definition.dagId, b.definition.dagId);
      return descending ? -compare : compare;
    });
  }

  private queryFailure(error: unknown, release: AirflowRelease): AirflowAnswer {
    if (!(error instanceof QueryError)) {
      throw error;
    }
    if (release.major >= 3) {
      if (error.parameter === 'order_by') {
        return { status: 400, body: { detail: error.message } };
      }
      return {
        status: 422,
        body: {
          detail: [
            {
              type: error.message.includes('boolean')
                ? 'bool_parsing'
                : 'int_parsing',
              loc: ['query', error.parameter],
              msg: error.message,
              input: error.input,
            },
          ],
        },
      };
    }
    return {
      status: 400,
      body: {
        detail: `${error.parameter}: ${error.message}`,
        status: 400,
        title: 'Bad Request',
        type: 'https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/BadRequest',
      },
    };
  }

  private fileToken(fileloc: string): string {
    const payload = Buffer.from(JSON.stringify(fileloc)).toString('base64url');
    const signature = createHmac('sha1', 'airflow-portal-simulator')
      .update(payload)
      .digest('base64url')
      .slice(0, 27);
    return `${payload}.${signature}`;
  }

  /** Airflow 3's `DAGResponse`. */
  private dagV2(row: DagRow, release: AirflowRelease): Record<string, unknown> {
    const dag = row.definition;
    const displayName = dag.displayName ?? dag.dagId;
    const fileloc = `${DAGS_FOLDER}/${dag.relativeFileloc}`;
    return {
      dag_id: dag.dagId,
      dag_display_name: displayName,
      is_paused: row.isPaused,
      is_stale: row.stale,
      last_parsed_time: isoMicros(row.lastParsed, true),
      last_expired: null,
      bundle_name: BUNDLE_NAME,
      bundle_version: null,
      relative_fileloc: dag.relativeFileloc,
      fileloc,
      description: dag.description ?? null,
      timetable_summary:
        dag.schedule.kind === 'string' ? dag.schedule.value : null,
      timetable_description: null,
      tags: dag.tags.map(name =>
        release.minor >= 1 || release.major > 3
          ? { name, dag_id: dag.dagId, dag_display_name: displayName }
          : { name, dag_id: dag.dagId },
      ),
      max_active_tasks: dag.maxActiveTasks ?? DEFAULT_MAX_ACTIVE_TASKS,
      max_active_runs: dag.maxActiveRuns ?? DEFAULT_MAX_ACTIVE_RUNS,
      max_consecutive_failed_dag_runs: dag.maxConsecutiveFailedDagRuns ?? 0,
      has_task_concurrency_limits: false,
      has_import_errors: false,
      next_dagrun_logical_date: null,
      next_dagrun_data_interval_start: null,
      next_dagrun_data_interval_end: null,
      next_dagrun_run_after: null,
      owners: [dag.owner ?? DEFAULT_OWNER],
      file_token: this.fileToken(fileloc),
    };
  }

  /** Airflow 2's `DAG`. */
  private dagV1(row: DagRow): Record<string, unknown> {
    const dag = row.definition;
    const fileloc = `${DAGS_FOLDER}/${dag.relativeFileloc}`;
    const schedule =
      dag.schedule.kind !== 'absent' ? dag.schedule : dag.scheduleInterval;
    // Airflow 2 defaults to a one-day schedule.
    let scheduleInterval: Record<string, unknown> | null = null;
    if (schedule.kind === 'string') {
      scheduleInterval = { __type: 'CronExpression', value: schedule.value };
    } else if (schedule.kind === 'absent') {
      scheduleInterval = {
        __type: 'TimeDelta',
        days: 1,
        seconds: 0,
        microseconds: 0,
      };
    }
    return {
      dag_id: dag.dagId,
      dag_display_name: dag.displayName ?? dag.dagId,
      is_paused: row.isPaused,
      is_active: !row.stale,
      last_parsed_time: isoMicros(row.lastParsed, false),
      last_pickled: null,
      last_expired: null,
      scheduler_lock: null,
      pickle_id: null,
      default_view: 'grid',
      fileloc,
      file_token: this.fileToken(fileloc),
      owners: [dag.owner ?? DEFAULT_OWNER],
      description: dag.description ?? null,
      schedule_interval: scheduleInterval,
      timetable_description: null,
      tags: dag.tags.map(name => ({ name })),
      max_active_tasks: dag.maxActiveTasks ?? DEFAULT_MAX_ACTIVE_TASKS,
      max_active_runs: dag.maxActiveRuns ?? DEFAULT_MAX_ACTIVE_RUNS,
      has_task_concurrency_limits: false,
      has_import_errors: false,
      next_dagrun: null,
      next_dagrun_data_interval_start: null,
      next_dagrun_data_interval_end: null,
      next_dagrun_create_after: null,
      max_consecutive_failed_dag_runs: dag.maxConsecutiveFailedDagRuns ?? 0,
    };
  }
}
