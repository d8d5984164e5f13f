import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import { DeploymentRecord, NewEvent } from '../../store';
import { Actor, MutationRunner } from '../../service';
import { AirflowConnection } from './AirflowConnections';
import { InsightCache } from './InsightCache';
import { DAY_MS, emptyCounts, summarizeRuns } from './summarizeRuns';
import { AirflowAnswerError, ParsedRun } from './types';

type Schemas = AstroApiSchemas;

/** What the insight service needs of the rest of the backend. */
export interface AirflowInsightDeps {
  /** A Deployment by organization and name (404 when missing or hidden). */
  getRecord(org: string, dep: string): Promise<DeploymentRecord>;
  connections: { open(record: DeploymentRecord): Promise<AirflowConnection> };
  mutations: Pick<MutationRunner, 'run'>;
  cache: InsightCache;
  clock?: () => Date;
}

/** Days of runs a summary reads. */
const SUMMARY_DAYS = 7;

/**
 * Airflow insight per Deployment: DAGs, a DAG-run summary, import errors,
 * pools and heartbeats, read from its Airflow with the backend's service
 * credential and cached briefly (concurrent page views share one request
 * to Airflow); and the actions Astro offers (pause/unpause, trigger,
 * clear a failed run), each recorded in the Deployment's events and
 * followed by dropping its cached answers. Airflow errors become 503s
 * naming what failed (4xx for what the caller asked wrongly).
 */
export class AirflowInsightService {
  constructor(private readonly deps: AirflowInsightDeps) {}

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /** Reads a section of a Deployment's insight through the cache. */
  private async read<T>(
    org: string,
    dep: string,
    section: string,
    load: (
      connection: AirflowConnection,
      record: DeploymentRecord,
    ) => Promise<T>,
  ): Promise<{ value: T; record: DeploymentRecord }> {
    const record = await this.deps.getRecord(org, dep);
    const value = await this.deps.cache.get(record.id, section, async () => {
      const connection = await this.deps.connections.open(record);
      try {
        return await load(connection, record);
      } catch (error) {
        throw readFailure(record, error);
      }
    });
    return { value, record };
  }

  private runs(org: string, dep: string) {
    return this.read(org, dep, 'runs', async ({ adapter, call }) => {
      const fetchedAt = this.now();
      const since = new Date(fetchedAt.getTime() - SUMMARY_DAYS * DAY_MS);
      const { runs, truncated } = await adapter.listRuns(call, since);
      return {
        runs,
        truncated,
        api: adapter.api,
        fetchedAt,
        urlOf: (airflowUrl: string, run: ParsedRun) =>
          adapter.runUrl(airflowUrl, run.dagId, run.runId),
      };
    });
  }

  async dags(org: string, dep: string): Promise<Schemas['AirflowDagList']> {
    const [dags, runs] = await Promise.all([
      this.read(org, dep, 'dags', async ({ adapter, call }) => ({
        items: await adapter.listDags(call),
        api: adapter.api,
        fetchedAt: this.now(),
      })),
      this.runs(org, dep),
    ]);
    const summary = summarizeRuns(runs.value.runs, runs.value.fetchedAt);
    return {
      items: dags.value.items.map(dag => ({
        ...dag,
        lastRunState: summary.lastState.get(dag.dagId) ?? null,
        runs24h: summary.perDag.get(dag.dagId) ?? emptyCounts(),
      })),
      airflowApi: dags.value.api,
      fetchedAt: dags.value.fetchedAt.toISOString(),
    };
  }

  async runSummary(
    org: string,
    dep: string,
  ): Promise<Schemas['AirflowRunSummary']> {
    const { value, record } = await this.runs(org, dep);
    const summary = summarizeRuns(value.runs, value.fetchedAt);
    return {
      last24h: summary.last24h,
      last7d: summary.last7d,
      lastFailures: summary.failures.map(run =>
        withUrl(run, record, url => value.urlOf(url, run)),
      ),
      truncated: value.truncated,
      airflowApi: value.api,
      fetchedAt: value.fetchedAt.toISOString(),
    };
  }

  async importErrors(
    org: string,
    dep: string,
  ): Promise<Schemas['AirflowImportErrorList']> {
    const { value } = await this.read(
      org,
      dep,
      'importErrors',
      async ({ adapter, call }) => ({
        items: await adapter.importErrors(call),
        fetchedAt: this.now().toISOString(),
      }),
    );
    return value;
  }

  async pools(org: string, dep: string): Promise<Schemas['AirflowPoolList']> {
    const { value } = await this.read(
      org,
      dep,
      'pools',
      async ({ adapter, call }) => ({
        items: await adapter.pools(call),
        fetchedAt: this.now().toISOString(),
      }),
    );
    return value;
  }

  async heartbeats(
    org: string,
    dep: string,
  ): Promise<Schemas['AirflowHeartbeats']> {
    const { value } = await this.read(
      org,
      dep,
      'heartbeats',
      async ({ adapter, call }) => ({
        ...(await adapter.heartbeats(call)),
        fetchedAt: this.now().toISOString(),
      }),
    );
    return value;
  }

  /** Pauses or unpauses a DAG. */
  async setPaused(
    org: string,
    dep: string,
    dagId: string,
    isPaused: boolean,
    actor: Actor,
  ): Promise<Schemas['AirflowDag']> {
    const verb = isPaused ? 'paused' : 'unpaused';
    return this.act(org, dep, async ({ adapter, call }, record) => {
      const dag = await adapter.setPaused(call, dagId, isPaused);
      return {
        result: { ...dag, lastRunState: null, runs24h: emptyCounts() },
        event: event(record, actor, `airflow-dag-${verb}`, {
          message: `DAG ${dagId} ${verb} by ${actor}`,
          after: { dagId, isPaused },
        }),
      };
    });
  }

  /** Triggers a run of a DAG. */
  async trigger(
    org: string,
    dep: string,
    dagId: string,
    input: { conf?: Record<string, unknown>; logicalDate?: string },
    actor: Actor,
  ): Promise<Schemas['AirflowDagRun']> {
    return this.act(org, dep, async ({ adapter, call }, record) => {
      const run = await adapter.trigger(call, dagId, input);
      return {
        result: withUrl(run, record, url =>
          adapter.runUrl(url, run.dagId, run.runId),
        ),
        event: event(record, actor, 'airflow-dag-run-triggered', {
          message: `Run ${run.runId} of DAG ${dagId} triggered by ${actor}`,
          after: {
            dagId,
            runId: run.runId,
            logicalDate: run.logicalDate,
            confKeys: Object.keys(input.conf ?? {}),
          },
        }),
      };
    });
  }

  /** Clears a failed run, so that Airflow runs it again. */
  async clearFailedRun(
    org: string,
    dep: string,
    dagId: string,
    runId: string,
    actor: Actor,
  ): Promise<Schemas['AirflowDagRun']> {
    return this.act(org, dep, async ({ adapter, call }, record) => {
      const current = await adapter.getRun(call, dagId, runId);
      if (current.state !== 'failed') {
        throw new ConflictError(
          `Run ${runId} of DAG ${dagId} is ${current.state}; only failed runs are cleared`,
        );
      }
      const run = await adapter.clearRun(call, dagId, runId);
      return {
        result: withUrl(run, record, url =>
          adapter.runUrl(url, run.dagId, run.runId),
        ),
        event: event(record, actor, 'airflow-dag-run-cleared', {
          message: `Failed run ${runId} of DAG ${dagId} cleared by ${actor}`,
          before: { state: current.state },
          after: { dagId, runId, state: run.state },
        }),
      };
    });
  }

  /** Runs an action on Airflow, records it and drops the cached answers. */
  private async act<T>(
    org: string,
    dep: string,
    action: (
      connection: AirflowConnection,
      record: DeploymentRecord,
    ) => Promise<{ result: T; event: NewEvent }>,
  ): Promise<T> {
    const record = await this.deps.getRecord(org, dep);
    const connection = await this.deps.connections.open(record);
    let outcome: { result: T; event: NewEvent };
    try {
      outcome = await action(connection, record);
    } catch (error) {
      throw actionFailure(record, error);
    } finally {
      this.deps.cache.invalidate(record.id);
    }
    return this.deps.mutations.run(async () => ({
      result: outcome.result,
      events: [outcome.event],
      changes: [],
    }));
  }
}

function nameOf(record: DeploymentRecord): string {
  return `${record.organization_name}/${record.name}`;
}

function withUrl(
  run: ParsedRun,
  record: DeploymentRecord,
  urlOf: (airflowUrl: string) => string,
): Schemas['AirflowDagRun'] {
  const { runAfter: _runAfter, ...rest } = run;
  return {
    ...rest,
    url: record.airflow_url ? urlOf(record.airflow_url) : null,
  };
}

function event(
  record: DeploymentRecord,
  actor: Actor,
  action: string,
  fields: { message: string; before?: unknown; after?: unknown },
): NewEvent {
  return {
    organization: record.organization_name,
    resourceType: 'deployment',
    resourceName: nameOf(record),
    deploymentId: record.id,
    action,
    actor,
    ...fields,
  };
}

/** A read that Airflow failed: 503 naming the request and Airflow's answer. */
function readFailure(record: DeploymentRecord, error: unknown): Error {
  if (error instanceof AirflowAnswerError) {
    const credential =
      error.status === 401 || error.status === 403
        ? " (Airflow refused the backend's service credential)"
        : '';
    return new ServiceUnavailableError(
      `The Airflow of Deployment "${nameOf(record)}" answered ${
        error.status
      } to ${error.request}${credential}${
        error.detail ? `: ${error.detail}` : ''
      }`,
    );
  }
  return error as Error;
}

/** An action Airflow refused: 404/409/400 for what was asked, else 503. */
function actionFailure(record: DeploymentRecord, error: unknown): Error {
  if (!(error instanceof AirflowAnswerError)) {
    return error as Error;
  }
  const detail = error.detail ?? `Airflow answered ${error.status}`;
  switch (error.status) {
    case 404:
      return new NotFoundError(
        `The Airflow of Deployment "${nameOf(record)}": ${detail}`,
      );
    case 409:
      return new ConflictError(
        `The Airflow of Deployment "${nameOf(record)}": ${detail}`,
      );
    case 400:
    case 422:
      return new InputError(
        `The Airflow of Deployment "${nameOf(
          record,
        )}" refused the request: ${detail}`,
      );
    default:
      return readFailure(record, error);
  }
}
