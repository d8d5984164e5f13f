import { parse } from 'yaml';
import { FakeAstroApi } from '../__testUtils__/fakeAstroApi';
import {
  actionContext,
  CheckpointStore,
  testActionOptions,
} from '../__testUtils__/actionContext';
import { createAstroWorkspaceCreateAction } from './workspaceCreate';

describe('astro:workspace:create', () => {
  let api: FakeAstroApi;
  let baseUrl = '';
  let closeServer: () => Promise<void>;
  afterEach(() => closeServer());
  const action = createAstroWorkspaceCreateAction(
    testActionOptions(() => baseUrl),
  );

  beforeEach(async () => {
    api = new FakeAstroApi();
    ({ baseUrl, close: closeServer } = await api.start());
  });

  const input = {
    organization: 'acme',
    name: 'ml',
    title: 'Machine Learning',
    owner: 'group:default/ml',
  };

  it('creates the workspace as the user and outputs its entity and page', async () => {
    const ctx = actionContext(input);
    await action.handler(ctx);
    expect(api.writes).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/organizations/acme/workspaces',
        idempotencyKey: 'scaffolder:task-1:astro-step',
        body: {
          name: 'ml',
          title: 'Machine Learning',
          owner: 'group:default/ml',
        },
        authorization: expect.stringContaining('user:default/mock'),
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'astroworkspace:acme/ml',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'portalUrl',
      'http://portal.test/astro/organizations/acme/workspaces/ml',
    );
  });

  it('creates once across retries', async () => {
    const checkpoints = new CheckpointStore();
    checkpoints.loseNext = true;
    await expect(
      action.handler(actionContext(input, { checkpoints })),
    ).rejects.toThrow('The worker died');
    await action.handler(actionContext(input, { checkpoints }));
    await action.handler(actionContext(input, { checkpoints }));
    expect(api.writes).toHaveLength(2);
    expect(api.workspaces.filter(w => w.name === 'ml')).toHaveLength(1);
  });

  it('checks the organization and the name in a dry run', async () => {
    const ctx = actionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(api.writes).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'astroworkspace:acme/ml',
    );

    await expect(
      action.handler(
        actionContext({ ...input, name: 'data-eng' }, { isDryRun: true }),
      ),
    ).rejects.toThrow('Workspace acme/data-eng already exists');
    await expect(
      action.handler(
        actionContext({ ...input, organization: 'nope' }, { isDryRun: true }),
      ),
    ).rejects.toThrow('Organization nope does not exist');
  });

  it('documents examples that use this action', async () => {
    api.workspaces = [];
    const { steps } = parse(action.examples![0].example);
    expect(steps[0].action).toBe('astro:workspace:create');
    await action.handler(actionContext(steps[0].input, { isDryRun: true }));
  });
});
