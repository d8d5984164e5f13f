import { mockServices } from '@backstage/backend-test-utils';
import { RoleBinding } from '@airflow-portal/plugin-astro-common';
import { RoleBindingsReader } from './RoleBindingsReader';

/** An API answering one binding per principal asked for, or failing. */
function api() {
  const calls: string[][] = [];
  let failing = false;
  return {
    calls,
    fail(value: boolean) {
      failing = value;
    },
    async listRoleBindingsOfPrincipals(request: {
      query: { principal: string[] };
    }) {
      calls.push(request.query.principal);
      if (failing) {
        throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
      }
      return {
        items: request.query.principal.map(
          (principal): RoleBinding => ({
            principal,
            role: 'WORKSPACE_MEMBER',
            scope: {
              kind: 'workspace',
              organization: 'acme',
              workspace: 'data-eng',
            },
            createdBy: 'user:default/admin',
            createdAt: '2026-01-01T00:00:00.000Z',
          }),
        ),
      };
    },
  };
}

describe('RoleBindingsReader', () => {
  it('caches per set of claims for the cache time, whatever their order', async () => {
    const astro = api();
    let now = 0;
    const reader = new RoleBindingsReader({
      api: astro,
      logger: mockServices.logger.mock(),
      cacheSeconds: 5,
      now: () => now,
    });
    const a = ['user:default/mia', 'group:default/team'];
    expect(await reader.bindingsOf(a)).toHaveLength(2);
    await reader.bindingsOf([...a].reverse());
    expect(astro.calls).toHaveLength(1);
    await reader.bindingsOf(['user:default/other']);
    expect(astro.calls).toHaveLength(2);
    now = 4_999;
    await reader.bindingsOf(a);
    expect(astro.calls).toHaveLength(2);
    now = 5_000;
    await reader.bindingsOf(a);
    expect(astro.calls).toHaveLength(3);
  });

  it('asks for at most 100 principals per request and joins the answers', async () => {
    const astro = api();
    const reader = new RoleBindingsReader({
      api: astro,
      logger: mockServices.logger.mock(),
    });
    const claims = Array.from({ length: 250 }, (_, i) => `group:default/g${i}`);
    const bindings = await reader.bindingsOf(claims);
    expect(astro.calls.map(c => c.length)).toEqual([100, 100, 50]);
    expect(bindings!.map(b => b.principal).sort()).toEqual([...claims].sort());
  });

  it('answers undefined and logs a warning when the backend fails, without caching the failure', async () => {
    const astro = api();
    const logger = mockServices.logger.mock();
    const reader = new RoleBindingsReader({ api: astro, logger });
    astro.fail(true);
    expect(await reader.bindingsOf(['user:default/mia'])).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/Could not read role bindings.*ECONNREFUSED/),
    );
    astro.fail(false);
    expect(await reader.bindingsOf(['user:default/mia'])).toHaveLength(1);
    expect(astro.calls).toHaveLength(2);
  });
});
