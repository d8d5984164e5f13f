import { historyRange } from './historyRange';

const NOW = new Date('2026-12-03T10:00:00.000Z');
const DAY = 86_400_000;

describe('historyRange', () => {
  it('defaults to the last 24 hours', () => {
    expect(historyRange({}, NOW, 30 * DAY)).toEqual({
      since: new Date('2026-12-02T10:00:00.000Z'),
      until: NOW,
    });
  });

  it('defaults since to a day before a given until', () => {
    expect(
      historyRange({ until: '2026-12-01T00:00:00Z' }, NOW, 30 * DAY),
    ).toEqual({
      since: new Date('2026-11-30T00:00:00.000Z'),
      until: new Date('2026-12-01T00:00:00.000Z'),
    });
  });

  it('accepts offsets and fractions', () => {
    expect(
      historyRange(
        { since: '2026-12-03T09:30:00.250+01:00', until: '2026-12-03T09:00Z' },
        NOW,
        30 * DAY,
      ).since.toISOString(),
    ).toBe('2026-12-03T08:30:00.250Z');
  });

  it.each([
    ['since', { since: 'yesterday' }],
    ['since', { since: '1733220000' }],
    ['until', { until: '2026-13-45T99:00:00Z' }],
    ['until', { until: 'Dec 3 2026' }],
  ])('refuses a %s that is no ISO timestamp, naming it', (field, query) => {
    expect(() => historyRange(query, NOW, 30 * DAY)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(new RegExp(`^${field} must be`)),
      }),
    );
  });

  it('refuses a reversed or empty range', () => {
    const reversed = {
      since: '2026-12-03T09:00:00Z',
      until: '2026-12-03T08:00:00Z',
    };
    expect(() => historyRange(reversed, NOW, 30 * DAY)).toThrow(
      /^since \(2026-12-03T09:00:00.000Z\) must be before until/,
    );
    expect(() =>
      historyRange({ since: reversed.since, until: reversed.since }, NOW, DAY),
    ).toThrow(/must be before until/);
  });

  it('cuts the range to the retention', () => {
    expect(
      historyRange({ since: '2026-01-01T00:00:00Z' }, NOW, 7 * DAY).since,
    ).toEqual(new Date('2026-11-26T10:00:00.000Z'));
    // Wholly before the retention: an empty range at its end.
    const old = historyRange(
      { since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z' },
      NOW,
      7 * DAY,
    );
    expect(old.since).toEqual(old.until);
  });
});
