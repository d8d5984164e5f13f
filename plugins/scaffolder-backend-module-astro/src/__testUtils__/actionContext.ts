import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAstroApiClient } from '@airflow-portal/plugin-astro-node';
import { AstroActionOptions } from '../actions/context';

/**
 * The options every action is created with in tests; the API is wherever
 * `baseUrl()` says at the time of the request.
 */
export function testActionOptions(baseUrl: () => string): AstroActionOptions {
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async () => baseUrl(),
  });
  const auth = mockServices.auth({ pluginId: 'scaffolder' });
  return {
    apiFor: onBehalfOf => createAstroApiClient({ discovery, auth, onBehalfOf }),
    appBaseUrl: 'http://portal.test',
  };
}

/**
 * Checkpoints as the scaffolder keeps them across retries of a task: a
 * checkpoint that succeeded returns its stored value instead of running
 * again. `loseNext` simulates a worker that dies after the work but before
 * the checkpoint is stored.
 */
export class CheckpointStore {
  readonly values = new Map<string, JsonValue | void>();
  loseNext = false;

  checkpoint = async <T extends JsonValue | void>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T> => {
    if (this.values.has(opts.key)) {
      return this.values.get(opts.key) as T;
    }
    const value = await opts.fn();
    if (this.loseNext) {
      this.loseNext = false;
      throw new Error('The worker died before the checkpoint was stored');
    }
    this.values.set(opts.key, value);
    return value;
  };
}

/**
 * A mock action context of `createMockActionContext` with what it does not
 * set itself: the step, dry-run and checkpoints. (`createMockActionContext`
 * 0.3.14 is built for scaffolder-node 0.13; the fields the actions use are
 * the same in 1.0.)
 */
export function actionContext<TInput extends JsonObject>(
  input: TInput,
  options: {
    isDryRun?: boolean;
    checkpoints?: CheckpointStore;
    taskId?: string;
    signal?: AbortSignal;
  } = {},
): ActionContext<TInput, any> {
  const checkpoints = options.checkpoints ?? new CheckpointStore();
  const base = createMockActionContext<TInput>({
    input,
    logger: mockServices.logger.mock(),
    task: { id: options.taskId ?? 'task-1' },
  });
  return {
    ...base,
    step: { id: 'astro-step', name: 'An Astro step' },
    isDryRun: options.isDryRun ?? false,
    checkpoint: checkpoints.checkpoint,
    signal: options.signal,
  };
}
