import { mockServices } from '@backstage/backend-test-utils';
import { ClusterAvailability } from './ClusterAvailability';

const failure = { message: 'Cluster a is unreachable', unreachable: true };

describe('ClusterAvailability', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('probes a down cluster alone, with backoff, and announces when it answers', async () => {
    let answers = false;
    const probes: number[] = [];
    const events: string[] = [];
    const availability = new ClusterAvailability({
      probe: async () => {
        probes.push(Date.now());
        if (!answers) {
          throw new Error('refused');
        }
      },
      onDown: cluster => events.push(`down ${cluster}`),
      onAnswered: cluster => events.push(`up ${cluster}`),
      backoff: { initialMs: 100, maxMs: 400, jitter: 0 },
      logger: mockServices.logger.mock(),
    });

    // A hundred Deployments failing at once make one outage.
    for (let i = 0; i < 100; i++) {
      availability.reportFailure('a', failure);
    }
    expect(events).toEqual(['down a']);
    expect(availability.failureOf('a')).toEqual(failure);
    expect(availability.isDown('b')).toBe(false);

    await jest.advanceTimersByTimeAsync(100 + 200 + 400 + 400);
    expect(probes).toHaveLength(4);
    const gaps = probes.slice(1).map((t, i) => t - probes[i]);
    expect(gaps).toEqual([200, 400, 400]);

    answers = true;
    await jest.advanceTimersByTimeAsync(400);
    expect(events).toEqual(['down a', 'up a']);
    expect(availability.anyDown).toBe(false);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(probes).toHaveLength(5);
    availability.stop();
  });

  it('tells since when a cluster is down and when it was last asked', async () => {
    jest.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    let answers = false;
    const availability = new ClusterAvailability({
      probe: async () => {
        if (!answers) {
          throw new Error('refused');
        }
      },
      onDown: () => {},
      onAnswered: () => {},
      backoff: { initialMs: 1000, maxMs: 1000, jitter: 0 },
      logger: mockServices.logger.mock(),
    });
    expect(availability.outageOf('a')).toBeUndefined();

    availability.reportFailure('a', failure);
    await jest.advanceTimersByTimeAsync(2_000);

    expect(availability.outageOf('a')).toEqual({
      failure,
      since: new Date('2026-12-03T10:00:00Z'),
      checkedAt: new Date('2026-12-03T10:00:02Z'),
    });
    answers = true;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(availability.outageOf('a')).toBeUndefined();
    availability.stop();
  });
});
