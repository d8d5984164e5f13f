import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1000, jitter: 0 };

  it('doubles per attempt from the initial delay up to the largest', () => {
    expect([1, 2, 3, 4, 5, 6].map(a => backoffDelay(a, options))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('stays at the largest delay for very many attempts', () => {
    expect(backoffDelay(5000, options)).toBe(1000);
  });

  it('treats attempts below 1 as the first', () => {
    expect(backoffDelay(0, options)).toBe(100);
    expect(backoffDelay(-3, options)).toBe(100);
  });

  it('takes a random share of up to `jitter` off each delay', () => {
    const jittered = { ...options, jitter: 0.5 };
    expect(backoffDelay(3, jittered, () => 0)).toBe(400);
    expect(backoffDelay(3, jittered, () => 0.5)).toBe(300);
    expect(backoffDelay(3, jittered, () => 0.999999)).toBe(200);
    // The cap applies before the jitter: a capped delay is spread too.
    expect(backoffDelay(10, jittered, () => 1)).toBe(500);
  });

  it('jitters half of each delay by default, within bounds', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(2, { initialMs: 100, maxMs: 1000 });
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(200);
    }
  });

  it('clamps a jitter outside 0..1', () => {
    expect(backoffDelay(1, { ...options, jitter: 3 }, () => 0.5)).toBe(50);
    expect(backoffDelay(1, { ...options, jitter: -1 }, () => 0.5)).toBe(100);
  });
});
