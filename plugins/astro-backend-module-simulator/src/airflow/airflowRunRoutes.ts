/**
 * The routes of the simulated Airflow API beyond listing DAGs: DAG
 * details, pausing, DAG runs (list per DAG and across DAGs with `~`, batch
 * list, get, trigger, clear), task instances (list, across DAGs and runs
 * with `~`), clearing failed task instances, and pools.
 * Writes need a role that may edit DAGs (`VIEWER` gets 403, as in
 * Airflow's auth managers).
 */
import { AirflowRole } from '@airflow-portal/plugin-astro-common';
import { AirflowAnswer, AirflowDags, AirflowRelease } from './AirflowDags';
import { AirflowRuns, RunConflictError, RunView } from './AirflowRuns';
import {
  DEFAULT_POOL,
  defaultPoolJson,
  runJson,
  taskInstanceJson,
} from './airflowRunShapes';
import { listTaskInstances, QueueDepths } from './airflowTaskInstances';

/** One request to the simulated Airflow API. */
export interface AirflowRequest {
  method: string;
  route: string;
  query: URLSearchParams;
  /** The parsed JSON body; `undefined` when none came. */
  body: unknown;
}

/** Who asks, and where. */
export interface RunRouteContext {
  dags: AirflowDags;
  runs: AirflowRuns;
  queues?: QueueDepths;
  namespace: string;
  release: AirflowRelease;
  prefix: string;
  role: AirflowRole;
}

class BadInput extends Error {
  constructor(
    readonly location: 'body' | 'query',
    readonly field: string,
    message: string,
    readonly input: unknown,
    readonly type = 'value_error',
  ) {
    super(message);
  }
}

const PROBLEM =
  'https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors';

function problem(status: number, title: string, detail: string, kind: string) {
  return {
    status,
    body: { detail, status, title, type: `${PROBLEM}/${kind}` },
  };
}

function forbidden(release: AirflowRelease): AirflowAnswer {
  return release.major >= 3
    ? { status: 403, body: { detail: 'Forbidden' } }
    : problem(
        403,
        'Forbidden',
        "You don't have the permission to perform this action",
        'PermissionDenied',
      );
}

function conflict(release: AirflowRelease, message: string): AirflowAnswer {
  return release.major >= 3
    ? { status: 409, body: { detail: message } }
    : problem(409, 'Conflict', message, 'AlreadyExists');
}

function runNotFound(
  release: AirflowRelease,
  dagId: string,
  runId: string,
): AirflowAnswer {
  const detail = `The DagRun with dag_id: \`${dagId}\` and run_id: \`${runId}\` was not found`;
  return release.major >= 3
    ? { status: 404, body: { detail } }
    : problem(404, 'DAGRun not found', detail, 'NotFound');
}

function badInput(release: AirflowRelease, error: BadInput): AirflowAnswer {
  if (release.major >= 3) {
    return {
      status: 422,
      body: {
        detail: [
          {
            type: error.type,
            loc: [error.location, error.field],
            msg: error.message,
            input: error.input,
          },
        ],
      },
    };
  }
  return problem(
    400,
    'Bad Request',
    `${error.field}: ${error.message}`,
    'BadRequest',
  );
}

function record(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) {
    return {};
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BadInput(
      'body',
      '',
      'Input should be a valid dictionary',
      body,
      'dict_type',
    );
  }
  return body as Record<string, unknown>;
}

function optionalBoolean(
  body: Record<string, unknown>,
  field: string,
  fallback: boolean,
): boolean {
  const value = body[field];
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw new BadInput(
      'body',
      field,
      'Input should be a valid boolean',
      value,
      'bool_type',
    );
  }
  return value;
}

function optionalDate(
  location: 'body' | 'query',
  field: string,
  value: unknown,
): Date | undefined | null {
  if (value === undefined) {
    return undefined;
  }
  if (value === null) {
    return null;
  }
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    !/\d{4}-\d{2}-\d{2}T/.test(String(value))
  ) {
    throw new BadInput(
      location,
      field,
      'Input should be a valid datetime',
      value,
      'datetime_parsing',
    );
  }
  return date;
}

function integer(
  location: 'body' | 'query',
  field: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined || value === null) {
    return fallback;
  }
  const number =
    typeof value === 'string' && /^\d+$/.test(value.trim())
      ? Number(value)
      : value;
  if (
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    number < 0
  ) {
    throw new BadInput(
      location,
      field,
      'Input should be a valid integer',
      value,
      'int_parsing',
    );
  }
  return number;
}

type Filter = {
  states?: string[];
  dagIds?: string[];
  ranges: Array<{
    field: 'runAfter' | 'logicalDate' | 'startDate' | 'endDate';
    gte?: Date;
    lte?: Date;
  }>;
};

const RANGE_FIELDS = {
  run_after: 'runAfter',
  logical_date: 'logicalDate',
  execution_date: 'logicalDate',
  start_date: 'startDate',
  end_date: 'endDate',
} as const;

function rangesFrom(
  location: 'body' | 'query',
  read: (name: string) => unknown,
  release: AirflowRelease,
): Filter['ranges'] {
  const names =
    release.major >= 3
      ? ['run_after', 'logical_date', 'start_date', 'end_date']
      : ['execution_date', 'start_date', 'end_date'];
  return names.flatMap(name => {
    const gte =
      optionalDate(location, `${name}_gte`, read(`${name}_gte`)) ?? undefined;
    const lte =
      optionalDate(location, `${name}_lte`, read(`${name}_lte`)) ?? undefined;
    return gte || lte
      ? [{ field: RANGE_FIELDS[name as keyof typeof RANGE_FIELDS], gte, lte }]
      : [];
  });
}

function dateOf(
  run: RunView,
  field: Filter['ranges'][number]['field'],
): Date | null {
  switch (field) {
    case 'runAfter':
      return run.row.runAfter;
    case 'logicalDate':
      return run.row.logicalDate;
    case 'startDate':
      return run.startDate;
    default:
      return run.endDate;
  }
}

function applyFilter(runs: RunView[], filter: Filter): RunView[] {
  return runs.filter(run => {
    if (
      filter.states &&
      filter.states.length > 0 &&
      !filter.states.includes(run.state)
    )
      return false;
    if (
      filter.dagIds &&
      filter.dagIds.length > 0 &&
      !filter.dagIds.includes(run.row.dagId)
    )
      return false;
    return filter.ranges.every(range => {
      const date = dateOf(run, range.field);
      if (!date) return false;
      if (range.gte && date < range.gte) return false;
      if (range.lte && date > range.lte) return false;
      return true;
    });
  });
}

function ordered(runs: RunView[], orderBy: string | undefined): RunView[] {
  const order = orderBy || 'id';
  const descending = order.startsWith('-');
  const field = order.replace(/^-/, '');
  const keyOf = (run: RunView): number => {
    switch (field) {
      case 'id':
        return run.row.id;
      case 'run_after':
        return run.row.runAfter.getTime();
      case 'logical_date':
      case 'execution_date':
        return run.row.logicalDate?.getTime() ?? 0;
      case 'start_date':
        return run.startDate?.getTime() ?? 0;
      case 'end_date':
        return run.endDate?.getTime() ?? 0;
      default:
        throw new BadInput(
          'query',
          'order_by',
          `Ordering with '${field}' is disallowed or the attribute does not exist on the model`,
          order,
        );
    }
  };
  return [...runs].sort((a, b) => {
    const compare = keyOf(a) - keyOf(b) || a.row.id - b.row.id;
    return descending ? -compare : compare;
  });
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A matched route: whether it writes, and how to answer it. */
export interface RunRoute {
  write: boolean;
  answer(context: RunRouteContext): AirflowAnswer;
}

/** The route `request` asks for under `prefix`, or `undefined` when none. */
export function matchRunRoute(
  prefix: string,
  request: AirflowRequest,
): RunRoute | undefined {
  const { method, route } = request;
  if (!route.startsWith(`${prefix}/`)) {
    return undefined;
  }
  const parts = route
    .slice(prefix.length + 1)
    .split('/')
    .map(decode);
  if (parts.some(part => part === undefined)) {
    return undefined;
  }
  const handler = match(parts as string[], method);
  if (!handler) {
    return undefined;
  }
  return {
    write: handler.write,
    answer: context => {
      if (handler.write && context.role === 'VIEWER') {
        return forbidden(context.release);
      }
      try {
        return handler.answer(context, request);
      } catch (error) {
        if (error instanceof BadInput) {
          return badInput(context.release, error);
        }
        if (error instanceof RunConflictError) {
          return conflict(context.release, error.message);
        }
        throw error;
      }
    },
  };
}

interface Handler {
  write: boolean;
  answer(context: RunRouteContext, request: AirflowRequest): AirflowAnswer;
}

function match(segments: string[], method: string): Handler | undefined {
  const [first, dagId, second, runId, third] = segments;
  const n = segments.length;
  if (first === 'pools' && n === 1 && method === 'GET') {
    return { write: false, answer: listPools };
  }
  if (first === 'pools' && n === 2 && method === 'GET') {
    return { write: false, answer: (c, r) => getPool(c, segments[1], r) };
  }
  if (first !== 'dags' || !dagId) {
    return undefined;
  }
  if (n === 2 && method === 'PATCH' && dagId !== '~') {
    return { write: true, answer: (c, r) => patchDag(c, dagId, r) };
  }
  if (n === 3 && second === 'details' && method === 'GET') {
    return {
      write: false,
      answer: c => c.dags.getDagDetails(c.namespace, c.release, dagId),
    };
  }
  if (n === 3 && second === 'clearTaskInstances' && method === 'POST') {
    return { write: true, answer: (c, r) => clearTaskInstances(c, dagId, r) };
  }
  if (second !== 'dagRuns') {
    return undefined;
  }
  if (n === 3 && method === 'GET') {
    return { write: false, answer: (c, r) => listRuns(c, dagId, r) };
  }
  if (n === 3 && method === 'POST' && dagId !== '~') {
    return { write: true, answer: (c, r) => triggerRun(c, dagId, r) };
  }
  if (n === 4 && runId === 'list' && dagId === '~' && method === 'POST') {
    return { write: false, answer: batchList };
  }
  if (n === 4 && method === 'GET') {
    return { write: false, answer: c => getRun(c, dagId, runId) };
  }
  if (n === 5 && third === 'taskInstances' && method === 'GET') {
    return {
      write: false,
      answer: (c, r) =>
        listTaskInstances(c, dagId, runId, {
          states: r.query.getAll('state'),
          queues: r.query.getAll('queue'),
          limit: integer(
            'query',
            'limit',
            r.query.get('limit') ?? undefined,
            50,
          ),
          offset: integer(
            'query',
            'offset',
            r.query.get('offset') ?? undefined,
            0,
          ),
        }),
    };
  }
  if (n === 5 && third === 'clear' && method === 'POST') {
    return { write: true, answer: (c, r) => clearRun(c, dagId, runId, r) };
  }
  return undefined;
}

function displayNameOf(context: RunRouteContext, dagId: string): string {
  return (
    context.dags.findDag(context.namespace, context.release, dagId)?.definition
      .displayName ?? dagId
  );
}

function runsJson(context: RunRouteContext, runs: RunView[]) {
  return runs.map(run =>
    runJson(run, context.release, displayNameOf(context, run.row.dagId)),
  );
}

function listRuns(
  context: RunRouteContext,
  dagId: string,
  request: AirflowRequest,
): AirflowAnswer {
  const { release, namespace, query } = { ...context, query: request.query };
  if (dagId !== '~' && !context.dags.findDag(namespace, release, dagId)) {
    return context.dags.dagNotFound(release, dagId);
  }
  if (dagId === '~') {
    context.dags.sync(namespace, release);
  }
  const read = (name: string) => query.get(name) ?? undefined;
  const limit = Math.min(
    integer('query', 'limit', read('limit'), release.major >= 3 ? 50 : 100),
    100,
  );
  const offset = integer('query', 'offset', read('offset'), 0);
  const filter: Filter = {
    states: query.getAll('state'),
    ranges: rangesFrom('query', read, release),
  };
  const all = ordered(
    applyFilter(
      context.runs.list(namespace, dagId === '~' ? undefined : dagId),
      filter,
    ),
    read('order_by'),
  );
  return {
    status: 200,
    body: {
      dag_runs: runsJson(context, all.slice(offset, offset + limit)),
      total_entries: all.length,
    },
  };
}

function batchList(
  context: RunRouteContext,
  request: AirflowRequest,
): AirflowAnswer {
  const { release, namespace } = context;
  const body = record(request.body);
  context.dags.sync(namespace, release);
  const limit = Math.min(
    integer('body', 'page_limit', body.page_limit, 100),
    10000,
  );
  const offset = integer('body', 'page_offset', body.page_offset, 0);
  const strings = (field: string): string[] | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some(item => typeof item !== 'string')) {
      throw new BadInput(
        'body',
        field,
        'Input should be a valid list of strings',
        value,
        'list_type',
      );
    }
    return value as string[];
  };
  const filter: Filter = {
    states: strings('states'),
    dagIds: strings('dag_ids'),
    ranges: rangesFrom('body', name => body[name], release),
  };
  const orderBy = body.order_by;
  if (
    orderBy !== undefined &&
    orderBy !== null &&
    typeof orderBy !== 'string'
  ) {
    throw new BadInput(
      'body',
      'order_by',
      'Input should be a valid string',
      orderBy,
      'string_type',
    );
  }
  const all = ordered(
    applyFilter(context.runs.list(namespace), filter),
    orderBy ?? undefined,
  );
  return {
    status: 200,
    body: {
      dag_runs: runsJson(context, all.slice(offset, offset + limit)),
      total_entries: all.length,
    },
  };
}

function getRun(
  context: RunRouteContext,
  dagId: string,
  runId: string,
): AirflowAnswer {
  const { release, namespace } = context;
  if (!context.dags.findDag(namespace, release, dagId)) {
    return context.dags.dagNotFound(release, dagId);
  }
  const run = context.runs.get(namespace, dagId, runId);
  if (!run) {
    return runNotFound(release, dagId, runId);
  }
  return {
    status: 200,
    body: runJson(run, release, displayNameOf(context, dagId)),
  };
}

function triggerRun(
  context: RunRouteContext,
  dagId: string,
  request: AirflowRequest,
): AirflowAnswer {
  const { release, namespace } = context;
  const body = record(request.body);
  const dag = context.dags.findDag(namespace, release, dagId);
  if (!dag) {
    return context.dags.dagNotFound(release, dagId);
  }
  const v3 = release.major >= 3;
  if (v3 && !('logical_date' in body)) {
    throw new BadInput(
      'body',
      'logical_date',
      'Field required',
      body,
      'missing',
    );
  }
  const logicalDate = v3
    ? optionalDate('body', 'logical_date', body.logical_date) ?? null
    : optionalDate(
        'body',
        'logical_date',
        body.logical_date ?? body.execution_date,
      ) ?? null;
  const conf = body.conf;
  if (
    conf !== undefined &&
    conf !== null &&
    (typeof conf !== 'object' || Array.isArray(conf))
  ) {
    throw new BadInput(
      'body',
      'conf',
      'Input should be a valid dictionary',
      conf,
      'dict_type',
    );
  }
  const runId = body.dag_run_id;
  if (
    runId !== undefined &&
    runId !== null &&
    (typeof runId !== 'string' || runId === '')
  ) {
    throw new BadInput(
      'body',
      'dag_run_id',
      'Input should be a valid string',
      runId,
      'string_type',
    );
  }
  const note = body.note;
  if (note !== undefined && note !== null && typeof note !== 'string') {
    throw new BadInput(
      'body',
      'note',
      'Input should be a valid string',
      note,
      'string_type',
    );
  }
  const run = context.runs.trigger(namespace, dagId, {
    runId: (runId as string | null | undefined) ?? undefined,
    logicalDate: logicalDate ?? (v3 ? null : context.runs.clock.now()),
    conf: (conf as Record<string, unknown> | null | undefined) ?? {},
    note: (note as string | null | undefined) ?? null,
    runIdTemplate: date =>
      `manual__${date.toISOString().replace(/Z$/, '000+00:00')}`,
  });
  return {
    status: 200,
    body: runJson(run, release, dag.definition.displayName ?? dagId),
  };
}

function clearRun(
  context: RunRouteContext,
  dagId: string,
  runId: string,
  request: AirflowRequest,
): AirflowAnswer {
  const { release, namespace } = context;
  const body = record(request.body);
  const dryRun = optionalBoolean(body, 'dry_run', true);
  const onlyFailed =
    release.major >= 3 ? optionalBoolean(body, 'only_failed', false) : false;
  const dag = context.dags.findDag(namespace, release, dagId);
  if (!dag) {
    return context.dags.dagNotFound(release, dagId);
  }
  const result = context.runs.clear(namespace, dagId, runId, {
    dryRun,
    onlyFailed,
  });
  if (!result) {
    return runNotFound(release, dagId, runId);
  }
  const name = dag.definition.displayName ?? dagId;
  if (dryRun) {
    const instances = result.cleared
      ? [taskInstanceJson(result.run, release, name)]
      : [];
    return {
      status: 200,
      body: { task_instances: instances, total_entries: instances.length },
    };
  }
  return { status: 200, body: runJson(result.run, release, name) };
}

function clearTaskInstances(
  context: RunRouteContext,
  dagId: string,
  request: AirflowRequest,
): AirflowAnswer {
  const { release, namespace } = context;
  const body = record(request.body);
  const dryRun = optionalBoolean(body, 'dry_run', true);
  const onlyFailed = optionalBoolean(body, 'only_failed', true);
  const runId = body.dag_run_id;
  if (runId !== undefined && runId !== null && typeof runId !== 'string') {
    throw new BadInput(
      'body',
      'dag_run_id',
      'Input should be a valid string',
      runId,
      'string_type',
    );
  }
  const dag = context.dags.findDag(namespace, release, dagId);
  if (!dag) {
    return context.dags.dagNotFound(release, dagId);
  }
  const candidates = context.runs
    .list(namespace, dagId)
    .filter(run => !runId || run.row.runId === runId)
    .filter(run => !onlyFailed || run.state === 'failed');
  const name = dag.definition.displayName ?? dagId;
  const instances = candidates.map(run => {
    const result = context.runs.clear(namespace, dagId, run.row.runId, {
      dryRun,
      onlyFailed: false,
    });
    return taskInstanceJson(result!.run, release, name);
  });
  return {
    status: 200,
    body: {
      task_instances: instances,
      ...(release.major >= 3 ? { total_entries: instances.length } : {}),
    },
  };
}

function patchDag(
  context: RunRouteContext,
  dagId: string,
  request: AirflowRequest,
): AirflowAnswer {
  const { release, namespace } = context;
  const body = record(request.body);
  const mask = request.query.getAll('update_mask');
  if (mask.length > 0 && mask.some(field => field !== 'is_paused')) {
    throw new BadInput(
      'query',
      'update_mask',
      'Only `is_paused` field can be updated through the REST API',
      mask,
    );
  }
  if (typeof body.is_paused !== 'boolean') {
    throw new BadInput(
      'body',
      'is_paused',
      body.is_paused === undefined
        ? 'Field required'
        : 'Input should be a valid boolean',
      body.is_paused ?? body,
      body.is_paused === undefined ? 'missing' : 'bool_type',
    );
  }
  if (!context.dags.findDag(namespace, release, dagId)) {
    return context.dags.dagNotFound(release, dagId);
  }
  context.runs.beforePauseChange(namespace);
  return context.dags.setPaused(namespace, release, dagId, body.is_paused);
}

function activeRuns(context: RunRouteContext): RunView[] {
  context.dags.sync(context.namespace, context.release);
  return context.runs.list(context.namespace);
}

function listPools(context: RunRouteContext): AirflowAnswer {
  return {
    status: 200,
    body: { pools: [defaultPoolJson(activeRuns(context))], total_entries: 1 },
  };
}

function getPool(
  context: RunRouteContext,
  name: string,
  _request: AirflowRequest,
): AirflowAnswer {
  if (name !== DEFAULT_POOL) {
    const detail = `The Pool with name: \`${name}\` was not found`;
    return context.release.major >= 3
      ? { status: 404, body: { detail } }
      : problem(404, 'Pool not found', detail, 'NotFound');
  }
  return { status: 200, body: defaultPoolJson(activeRuns(context)) };
}
