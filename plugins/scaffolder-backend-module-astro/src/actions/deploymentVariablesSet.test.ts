import { parse } from 'yaml';
import { FakeAstroApi, makeDeployment } from '../__testUtils__/fakeAstroApi';
import {
  actionContext,
  CheckpointStore,
  testActionOptions,
} from '../__testUtils__/actionContext';
import { createAstroDeploymentVariablesSetAction } from './deploymentVariablesSet';

describe('astro:deployment:variables:set', () => {
  let api: FakeAstroApi;
  let baseUrl = '';
  let closeServer: () => Promise<void>;
  afterEach(() => closeServer());
  const action = createAstroDeploymentVariablesSetAction(
    testActionOptions(() => baseUrl),
  );

  beforeEach(async () => {
    api = new FakeAstroApi();
    api.deployments = [makeDeployment('prod-etl')];
    api.variables.set('prod-etl', [
      { key: 'KEEP_ME', value: 'plain', secret: false },
      { key: 'OLD_SECRET', value: 'old-secret-value', secret: true },
      { key: 'CHANGE_ME', value: 'before', secret: false },
    ]);
    ({ baseUrl, close: closeServer } = await api.start());
  });

  const input = {
    organization: 'acme',
    deployment: 'prod-etl',
    variables: [
      { key: 'CHANGE_ME', value: 'after' },
      { key: 'NEW_SECRET', value: 'new-secret-value-3f1e', secret: true },
    ],
  };

  it('merges the variables into the current ones, keeping secrets it never reads', async () => {
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(api.variables.get('prod-etl')).toEqual([
      { key: 'KEEP_ME', value: 'plain', secret: false },
      { key: 'OLD_SECRET', value: 'old-secret-value', secret: true },
      { key: 'CHANGE_ME', value: 'after', secret: false },
      { key: 'NEW_SECRET', value: 'new-secret-value-3f1e', secret: true },
    ]);
    const put = api.writes[0];
    expect(put.method).toBe('PUT');
    expect(put.body.environmentVariables).toContainEqual({
      key: 'OLD_SECRET',
      secret: true,
    });
    expect(put.authorization).toContain('user:default/mock');
    expect(ctx.output).toHaveBeenCalledWith('keys', [
      'KEEP_ME',
      'OLD_SECRET',
      'CHANGE_ME',
      'NEW_SECRET',
    ]);
  });

  it('replaces every variable when asked to', async () => {
    await action.handler(actionContext({ ...input, replace: true }));
    expect(api.variables.get('prod-etl')?.map(v => v.key)).toEqual([
      'CHANGE_ME',
      'NEW_SECRET',
    ]);
  });

  it('never logs or outputs a value', async () => {
    const ctx = actionContext(input);
    await action.handler(ctx);
    const logged = JSON.stringify([
      (ctx.logger.info as jest.Mock).mock.calls,
      (ctx.output as jest.Mock).mock.calls,
    ]);
    expect(logged).toContain('NEW_SECRET');
    expect(logged).not.toContain('new-secret-value-3f1e');
    expect(logged).not.toContain('after');
  });

  it('does not set the variables twice when the step is retried', async () => {
    const checkpoints = new CheckpointStore();
    await action.handler(actionContext(input, { checkpoints }));
    await action.handler(actionContext(input, { checkpoints }));
    expect(api.writes).toHaveLength(1);
  });

  it('changes nothing in a dry run, and refuses reserved names', async () => {
    const ctx = actionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(api.writes).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('keys', [
      'KEEP_ME',
      'OLD_SECRET',
      'CHANGE_ME',
      'NEW_SECRET',
    ]);
    await expect(
      action.handler(
        actionContext(
          {
            ...input,
            variables: [{ key: 'AIRFLOW__CORE__FERNET_KEY', value: 'x' }],
          },
          { isDryRun: true },
        ),
      ),
    ).rejects.toThrow(
      'variables: AIRFLOW__CORE__FERNET_KEY is set by the platform and cannot be changed',
    );
  });

  it('refuses a variable given twice', async () => {
    await expect(
      action.handler(
        actionContext({
          ...input,
          variables: [
            { key: 'A', value: '1' },
            { key: 'A', value: '2' },
          ],
        }),
      ),
    ).rejects.toThrow('variables: A is given more than once');
    expect(api.requests).toEqual([]);
  });

  it('documents examples that use this action', async () => {
    for (const example of action.examples ?? []) {
      const { steps } = parse(example.example);
      expect(steps[0].action).toBe('astro:deployment:variables:set');
      expect(Array.isArray(steps[0].input.variables)).toBe(true);
    }
    expect(action.examples?.length).toBeGreaterThan(0);
  });
});
