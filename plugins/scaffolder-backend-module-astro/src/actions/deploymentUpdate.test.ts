import { parse } from 'yaml';
import { FakeAstroApi, makeDeployment } from '../__testUtils__/fakeAstroApi';
import {
  actionContext,
  CheckpointStore,
  testActionOptions,
} from '../__testUtils__/actionContext';
import { createAstroDeploymentUpdateAction } from './deploymentUpdate';

describe('astro:deployment:update', () => {
  let api: FakeAstroApi;
  let baseUrl = '';
  let closeServer: () => Promise<void>;
  afterEach(() => closeServer());
  const action = createAstroDeploymentUpdateAction(
    testActionOptions(() => baseUrl),
  );

  beforeEach(async () => {
    api = new FakeAstroApi();
    api.deployments = [makeDeployment('prod-etl')];
    ({ baseUrl, close: closeServer } = await api.start());
  });

  const input = {
    organization: 'acme',
    deployment: 'prod-etl',
    owner: 'group:default/platform',
    settings: { schedulerSize: 'LARGE' as const },
  };

  it('changes the Deployment as the user and reports its new version', async () => {
    const ctx = actionContext(input);
    await action.handler(ctx);
    expect(api.writes).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        path: '/organizations/acme/deployments/prod-etl',
        body: {
          owner: 'group:default/platform',
          settings: { schedulerSize: 'LARGE' },
        },
        authorization: expect.stringContaining('user:default/mock'),
      }),
    ]);
    expect(api.deployments[0].settings.schedulerSize).toBe('LARGE');
    expect(ctx.output).toHaveBeenCalledWith('version', 2);
    expect(ctx.output).toHaveBeenCalledWith('generation', 2);
  });

  it('does not apply the change twice when the step is retried', async () => {
    const checkpoints = new CheckpointStore();
    await action.handler(actionContext(input, { checkpoints }));
    const retry = actionContext(input, { checkpoints });
    await action.handler(retry);
    expect(api.writes).toHaveLength(1);
    expect(retry.output).toHaveBeenCalledWith('version', 2);
  });

  it('checks the Deployment and the resulting settings in a dry run', async () => {
    const ctx = actionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(api.writes).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('version', 1);

    await expect(
      action.handler(
        actionContext(
          { ...input, settings: { airflowVersion: '1.10.15' } },
          { isDryRun: true },
        ),
      ),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^Airflow version: must be one of /),
      }),
    );
    await expect(
      action.handler(
        actionContext({ ...input, deployment: 'nope' }, { isDryRun: true }),
      ),
    ).rejects.toThrow('Deployment acme/nope does not exist');
    expect(api.writes).toEqual([]);
  });

  it('fails with the reason the backend gives', async () => {
    await expect(
      action.handler(actionContext({ ...input, deployment: 'nope' })),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message:
          '404 from /api/astro/organizations/acme/deployments/nope: No such Deployment',
      }),
    );
  });

  it('documents examples that use this action', async () => {
    for (const example of action.examples ?? []) {
      const { steps } = parse(example.example);
      expect(steps[0].action).toBe('astro:deployment:update');
      await action.handler(actionContext(steps[0].input, { isDryRun: true }));
    }
    expect(action.examples?.length).toBeGreaterThan(0);
  });
});
