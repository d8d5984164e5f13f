import { deploymentTabOf, withDeploymentTab } from './deploymentTabs';

describe('deploymentTabOf', () => {
  it('reads a known tab from the address', () => {
    expect(deploymentTabOf(new URLSearchParams('tab=dags'))).toBe('dags');
    expect(deploymentTabOf(new URLSearchParams('tab=environment'))).toBe(
      'environment',
    );
  });

  it('falls back to Overview for a missing or unknown tab', () => {
    expect(deploymentTabOf(new URLSearchParams())).toBe('overview');
    expect(deploymentTabOf(new URLSearchParams('tab=nonsense'))).toBe(
      'overview',
    );
    expect(deploymentTabOf(new URLSearchParams('tab=DAGS'))).toBe('overview');
  });
});

describe('withDeploymentTab', () => {
  it('writes the tab and keeps other parameters', () => {
    const next = withDeploymentTab(new URLSearchParams('x=1'), 'access');
    expect(next.toString()).toBe('x=1&tab=access');
  });

  it('drops the parameter for Overview, the default', () => {
    const next = withDeploymentTab(
      new URLSearchParams('tab=events&x=1'),
      'overview',
    );
    expect(next.toString()).toBe('x=1');
  });
});
