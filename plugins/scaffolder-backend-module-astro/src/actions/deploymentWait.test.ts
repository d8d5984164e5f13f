import { parse } from 'yaml';
import { DeploymentStatus } from '@airflow-portal/plugin-astro-common';
import { FakeAstroApi, makeDeployment } from '../__testUtils__/fakeAstroApi';
import {
  actionContext,
  testActionOptions,
} from '../__testUtils__/actionContext';
import { createAstroDeploymentWaitAction } from './deploymentWait';

describe('astro:deployment:wait', () => {
  let api: FakeAstroApi;
  let baseUrl = '';
  let closeServer: () => Promise<void>;
  afterEach(() => closeServer());
  let now: number;
  /** Statuses the Deployment goes through, one per poll. */
  let timeline: Array<[DeploymentStatus, string?]>;
  const sleeps: number[] = [];

  const action = createAstroDeploymentWaitAction({
    ...testActionOptions(() => baseUrl),
    clock: {
      now: () => now,
      sleep: async ms => {
        sleeps.push(ms);
        now += ms;
        const next = timeline.shift();
        if (next) {
          Object.assign(api.deployments[0], {
            status: next[0],
            statusReason: next[1],
          });
        }
      },
    },
  });

  beforeEach(async () => {
    api = new FakeAstroApi();
    api.deployments = [makeDeployment('prod-etl')];
    ({ baseUrl, close: closeServer } = await api.start());
    now = 0;
    sleeps.length = 0;
    timeline = [];
  });

  const input = { organization: 'acme', deployment: 'prod-etl' };

  it('waits until the Deployment is HEALTHY', async () => {
    timeline = [
      ['DEPLOYING', 'Starting the scheduler'],
      ['DEPLOYING', 'Starting workers'],
      ['HEALTHY'],
    ];
    api.deployments[0].airflowUrl = 'https://airflow.example.com/prod-etl';
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(sleeps).toEqual([5000, 5000, 5000]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'HEALTHY');
    expect(ctx.output).toHaveBeenCalledWith(
      'airflowUrl',
      'https://airflow.example.com/prod-etl',
    );
    expect(ctx.logger.info).toHaveBeenCalledWith(
      'Deployment acme/prod-etl is DEPLOYING (Starting workers)',
    );
    expect(
      api.requests.every(r => r.authorization?.includes('user:default/mock')),
    ).toBe(true);
  });

  it('fails with the status reason when the timeout passes', async () => {
    api.deployments[0].statusReason = 'Waiting for the database';
    await expect(
      action.handler(
        actionContext({ ...input, timeoutSeconds: 12, pollIntervalSeconds: 5 }),
      ),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'DeploymentNotReadyError',
        message:
          'Deployment acme/prod-etl is still CREATING (Waiting for the database) after 12 seconds, not HEALTHY',
      }),
    );
    expect(sleeps).toEqual([5000, 5000, 2000]);
  });

  it('fails at once on a failOn status', async () => {
    timeline = [['UNHEALTHY', 'The scheduler crashed']];
    await expect(
      action.handler(actionContext({ ...input, failOn: ['UNHEALTHY'] })),
    ).rejects.toThrow(
      'Deployment acme/prod-etl is UNHEALTHY (The scheduler crashed), not HEALTHY',
    );
    expect(sleeps).toHaveLength(1);
  });

  it('stops waiting for a Deployment that is being deleted', async () => {
    api.deployments[0].status = 'DELETING';
    await expect(action.handler(actionContext(input))).rejects.toThrow(
      'is DELETING',
    );
  });

  it('waits for another status when asked', async () => {
    timeline = [['HIBERNATING']];
    const ctx = actionContext({ ...input, status: 'HIBERNATING' as const });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'HIBERNATING');
  });

  it('fails for a missing Deployment', async () => {
    await expect(
      action.handler(actionContext({ ...input, deployment: 'nope' })),
    ).rejects.toThrow('Deployment acme/nope does not exist');
  });

  it('reports without waiting in a dry run', async () => {
    const ctx = actionContext(
      { ...input, deployment: 'not-created-yet' },
      {
        isDryRun: true,
      },
    );
    await action.handler(ctx);
    expect(sleeps).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'HEALTHY');
  });

  it('stops when the task is cancelled', async () => {
    const controller = new AbortController();
    const real = createAstroDeploymentWaitAction(
      testActionOptions(() => baseUrl),
    );
    const waiting = real.handler(
      actionContext(input, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toThrow('Cancelled');
  });

  it('documents examples that use this action', () => {
    for (const example of action.examples ?? []) {
      expect(parse(example.example).steps[0].action).toBe(
        'astro:deployment:wait',
      );
    }
    expect(action.examples?.length).toBeGreaterThan(0);
  });
});
