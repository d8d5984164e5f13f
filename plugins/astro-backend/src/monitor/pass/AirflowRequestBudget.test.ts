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
});
