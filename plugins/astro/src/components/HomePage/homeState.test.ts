import { filtersOf, tabOf, toParams } from './homeState';

describe('the home address', () => {
  it('round-trips a tab and filters, keeping other parameters', () => {
    const params = toParams(new URLSearchParams('other=1'), 'deployments', {
      organization: 'acme',
      workspace: 'analytics',
      status: 'UNHEALTHY',
      search: 'etl',
      page: 2,
      pageSize: 50,
    });
    expect(params.toString()).toBe(
      'other=1&org=acme&ws=analytics&status=UNHEALTHY&q=etl&page=2&size=50',
    );
    expect(filtersOf(params)).toEqual({
      organization: 'acme',
      workspace: 'analytics',
      status: 'UNHEALTHY',
      search: 'etl',
      page: 2,
      pageSize: 50,
    });
    expect(tabOf(params)).toBe('deployments');
  });

  it('leaves defaults out and drops what makes no sense', () => {
    expect(
      toParams(new URLSearchParams('tab=clusters&page=3'), 'deployments', {
        page: 0,
        pageSize: 20,
      }).toString(),
    ).toBe('');
    expect(
      filtersOf(
        new URLSearchParams('ws=analytics&status=SLEEPY&page=-1&size=7&q=%20'),
      ),
    ).toEqual({
      organization: undefined,
      workspace: undefined,
      status: undefined,
      search: undefined,
      page: 0,
      pageSize: 20,
    });
    expect(tabOf(new URLSearchParams('tab=nope'))).toBe('deployments');
    expect(tabOf(new URLSearchParams('tab=workspaces'))).toBe('workspaces');
  });
});
