import { HibernationSchedule } from '@airflow-portal/plugin-astro-common';
import { planHibernation } from './planHibernation';

const weeknights: HibernationSchedule = {
  hibernateAt: '0 20 * * 1-5',
  wakeAt: '0 7 * * 1-5',
  timeZone: 'UTC',
  enabled: true,
};

const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

describe('planHibernation', () => {
  it('is awake with no schedule and has nothing to wait for', () => {
    const plan = planHibernation({
      schedules: [],
      now: at('2026-12-02T12:00:00Z'),
    });
    expect(plan).toMatchObject({ hibernating: false, source: 'none' });
    expect(plan.nextEvaluationAt).toBeUndefined();
    expect(plan.upcoming).toEqual([]);
  });

  it('sleeps between hibernateAt and wakeAt, across the weekend, and lists the next transitions', () => {
    // Wednesday 2026-12-02, noon: awake until 20:00.
    const noon = planHibernation({
      schedules: [weeknights],
      now: at('2026-12-02T12:00:00Z'),
    });
    expect(noon.hibernating).toBe(false);
    expect(iso(noon.nextEvaluationAt)).toBe('2026-12-02T20:00:00.000Z');
    expect(noon.upcoming.map(t => [t.at.toISOString(), t.hibernating])).toEqual(
      [
        ['2026-12-02T20:00:00.000Z', true],
        ['2026-12-03T07:00:00.000Z', false],
        ['2026-12-03T20:00:00.000Z', true],
        ['2026-12-04T07:00:00.000Z', false],
      ],
    );

    // Saturday: still asleep since Friday 20:00, wakes on Monday.
    const saturday = planHibernation({
      schedules: [weeknights],
      now: at('2026-12-05T15:00:00Z'),
    });
    expect(saturday.hibernating).toBe(true);
    expect(saturday.reason).toMatch(/0 20 \* \* 1-5 → 0 7 \* \* 1-5, UTC/);
    expect(iso(saturday.upcoming[0]?.at)).toBe('2026-12-07T07:00:00.000Z');
    expect(saturday.upcoming[0]?.hibernating).toBe(false);
  });

  it('takes the new state at the very minute a schedule fires', () => {
    const schedules = [weeknights];
    expect(
      planHibernation({ schedules, now: at('2026-12-02T19:59:59.999Z') })
        .hibernating,
    ).toBe(false);
    expect(
      planHibernation({ schedules, now: at('2026-12-02T20:00:00.000Z') })
        .hibernating,
    ).toBe(true);
    expect(
      planHibernation({ schedules, now: at('2026-12-03T07:00:00.000Z') })
        .hibernating,
    ).toBe(false);
  });

  it('reads the cron expressions in the schedule time zone, following daylight saving time', () => {
    const berlin: HibernationSchedule = {
      hibernateAt: '0 20 * * *',
      wakeAt: '0 7 * * *',
      timeZone: 'Europe/Berlin',
      enabled: true,
    };
    // Winter (UTC+1): 20:00 in Berlin is 19:00 UTC.
    const winter = planHibernation({
      schedules: [berlin],
      now: at('2026-03-27T12:00:00Z'),
    });
    expect(iso(winter.upcoming[0]?.at)).toBe('2026-03-27T19:00:00.000Z');
    // Clocks go forward on 2026-03-29: the night of the 28th wakes at
    // 07:00 CEST, 05:00 UTC, and the next evening sleeps at 18:00 UTC.
    const spring = planHibernation({
      schedules: [berlin],
      now: at('2026-03-28T22:00:00Z'),
    });
    expect(spring.hibernating).toBe(true);
    expect(spring.upcoming.slice(0, 2).map(t => iso(t.at))).toEqual([
      '2026-03-29T05:00:00.000Z',
      '2026-03-29T18:00:00.000Z',
    ]);
    // 02:30 does not exist on that day; the schedule fires at 03:00 instead
    // of skipping the night.
    const missingHour = planHibernation({
      schedules: [
        { ...berlin, hibernateAt: '30 2 * * *', wakeAt: '0 6 * * *' },
      ],
      now: at('2026-03-28T12:00:00Z'),
    });
    expect(iso(missingHour.upcoming[0]?.at)).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 happens twice when clocks go back on 2026-10-25: it fires once.
    const repeatedHour = planHibernation({
      schedules: [
        { ...berlin, hibernateAt: '30 2 * * *', wakeAt: '0 6 * * *' },
      ],
      now: at('2026-10-24T12:00:00Z'),
    });
    expect(repeatedHour.upcoming.slice(0, 3).map(t => iso(t.at))).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T05:00:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('ignores disabled schedules', () => {
    const plan = planHibernation({
      schedules: [{ ...weeknights, enabled: false }],
      now: at('2026-12-05T15:00:00Z'),
    });
    expect(plan).toMatchObject({ hibernating: false, source: 'none' });
    expect(plan.upcoming).toEqual([]);
    expect(plan.nextEvaluationAt).toBeUndefined();
  });

  it('sleeps while any of overlapping schedules sleeps, and wakes when the last one wakes', () => {
    const evenings: HibernationSchedule = {
      hibernateAt: '0 18 * * *',
      wakeAt: '0 22 * * *',
      timeZone: 'UTC',
      enabled: true,
    };
    const nights: HibernationSchedule = {
      hibernateAt: '0 21 * * *',
      wakeAt: '0 6 * * *',
      timeZone: 'UTC',
      enabled: true,
    };
    const plan = planHibernation({
      schedules: [evenings, nights],
      now: at('2026-12-02T12:00:00Z'),
    });
    expect(plan.hibernating).toBe(false);
    // 18:00 sleep (evenings); 21:00 and 22:00 change nothing; 06:00 wake.
    expect(
      plan.upcoming.slice(0, 2).map(t => [iso(t.at), t.hibernating]),
    ).toEqual([
      ['2026-12-02T18:00:00.000Z', true],
      ['2026-12-03T06:00:00.000Z', false],
    ]);
    // The timer still fires at each candidate moment in between.
    expect(iso(plan.nextEvaluationAt)).toBe('2026-12-02T18:00:00.000Z');
    const at2130 = planHibernation({
      schedules: [evenings, nights],
      now: at('2026-12-02T21:30:00Z'),
    });
    expect(at2130.hibernating).toBe(true);
    expect(iso(at2130.nextEvaluationAt)).toBe('2026-12-02T22:00:00.000Z');
  });

  it('lets an override win until its time, then expires by itself', () => {
    const saturday = at('2026-12-05T15:00:00Z');
    const awake = planHibernation({
      schedules: [weeknights],
      override: {
        isHibernating: false,
        overrideUntil: at('2026-12-05T18:00:00Z'),
      },
      now: saturday,
    });
    expect(awake).toMatchObject({ hibernating: false, source: 'override' });
    expect(awake.reason).toBe(
      'Kept awake by override until 2026-12-05T18:00:00.000Z',
    );
    expect(iso(awake.nextEvaluationAt)).toBe('2026-12-05T18:00:00.000Z');
    expect(awake.upcoming[0]).toEqual({
      at: at('2026-12-05T18:00:00Z'),
      hibernating: true,
    });

    const expired = planHibernation({
      schedules: [weeknights],
      override: {
        isHibernating: false,
        overrideUntil: at('2026-12-05T18:00:00Z'),
      },
      now: at('2026-12-05T18:00:00Z'),
    });
    expect(expired).toMatchObject({ hibernating: true, source: 'schedule' });
    expect(expired.override).toBeUndefined();
  });

  it('holds an override without an end until it is removed', () => {
    const plan = planHibernation({
      schedules: [weeknights],
      override: { isHibernating: true },
      now: at('2026-12-02T12:00:00Z'),
    });
    expect(plan).toMatchObject({
      hibernating: true,
      source: 'override',
      reason: 'Hibernating by override until the override is removed',
    });
    expect(plan.nextEvaluationAt).toBeUndefined();
    expect(plan.upcoming).toEqual([]);
  });

  it('hibernates by an override on a Deployment without schedules, and wakes when it expires', () => {
    const plan = planHibernation({
      schedules: [],
      override: {
        isHibernating: true,
        overrideUntil: at('2026-12-02T14:00:00Z'),
      },
      now: at('2026-12-02T12:00:00Z'),
    });
    expect(plan.hibernating).toBe(true);
    expect(plan.upcoming).toEqual([
      { at: at('2026-12-02T14:00:00Z'), hibernating: false },
    ]);
  });
});
