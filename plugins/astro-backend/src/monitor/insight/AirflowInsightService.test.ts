import { DeploymentRecord, NewEvent } from '../../store';
import { AirflowInsightService } from './AirflowInsightService';
import { AirflowV2Adapter } from './AirflowV2Adapter';
import { InsightCache } from './InsightCache';
import { AirflowAnswerError, AirflowCall } from './types';

const NOW = new Date('2026-12-02T12:00:00Z');

const record = {
  id: 'dep-1',
  name: 'etl',
  organization_name: 'acme',
  airflow_url: 'https://etl.example.com',
} as DeploymentRecord;

/** A stand-in Airflow 3 answering a few routes; counts requests. */
function fakeAirflow() {
  const requests: string[] = [];
  let paused = false;
  let failNext: AirflowAnswerError | undefined;
  const call: AirflowCall = async (method, path, body) => {
    requests.push(`${method} ${path.split('?')[0]}`);
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    if (method === 'GET' && path.startsWith('/api/v2/dags?')) {
      return {
        dags: [
          {
            dag_id: 'etl',
            is_paused: paused,
            timetable_summary: '@hourly',
            owners: ['data-team'],
            tags: [{ name: 'etl', dag_id: 'etl' }],
            last_parsed_time: '2026-12-02T11:00:00.000000Z',
          },
        ],
        total_entries: 1,
      };
    }
    if (path === '/api/v2/dags/~/dagRuns/list') {
      return {
        dag_runs: [
          {
            dag_id: 'etl',
            dag_run_id: 'scheduled__2026-12-02T11:00:00+00:00',
            state: 'failed',
            run_type: 'scheduled',
            run_after: '2026-12-02T11:00:00.000000Z',
            logical_date: '2026-12-02T11:00:00.000000Z',
            start_date: '2026-12-02T11:00:05.000000Z',
            end_date: '2026-12-02T11:01:05.000000Z',
          },
        ],
        total_entries: 1,
      };
    }
    if (method === 'PATCH') {
      paused = (body as { is_paused: boolean }).is_paused;
      return { dag_id: 'etl', is_paused: paused, owners: [], tags: [] };
    }
    throw new AirflowAnswerError(`${method} ${path}`, 404, 'Not Found');
  };
  return {
    call,
    requests,
    fail: (error: AirflowAnswerError) => {
      failNext = error;
    },
  };
}

function setup() {
  const airflow = fakeAirflow();
  const events: NewEvent[] = [];
  const service = new AirflowInsightService({
    getRecord: async () => record,
    connections: {
      open: async () => ({
        call: airflow.call,
        adapter: new AirflowV2Adapter(),
      }),
    },
    mutations: {
      run: async mutation => {
        const outcome = await mutation({} as any, NOW);
        events.push(...outcome.events);
        return outcome.result;
      },
    },
    cache: new InsightCache(60_000),
    clock: () => NOW,
  });
  return { airflow, events, service };
}

describe('AirflowInsightService', () => {
  it('joins runs into the DAGs, reads each section once per TTL, and links failures', async () => {
    const { airflow, service } = setup();
    const [a, b] = await Promise.all([
      service.dags('acme', 'etl'),
      service.dags('acme', 'etl'),
    ]);
    expect(a).toEqual(b);
    expect(a.items[0]).toEqual({
      dagId: 'etl',
      isPaused: false,
      schedule: '@hourly',
      owners: ['data-team'],
      tags: ['etl'],
      lastParsedAt: '2026-12-02T11:00:00.000Z',
      lastRunState: 'failed',
      runs24h: { queued: 0, running: 0, success: 0, failed: 1 },
    });
    const summary = await service.runSummary('acme', 'etl');
    expect(summary.lastFailures[0].url).toBe(
      'https://etl.example.com/dags/etl/runs/scheduled__2026-12-02T11%3A00%3A00%2B00%3A00',
    );
    expect(airflow.requests).toEqual([
      'GET /api/v2/dags',
      'POST /api/v2/dags/~/dagRuns/list',
    ]);
  });

  it('records an action in the events and drops the cached answers', async () => {
    const { airflow, events, service } = setup();
    await service.dags('acme', 'etl');
    await service.setPaused('acme', 'etl', 'etl', true, 'user:default/ada');
    expect(events).toEqual([
      expect.objectContaining({
        action: 'airflow-dag-paused',
        actor: 'user:default/ada',
        deploymentId: 'dep-1',
        after: { dagId: 'etl', isPaused: true },
      }),
    ]);
    expect((await service.dags('acme', 'etl')).items[0].isPaused).toBe(true);
    expect(airflow.requests.filter(r => r === 'GET /api/v2/dags')).toHaveLength(
      2,
    );
  });

  it('turns Airflow errors into 503s naming the request, and refusals of actions into 4xx', async () => {
    const { airflow, events, service } = setup();
    airflow.fail(
      new AirflowAnswerError('GET /api/v2/pools', 500, 'database is locked'),
    );
    await expect(service.pools('acme', 'etl')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'The Airflow of Deployment "acme/etl" answered 500 to GET /api/v2/pools: database is locked',
    });
    airflow.fail(
      new AirflowAnswerError('GET /api/v2/pools', 401, 'Token Expired'),
    );
    await expect(service.pools('acme', 'etl')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        "Airflow refused the backend's service credential",
      ),
    });
    await expect(
      service.trigger('acme', 'etl', 'nope', {}, 'user:default/ada'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    airflow.fail(
      new AirflowAnswerError(
        'PATCH /api/v2/dags/etl',
        422,
        'body.is_paused: bad',
      ),
    );
    await expect(
      service.setPaused('acme', 'etl', 'etl', true, 'user:default/ada'),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(events).toEqual([]);
  });
});
