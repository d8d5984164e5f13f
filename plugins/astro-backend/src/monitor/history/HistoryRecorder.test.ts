import {
  HistoryObservation,
  HistoryRunCounts,
  HistoryStore,
} from '../../store';
import { DeploymentObservation } from '../incidents/evaluateIncidents';
import { FinishedRun } from '../pass/advanceWatermark';
import { HistoryRecorder } from './HistoryRecorder';

const MIN = 60_000;
const NOW = new Date('2026-12-03T10:07:30.000Z');

/** Keeps what the recorder writes, to look at. */
class WrittenHistory implements HistoryStore {
  observations: HistoryObservation[] = [];
  runs: HistoryRunCounts[][] = [];
  deletedBefore: Date[] = [];
  async recordObservation(_id: string, observation: HistoryObservation) {
    this.observations.push(observation);
  }
  async addRuns(_id: string, counts: HistoryRunCounts[]) {
    this.runs.push(counts);
  }
  async range() {
    return [];
  }
  async deleteBefore(before: Date) {
    this.deletedBefore.push(before);
    return 0;
  }
}

const observation = (
  fields: Partial<DeploymentObservation> = {},
): DeploymentObservation => ({
  now: NOW,
  components: [],
  conditions: [],
  workerQueues: [
    {
      name: 'default',
      minWorkers: 0,
      maxWorkers: 4,
      desiredWorkers: 3,
      readyWorkers: 2,
    },
    {
      name: 'gpu',
      minWorkers: 0,
      maxWorkers: 2,
      desiredWorkers: 1,
      readyWorkers: 1,
    },
  ],
  heartbeats: {
    scheduler: {
      status: 'healthy',
      latestHeartbeat: '2026-12-03T10:07:26.000Z',
    },
    triggerer: null,
    'dag-processor': { status: 'healthy', latestHeartbeat: null },
  },
  ...fields,
});

const run = (endDate: string, state: 'success' | 'failed'): FinishedRun =>
  ({
    dagId: 'etl',
    runId: `r-${endDate}`,
    state,
    startDate: endDate,
    endDate,
  } as FinishedRun);

function recorder() {
  const history = new WrittenHistory();
  return {
    history,
    recorder: new HistoryRecorder({
      history,
      settings: { bucketMs: 5 * MIN, retentionMs: 60 * MIN },
    }),
  };
}

describe('HistoryRecorder', () => {
  it('records status, heartbeat ages and workers summed over queues in the current bucket', async () => {
    const { history, recorder: r } = recorder();
    await r.record('d', observation(), 'HEALTHY', []);
    expect(history.observations).toEqual([
      {
        bucketStart: new Date('2026-12-03T10:05:00.000Z'),
        status: 'HEALTHY',
        heartbeatAgeSeconds: {
          scheduler: 4,
          triggerer: undefined,
          dagProcessor: undefined,
        },
        workers: { desired: 4, ready: 3 },
      },
    ]);
    expect(history.runs).toEqual([]);
  });

  it('records no heartbeats or workers it was not told', async () => {
    const { history, recorder: r } = recorder();
    await r.record(
      'd',
      observation({ heartbeats: undefined, workerQueues: [] }),
      'UNKNOWN',
      [],
    );
    expect(history.observations[0]).toEqual({
      bucketStart: new Date('2026-12-03T10:05:00.000Z'),
      status: 'UNKNOWN',
      heartbeatAgeSeconds: {},
    });
  });

  it('counts announced runs in the buckets they ended in, skew into now and none past the retention', async () => {
    const { history, recorder: r } = recorder();
    await r.record('d', observation(), 'HEALTHY', [
      run('2026-12-03T10:01:00.000Z', 'success'),
      run('2026-12-03T10:04:59.999Z', 'failed'),
      run('2026-12-03T10:06:00.000Z', 'success'),
      run('2026-12-03T10:09:00.000Z', 'failed'),
      run('2026-12-03T08:00:00.000Z', 'failed'),
    ]);
    expect(history.runs).toEqual([
      [
        {
          bucketStart: new Date('2026-12-03T10:00:00.000Z'),
          success: 1,
          failed: 1,
        },
        {
          bucketStart: new Date('2026-12-03T10:05:00.000Z'),
          success: 1,
          failed: 1,
        },
      ],
    ]);
  });

  it('deletes points older than the retention', async () => {
    const { history, recorder: r } = recorder();
    await r.deleteExpired(NOW);
    expect(history.deletedBefore).toEqual([
      new Date('2026-12-03T09:07:30.000Z'),
    ]);
  });
});
