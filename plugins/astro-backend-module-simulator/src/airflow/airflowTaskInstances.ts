/**
 * Task instances of the simulated Airflow: `GET
 * /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances` (Airflow 3,
 * `TaskInstanceCollectionResponse`) and its `/api/v1` form (Airflow 2,
 * `TaskInstanceCollection`), with `~` for every DAG or run and the `state`,
 * `queue`, `limit` and `offset` query parameters.
 *
 * Two sources: the one task of every simulated DAG run (queue `default`,
 * the run's state), and the Celery queue depths set through the control
 * API (`PUT /simulator/v1/namespaces/{ns}/queues/{queue}`), which stand for
 * tasks of DAG {@link QUEUE_LOAD_DAG_ID} queued or running on that queue —
 * the same tasks KEDA scales the workers from.
 */
import { AirflowAnswer, AirflowDags, AirflowRelease } from './AirflowDags';
import { AirflowRuns, DEFAULT_OUTCOME, RunView } from './AirflowRuns';
import { SIMULATED_TASK_ID, taskInstanceJson } from './airflowRunShapes';

/** The queue depths of a namespace (see `SimulationState`). */
export interface QueueDepths {
  queuesOf(
    namespace: string,
  ): Array<{ queue: string; queued: number; running: number }>;
}

/** The DAG the queue-depth tasks belong to. */
export const QUEUE_LOAD_DAG_ID = 'simulated_queue_load';

/** The queue of the tasks of simulated runs. */
const RUN_QUEUE = 'default';

interface TaskInstanceSource {
  dagId: string;
  runId: string;
  state: string;
  queue: string;
  /** Builds the JSON; only for the page asked for. */
  json(release: AirflowRelease): Record<string, unknown>;
}

function runTasks(
  runs: RunView[],
  displayName: (dagId: string) => string,
): TaskInstanceSource[] {
  return runs.map(run => ({
    dagId: run.row.dagId,
    runId: run.row.runId,
    state: run.state,
    queue: RUN_QUEUE,
    json: release => taskInstanceJson(run, release, displayName(run.row.dagId)),
  }));
}

function queueLoadTasks(
  depths: ReturnType<QueueDepths['queuesOf']>,
  now: Date,
): TaskInstanceSource[] {
  return depths.flatMap(({ queue, queued, running }) => {
    const runId = `queue_load__${queue}`;
    const view = (index: number, state: 'queued' | 'running'): RunView => ({
      row: {
        id: index,
        dagId: QUEUE_LOAD_DAG_ID,
        runId,
        runType: 'manual',
        triggeredBy: 'rest_api',
        logicalDate: null,
        dataIntervalStart: null,
        dataIntervalEnd: null,
        runAfter: now,
        queuedAt: now,
        conf: {},
        note: null,
        outcome: DEFAULT_OUTCOME,
        clears: 0,
      },
      state,
      startDate: state === 'running' ? now : null,
      endDate: null,
    });
    const tasks = (count: number, state: 'queued' | 'running', first: number) =>
      Array.from({ length: count }, (_, i) => ({
        dagId: QUEUE_LOAD_DAG_ID,
        runId,
        state,
        queue,
        json: (release: AirflowRelease) => ({
          ...taskInstanceJson(
            view(first + i, state),
            release,
            QUEUE_LOAD_DAG_ID,
          ),
          task_id: `${SIMULATED_TASK_ID}_${first + i}`,
          ...(release.major >= 3
            ? { queue, task_display_name: `${SIMULATED_TASK_ID}_${first + i}` }
            : {}),
        }),
      }));
    return [
      ...tasks(queued, 'queued', 0),
      ...tasks(running, 'running', queued),
    ];
  });
}

/** Answers a task instance list. */
export function listTaskInstances(
  context: {
    dags: AirflowDags;
    runs: AirflowRuns;
    queues?: QueueDepths;
    namespace: string;
    release: AirflowRelease;
  },
  dagId: string,
  runId: string,
  filter: { states: string[]; queues: string[]; limit: number; offset: number },
): AirflowAnswer {
  const { dags, runs, namespace, release } = context;
  if (
    dagId !== '~' &&
    dagId !== QUEUE_LOAD_DAG_ID &&
    !dags.findDag(namespace, release, dagId)
  ) {
    return dags.dagNotFound(release, dagId);
  }
  dags.sync(namespace, release);
  const displayName = (id: string) =>
    dags.findDag(namespace, release, id)?.definition.displayName ?? id;
  const all = [
    ...runTasks(runs.list(namespace), displayName),
    ...queueLoadTasks(
      context.queues?.queuesOf(namespace) ?? [],
      runs.clock.now(),
    ),
  ].filter(
    task =>
      (dagId === '~' || task.dagId === dagId) &&
      (runId === '~' || task.runId === runId) &&
      (filter.states.length === 0 || filter.states.includes(task.state)) &&
      (filter.queues.length === 0 || filter.queues.includes(task.queue)),
  );
  const limit = Math.min(filter.limit, 100);
  return {
    status: 200,
    body: {
      task_instances: all
        .slice(filter.offset, filter.offset + limit)
        .map(task => task.json(release)),
      total_entries: all.length,
    },
  };
}
