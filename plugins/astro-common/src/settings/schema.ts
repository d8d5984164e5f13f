import { z } from 'zod';
import { describeInvalidName, MAX_QUEUE_NAME_LENGTH } from '../names';
import {
  DeploymentOptions,
  EXECUTORS,
  IntegerRange,
  ResourceSize,
  SCHEDULER_SIZES,
} from './options';
import { parseCpuMillis, parseMemoryBytes } from './quantities';
import { DeploymentSettings } from './types';
import { ValidationIssue, toValidationIssues } from './issues';

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_ENV_KEY_LENGTH = 255;
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function boundedInteger(range: IntegerRange) {
  return z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(range.floor, { error: `must be at least ${range.floor}` })
    .max(range.ceiling, { error: `must be at most ${range.ceiling}` });
}

function integer(range: IntegerRange) {
  return boundedInteger(range).default(range.default);
}

function nameSchema(maxLength: number) {
  return z.string({ error: 'must be a string' }).check(ctx => {
    const problem = describeInvalidName(ctx.value, maxLength);
    if (problem) {
      ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    }
  });
}

function resourceSizeSchema(max: ResourceSize, fallback: ResourceSize) {
  const maxCpu = parseCpuMillis(max.cpu) ?? Number.MAX_SAFE_INTEGER;
  const maxMemory = parseMemoryBytes(max.memory) ?? Number.MAX_SAFE_INTEGER;
  return z
    .strictObject({
      cpu: z.string({ error: 'must be a string' }).check(ctx => {
        const millis = parseCpuMillis(ctx.value);
        if (millis === undefined || millis <= 0) {
          ctx.issues.push({
            code: 'custom',
            message: 'must be a positive CPU quantity such as "1" or "500m"',
            input: ctx.value,
          });
        } else if (millis > maxCpu) {
          ctx.issues.push({
            code: 'custom',
            message: `must be at most ${max.cpu}`,
            input: ctx.value,
          });
        }
      }),
      memory: z.string({ error: 'must be a string' }).check(ctx => {
        const bytes = parseMemoryBytes(ctx.value);
        if (bytes === undefined || bytes <= 0) {
          ctx.issues.push({
            code: 'custom',
            message: 'must be a positive memory quantity such as "2Gi"',
            input: ctx.value,
          });
        } else if (bytes > maxMemory) {
          ctx.issues.push({
            code: 'custom',
            message: `must be at most ${max.memory}`,
            input: ctx.value,
          });
        }
      }),
    })
    .default(fallback);
}

function cronSchema() {
  return z.string({ error: 'must be a string' }).check(ctx => {
    const fields = ctx.value.trim().split(/\s+/);
    if (fields.length !== 5 || !fields.every(f => CRON_FIELD.test(f))) {
      ctx.issues.push({
        code: 'custom',
        message:
          'must be a cron expression of five fields, e.g. "0 20 * * 1-5"',
        input: ctx.value,
      });
    }
  });
}

/**
 * Builds the schema of Deployment settings for the given options. The
 * backend validates every write with it and the frontend validates forms
 * with it, so both report the same messages for the same field paths.
 *
 * @public
 */
export function createDeploymentSettingsSchema(options: DeploymentOptions) {
  const versions = options.runtimeReleases.map(r => r.airflowVersion);
  const defaultVersion =
    options.runtimeReleases.find(r => r.isDefault)?.airflowVersion ??
    versions[0];
  const machines = new Map(options.workerMachines.map(m => [m.name, m]));
  const queues = options.workerQueues;
  const limits = options.limits;
  const reserved = new Set(options.reservedEnvironmentVariables);

  const workerQueue = z
    .strictObject({
      name: nameSchema(MAX_QUEUE_NAME_LENGTH),
      isDefault: z.boolean({ error: 'must be true or false' }).default(false),
      workerSize: z
        .enum([...machines.keys()] as [string, ...string[]], {
          error: `must be one of ${[...machines.keys()].join(', ')}`,
        })
        .default(queues.defaultWorkerMachine),
      minWorkers: integer(queues.minWorkers),
      maxWorkers: integer(queues.maxWorkers),
      concurrency: boundedInteger(queues.concurrency).optional(),
    })
    .check(ctx => {
      if (ctx.value.maxWorkers < ctx.value.minWorkers) {
        ctx.issues.push({
          code: 'custom',
          message: `must be at least minWorkers (${ctx.value.minWorkers})`,
          path: ['maxWorkers'],
          input: ctx.value.maxWorkers,
        });
      }
    })
    .transform(queue => ({
      ...queue,
      concurrency:
        queue.concurrency ??
        machines.get(queue.workerSize)?.defaultConcurrency ??
        queues.concurrency.default,
    }));

  const environmentVariable = z
    .strictObject({
      key: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(MAX_ENV_KEY_LENGTH, {
          error: `must be at most ${MAX_ENV_KEY_LENGTH} characters`,
        })
        .regex(ENV_KEY, {
          error:
            'must start with a letter or "_" and contain only letters, digits and "_"',
        })
        .refine(key => !reserved.has(key), {
          error: 'is set by the platform and cannot be overridden',
        }),
      value: z
        .string({ error: 'must be a string' })
        .max(limits.maxEnvironmentVariableValueLength, {
          error: `must be at most ${limits.maxEnvironmentVariableValueLength} characters`,
        })
        .optional(),
      secret: z.boolean({ error: 'must be true or false' }).default(false),
    })
    .check(ctx => {
      if (!ctx.value.secret && ctx.value.value === undefined) {
        ctx.issues.push({
          code: 'custom',
          message: 'is required unless the variable is secret',
          path: ['value'],
          input: undefined,
        });
      }
    });

  const hibernationSchedule = z.strictObject({
    hibernateAt: cronSchema(),
    wakeAt: cronSchema(),
    description: z
      .string({ error: 'must be a string' })
      .max(200, { error: 'must be at most 200 characters' })
      .optional(),
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
  });

  return z
    .strictObject({
      airflowVersion: z
        .enum(versions as [string, ...string[]], {
          error: `must be one of ${versions.join(', ')}`,
        })
        .default(defaultVersion),
      executor: z
        .enum(EXECUTORS, { error: `must be one of ${EXECUTORS.join(', ')}` })
        .default(options.defaultExecutor),
      schedulerSize: z
        .enum(SCHEDULER_SIZES, {
          error: `must be one of ${SCHEDULER_SIZES.join(', ')}`,
        })
        .default(options.defaultSchedulerSize),
      highAvailability: z
        .boolean({ error: 'must be true or false' })
        .default(false),
      workerQueues: z
        .array(workerQueue, { error: 'must be a list' })
        .max(queues.maxQueues, {
          error: `must have at most ${queues.maxQueues} queues`,
        })
        .optional(),
      environmentVariables: z
        .array(environmentVariable, { error: 'must be a list' })
        .max(limits.maxEnvironmentVariables, {
          error: `must have at most ${limits.maxEnvironmentVariables} variables`,
        })
        .default([]),
      resourceQuota: resourceSizeSchema(
        options.resourceQuota.max,
        options.resourceQuota.default,
      ),
      defaultTaskPodSize: resourceSizeSchema(
        options.defaultTaskPodSize.max,
        options.defaultTaskPodSize.default,
      ),
      workerGracePeriodSeconds: integer(options.workerGracePeriodSeconds),
      hibernation: z
        .strictObject({
          schedules: z
            .array(hibernationSchedule, { error: 'must be a list' })
            .max(limits.maxHibernationSchedules, {
              error: `must have at most ${limits.maxHibernationSchedules} schedules`,
            })
            .default([]),
        })
        .default({ schedules: [] }),
      contactEmails: z
        .array(z.email({ error: 'must be an email address' }), {
          error: 'must be a list',
        })
        .max(limits.maxContactEmails, {
          error: `must have at most ${limits.maxContactEmails} addresses`,
        })
        .default([]),
    })
    .check(ctx => {
      const settings = ctx.value;
      const issue = (path: (string | number)[], message: string) =>
        ctx.issues.push({ code: 'custom', message, path, input: undefined });

      if (settings.executor === 'KUBERNETES') {
        if (settings.workerQueues && settings.workerQueues.length > 0) {
          issue(
            ['workerQueues'],
            'worker queues are only available with the CELERY executor',
          );
        }
      } else if (settings.workerQueues) {
        const defaults = settings.workerQueues.filter(q => q.isDefault);
        if (defaults.length !== 1) {
          issue(
            ['workerQueues'],
            `must have exactly one default queue (found ${defaults.length})`,
          );
        }
        settings.workerQueues.forEach((queue, index) => {
          if (
            settings.workerQueues!.findIndex(q => q.name === queue.name) !==
            index
          ) {
            issue(
              ['workerQueues', index, 'name'],
              `duplicates queue "${queue.name}"`,
            );
          }
        });
      }

      settings.environmentVariables.forEach((variable, index) => {
        if (
          settings.environmentVariables.findIndex(
            v => v.key === variable.key,
          ) !== index
        ) {
          issue(
            ['environmentVariables', index, 'key'],
            `duplicates variable "${variable.key}"`,
          );
        }
      });
    })
    .transform(
      (settings): DeploymentSettings => ({
        airflowVersion: settings.airflowVersion,
        executor: settings.executor,
        schedulerSize: settings.schedulerSize,
        highAvailability: settings.highAvailability,
        environmentVariables: settings.environmentVariables,
        resourceQuota: settings.resourceQuota,
        defaultTaskPodSize: settings.defaultTaskPodSize,
        workerGracePeriodSeconds: settings.workerGracePeriodSeconds,
        hibernation: settings.hibernation,
        contactEmails: settings.contactEmails,
        workerQueues:
          settings.workerQueues ??
          (settings.executor === 'CELERY'
            ? [
                {
                  name: queues.defaultQueueName,
                  isDefault: true,
                  workerSize: queues.defaultWorkerMachine,
                  minWorkers: queues.minWorkers.default,
                  maxWorkers: queues.maxWorkers.default,
                  concurrency:
                    machines.get(queues.defaultWorkerMachine)
                      ?.defaultConcurrency ?? queues.concurrency.default,
                },
              ]
            : []),
      }),
    );
}

/**
 * The outcome of validating settings: the settings with defaults applied, or
 * the issues, each naming its field path.
 *
 * @public
 */
export type SettingsValidationResult =
  | { success: true; settings: DeploymentSettings }
  | { success: false; issues: ValidationIssue[] };

/**
 * Validates settings a client sent and applies the defaults.
 *
 * @public
 */
export function validateDeploymentSettings(
  options: DeploymentOptions,
  input: unknown,
  pathPrefix: string = 'settings',
): SettingsValidationResult {
  const result = createDeploymentSettingsSchema(options).safeParse(input ?? {});
  if (result.success) {
    return { success: true, settings: result.data };
  }
  return {
    success: false,
    issues: toValidationIssues(result.error.issues, pathPrefix),
  };
}
