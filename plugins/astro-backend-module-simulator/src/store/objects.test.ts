import { clone } from './objects';

describe('clone', () => {
  it('copies JSON data deeply: no part of the copy is shared', () => {
    const original = {
      metadata: { name: 'a', labels: { x: '1' } },
      spec: { containers: [{ name: 'c', env: [{ name: 'E', value: 'v' }] }] },
      status: null,
      flags: [true, false, 0, ''],
      missing: undefined,
    };
    const copied = clone(original);
    expect(copied).toEqual(original);
    expect('missing' in copied).toBe(true);
    copied.metadata.labels.x = '2';
    copied.spec.containers[0].env[0].value = 'w';
    copied.flags.push(1);
    expect(original.metadata.labels.x).toBe('1');
    expect(original.spec.containers[0].env[0].value).toBe('v');
    expect(original.flags).toHaveLength(4);
  });

  it('keeps a "__proto__" key from JSON as data, not as the prototype', () => {
    const parsed = JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}');
    const copied = clone(parsed);
    expect(Object.getPrototypeOf(copied.metadata)).toBe(Object.prototype);
    expect(copied.metadata.polluted).toBeUndefined();
    expect(Object.keys(copied.metadata)).toEqual(['__proto__']);
    expect(JSON.stringify(copied)).toBe(JSON.stringify(parsed));
  });

  it('copies values that are not plain data with the general algorithm', () => {
    const when = new Date('2026-12-03T00:00:00Z');
    const copied = clone({ when });
    // (A Date of Node's realm, not of the test's: compared by its tag.)
    expect(Object.prototype.toString.call(copied.when)).toBe('[object Date]');
    expect(copied.when).not.toBe(when);
    expect(copied.when.getTime()).toBe(when.getTime());
  });
});
