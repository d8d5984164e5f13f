import { InsightCache } from './InsightCache';

describe('InsightCache', () => {
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('shares one in-flight read between concurrent callers and keeps it for the TTL', async () => {
    const cache = new InsightCache(15_000, () => now);
    let loads = 0;
    let release!: (value: string) => void;
    const load = () => {
      loads += 1;
      return new Promise<string>(resolve => {
        release = resolve;
      });
    };
    const waiting = Array.from({ length: 5 }, () =>
      cache.get('dep-1', 'dags', load),
    );
    // In flight for longer than the TTL: still shared.
    now += 60_000;
    waiting.push(cache.get('dep-1', 'dags', load));
    release('answer');
    expect(await Promise.all(waiting)).toEqual(Array(6).fill('answer'));
    expect(loads).toBe(1);
    now += 14_000;
    await cache.get('dep-1', 'dags', async () => 'newer');
    expect(loads).toBe(1);
    now += 2_000;
    expect(await cache.get('dep-1', 'dags', async () => 'newer')).toBe('newer');
  });

  it('keeps sections and Deployments apart, and drops a Deployment on invalidate', async () => {
    const cache = new InsightCache(15_000, () => now);
    await cache.get('dep-1', 'dags', async () => 'a');
    await cache.get('dep-1', 'pools', async () => 'b');
    await cache.get('dep-2', 'dags', async () => 'c');
    expect(cache.size).toBe(3);
    cache.invalidate('dep-1');
    expect(cache.size).toBe(1);
    expect(await cache.get('dep-1', 'dags', async () => 'fresh')).toBe('fresh');
    expect(await cache.get('dep-2', 'dags', async () => 'other')).toBe('c');
    // Expired answers of idle Deployments are forgotten.
    now += 16_000;
    await cache.get('dep-3', 'dags', async () => 'd');
    expect(cache.size).toBe(1);
  });

  it('does not keep failures, and with a TTL of 0 keeps nothing settled', async () => {
    const cache = new InsightCache(15_000, () => now);
    await expect(
      cache.get('dep-1', 'dags', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await cache.get('dep-1', 'dags', async () => 'up')).toBe('up');
    const uncached = new InsightCache(0, () => now);
    await uncached.get('dep-1', 'dags', async () => 'a');
    expect(await uncached.get('dep-1', 'dags', async () => 'b')).toBe('b');
  });
});
