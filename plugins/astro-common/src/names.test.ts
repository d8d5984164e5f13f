import {
  describeInvalidDeploymentName,
  describeInvalidName,
  isValidResourceName,
  MAX_RESOURCE_NAME_LENGTH,
} from './names';

describe('resource names', () => {
  it.each(['a', 'prod', 'data-eng-2', 'a'.repeat(MAX_RESOURCE_NAME_LENGTH)])(
    'accepts %s',
    name => {
      expect(isValidResourceName(name)).toBe(true);
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['Prod', 'lowercase'],
    ['-prod', 'start and end'],
    ['prod-', 'start and end'],
    ['pr_od', 'lowercase'],
    ['prod.eu', 'lowercase'],
    ["x'; drop table x;--", 'lowercase'],
    ['a'.repeat(MAX_RESOURCE_NAME_LENGTH + 1), 'at most 40'],
  ])('rejects %j', (name, reason) => {
    expect(isValidResourceName(name)).toBe(false);
    expect(describeInvalidName(name)).toContain(reason);
  });

  it('rejects values that are not strings', () => {
    expect(isValidResourceName(42)).toBe(false);
    expect(isValidResourceName(undefined)).toBe(false);
  });
});

describe('deployment names', () => {
  it('reserves the path segments of the portal', () => {
    expect(describeInvalidDeploymentName('new')).toBe('"new" is reserved');
    expect(describeInvalidDeploymentName('newer')).toBeUndefined();
    expect(describeInvalidDeploymentName('Bad')).toContain('lowercase');
  });
});
