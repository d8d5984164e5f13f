import { AirflowRequestBudget } from './AirflowRequestBudget';

describe('AirflowRequestBudget', () => {
  it('pays at most perMinute requests per Deployment in any 60 s', () => {
    let now = 0;
    const budget = new AirflowRequestBudget(3, () => now);
    expect([1, 2, 3, 4].map(() => budget.take('a'))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // Another Deployment has its own budget.
    expect(budget.take('b')).toBe(true);
    now = 59_999;
    expect(budget.take('a')).toBe(false);
    now = 60_000;
    expect(budget.remaining('a')).toBe(3);
    expect(budget.take('a')).toBe(true);
    expect(budget.take('b')).toBe(true);
    budget.retain(new Set(['b']));
    expect(budget.remaining('a')).toBe(3);
    expect(budget.remaining('b')).toBe(2);
  });

  it('tells how long until a number of requests fits', () => {
    let now = 0;
    const budget = new AirflowRequestBudget(4, () => now);
    expect(budget.msUntil('a', 3)).toBe(0);
    budget.take('a');
    now = 100;
    budget.take('a');
    now = 200;
    budget.take('a');
    // 1 left: 3 fit once the first two have left the window.
    now = 59_000;
    expect(budget.msUntil('a', 1)).toBe(0);
    expect(budget.msUntil('a', 3)).toBe(60_100 - 59_000);
    now = 60_100;
    expect(budget.msUntil('a', 3)).toBe(0);
    expect(budget.remaining('a')).toBe(3);
    // More than the budget never fits.
    expect(budget.msUntil('a', 5)).toBe(Infinity);
  });
});
