import { FaultInjector, parseFaultSettings } from './FaultInjector';

describe('FaultInjector', () => {
  it('fails requests of a verb at its rate, with the chosen status', () => {
    const faults = new FaultInjector({ seed: 42 });
    faults.configure({ errorRates: { apply: 0.5 }, errorStatus: 503 });
    const failures = Array.from({ length: 1000 }, () =>
      faults.failureFor('apply'),
    );
    const failed = failures.filter(Boolean);
    expect(failed.length).toBeGreaterThan(400);
    expect(failed.length).toBeLessThan(600);
    expect(failed[0]?.code).toBe(503);
    expect(faults.failureFor('get')).toBeUndefined();
  });

  it('adds latency for every verb or per verb', () => {
    const faults = new FaultInjector();
    faults.configure({ latencyMs: 20 });
    expect(faults.latencyFor('list')).toBe(20);
    faults.configure({ latencyMs: { watch: 5 } });
    expect(faults.latencyFor('watch')).toBe(5);
    expect(faults.latencyFor('list')).toBe(0);
  });

  it.each([
    [{ errorRates: { apply: 2 } }, /from 0 to 1/],
    [{ errorRates: { sing: 1 } }, /unknown verb/],
    [{ errorStatus: 404 }, /500, 503 or 429/],
    [{ latencyMs: -1 }, /milliseconds/],
    ['everything', /must be an object/],
  ])('rejects invalid settings %p', (input, message) => {
    expect(() => parseFaultSettings(input)).toThrow(message);
  });
});
