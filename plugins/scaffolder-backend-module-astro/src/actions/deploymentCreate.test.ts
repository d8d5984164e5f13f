import { mockCredentials } from '@backstage/backend-test-utils';
import { parse } from 'yaml';
import { FakeAstroApi } from '../__testUtils__/fakeAstroApi';
import {
  actionContext,
  CheckpointStore,
  testActionOptions,
} from '../__testUtils__/actionContext';
import { createAstroDeploymentCreateAction } from './deploymentCreate';

describe('astro:deployment:create', () => {
  let api: FakeAstroApi;
  let baseUrl = '';
  let closeServer: () => Promise<void>;
  afterEach(() => closeServer());
  const action = createAstroDeploymentCreateAction(
    testActionOptions(() => baseUrl),
  );

  beforeEach(async () => {
    api = new FakeAstroApi();
    ({ baseUrl, close: closeServer } = await api.start());
  });

  const input = {
    organization: 'acme',
    workspace: 'data-eng',
    name: 'prod-etl',
    title: 'Production ETL',
    settings: {
      executor: 'CELERY' as const,
      schedulerSize: 'MEDIUM' as const,
      workerQueues: [
        { name: 'default', isDefault: true, minWorkers: 1, maxWorkers: 20 },
      ],
    },
  };

  it('creates the Deployment as the user who runs the template', async () => {
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(api.writes).toEqual([
      {
        method: 'POST',
        path: '/organizations/acme/deployments',
        authorization: `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.user(),
          targetPluginId: 'astro',
        })}`,
        idempotencyKey: 'scaffolder:task-1:astro-step',
        body: {
          name: 'prod-etl',
          workspace: 'data-eng',
          title: 'Production ETL',
          settings: input.settings,
        },
      },
    ]);
    expect(api.deployments.map(d => d.name)).toEqual(['prod-etl']);
    expect(ctx.output).toHaveBeenCalledWith('name', 'prod-etl');
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'astrodeployment:acme/prod-etl',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'portalUrl',
      'http://portal.test/astro/organizations/acme/deployments/prod-etl',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'namespace',
      'astro-prod-etl-0a1b2c',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'CREATING');
    // inherited from the workspace
    expect(ctx.output).toHaveBeenCalledWith(
      'owner',
      'group:default/data-engineering',
    );
  });

  it('does not create again when a finished step is retried', async () => {
    const checkpoints = new CheckpointStore();
    await action.handler(actionContext(input, { checkpoints }));
    const retry = actionContext(input, { checkpoints });
    await action.handler(retry);

    expect(api.writes).toHaveLength(1);
    expect(api.deployments).toHaveLength(1);
    expect(retry.output).toHaveBeenCalledWith(
      'namespace',
      'astro-prod-etl-0a1b2c',
    );
  });

  it('gets the first response back when the task died before its checkpoint was stored', async () => {
    const checkpoints = new CheckpointStore();
    checkpoints.loseNext = true;
    await expect(
      action.handler(actionContext(input, { checkpoints })),
    ).rejects.toThrow('The worker died');
    const retry = actionContext(input, { checkpoints });
    await action.handler(retry);

    const posts = api.writes;
    expect(posts).toHaveLength(2);
    expect(posts[1].idempotencyKey).toBe(posts[0].idempotencyKey);
    expect(api.deployments).toHaveLength(1);
    expect(retry.output).toHaveBeenCalledWith('status', 'CREATING');
  });

  it('fails when the name is taken by another Deployment', async () => {
    await action.handler(actionContext(input, { taskId: 'first' }));
    await expect(
      action.handler(actionContext(input, { taskId: 'second' })),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message:
          '409 from /api/astro/organizations/acme/deployments: The name is taken',
      }),
    );
  });

  describe('dry run', () => {
    it('checks everything and creates nothing', async () => {
      const ctx = actionContext(input, { isDryRun: true });
      await action.handler(ctx);

      expect(api.writes).toEqual([]);
      expect(api.requests.map(r => r.path)).toEqual([
        '/organizations/acme/workspaces/data-eng',
        '/organizations/acme/deployments/prod-etl',
        '/clusters',
        '/deployment-options',
      ]);
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        'astrodeployment:acme/prod-etl',
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'portalUrl',
        'http://portal.test/astro/organizations/acme/deployments/prod-etl',
      );
    });

    it('fails for a missing workspace', async () => {
      await expect(
        action.handler(
          actionContext({ ...input, workspace: 'nope' }, { isDryRun: true }),
        ),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'NotFoundError',
          message: 'Workspace acme/nope does not exist',
        }),
      );
    });

    it('fails for a cluster that does not exist', async () => {
      await expect(
        action.handler(
          actionContext({ ...input, cluster: 'nope' }, { isDryRun: true }),
        ),
      ).rejects.toThrow('Cluster nope does not exist');
    });

    it('fails for a name that is taken', async () => {
      await action.handler(actionContext(input));
      await expect(
        action.handler(actionContext(input, { isDryRun: true })),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message: 'Deployment acme/prod-etl already exists',
        }),
      );
    });

    it('fails for settings the backend would refuse, naming the field', async () => {
      await expect(
        action.handler(
          actionContext(
            {
              ...input,
              settings: {
                ...input.settings,
                workerQueues: [
                  { name: 'default', isDefault: true, maxWorkers: 99 },
                ],
              },
            },
            { isDryRun: true },
          ),
        ),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(
            /^Worker queue default, Maximum workers: must be at most \d+$/,
          ),
        }),
      );
    });
  });

  describe('secret variables', () => {
    const SECRET = 'tok-5f2a9c';
    const withSecret = {
      ...input,
      settings: {
        ...input.settings,
        environmentVariables: [
          { key: 'LOG_LEVEL', value: 'debug', secret: false },
          { key: 'API_TOKEN', secret: true },
        ],
      },
      secretVariables: { API_TOKEN: SECRET },
    };

    it('sends the value from secretVariables and never logs or outputs it', async () => {
      const ctx = actionContext(withSecret);
      await action.handler(ctx);

      expect(api.writes[0].body.settings.environmentVariables).toEqual([
        { key: 'LOG_LEVEL', value: 'debug', secret: false },
        { key: 'API_TOKEN', value: SECRET, secret: true },
      ]);
      const said = JSON.stringify([
        (ctx.logger.info as jest.Mock).mock.calls,
        (ctx.output as jest.Mock).mock.calls,
      ]);
      expect(said).toContain('Created Deployment acme/prod-etl');
      expect(said).not.toContain(SECRET);
    });

    it('takes the values as JSON text, as template secrets hold them, and refuses other text without repeating it', async () => {
      await action.handler(
        actionContext({
          ...withSecret,
          secretVariables: JSON.stringify({ API_TOKEN: SECRET }),
        }),
      );
      expect(api.writes[0].body.settings.environmentVariables[1]).toEqual({
        key: 'API_TOKEN',
        value: SECRET,
        secret: true,
      });

      const refused = action.handler(
        actionContext({
          ...withSecret,
          name: 'other',
          secretVariables: SECRET,
        }),
      );
      await expect(refused).rejects.toThrow(
        'secretVariables: must be an object of values by key, or its JSON text',
      );
      await expect(refused).rejects.not.toThrow(SECRET);
    });

    it('refuses a value for a key that is not a secret variable of the settings', async () => {
      await expect(
        action.handler(
          actionContext({
            ...withSecret,
            secretVariables: { API_TOKEN: SECRET, LOG_LEVEL: 'x' },
          }),
        ),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message:
            'secretVariables: LOG_LEVEL must be secret environment variables of the settings',
        }),
      );
      expect(api.writes).toEqual([]);
    });
  });

  it('documents examples that use this action', () => {
    expect(action.examples?.length).toBeGreaterThan(0);
    for (const example of action.examples ?? []) {
      const { steps } = parse(example.example);
      expect(steps[0].action).toBe('astro:deployment:create');
      expect(steps[0].input).toHaveProperty('name');
    }
  });

  it('runs its first example', async () => {
    const { steps } = parse(action.examples![0].example);
    await action.handler(actionContext(steps[0].input));
    expect(api.deployments.map(d => d.name)).toEqual(['prod-etl']);
  });
});
