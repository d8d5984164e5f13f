import { ConfigReader } from '@backstage/config';
import { readHistorySettings } from './readHistorySettings';

const monitor = (history: object) => new ConfigReader({ history });

describe('readHistorySettings', () => {
  it('defaults to 5-minute buckets kept 30 days', () => {
    expect(readHistorySettings(undefined)).toEqual({
      bucketMs: 5 * 60_000,
      retentionMs: 30 * 86_400_000,
    });
  });

  it('reads both keys', () => {
    expect(
      readHistorySettings(monitor({ bucketMinutes: 1, retentionDays: 0.5 })),
    ).toEqual({ bucketMs: 60_000, retentionMs: 43_200_000 });
  });

  it.each([
    [{ bucketMinutes: 0 }, /^astro\.monitor\.history\.bucketMinutes must be/],
    [{ bucketMinutes: 2.5 }, /^astro\.monitor\.history\.bucketMinutes must be/],
    [{ bucketMinutes: 2000 }, /^astro\.monitor\.history\.bucketMinutes must/],
    [{ retentionDays: 0 }, /^astro\.monitor\.history\.retentionDays must be/],
    [{ retentionDays: -3 }, /^astro\.monitor\.history\.retentionDays must be/],
    [
      { bucketMinutes: 1440, retentionDays: 0.5 },
      /retentionDays \(0\.5\) must keep at least one bucket/,
    ],
  ])('refuses %j naming the key', (history, message) => {
    expect(() => readHistorySettings(monitor(history))).toThrow(message);
  });
});
