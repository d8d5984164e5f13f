import { z } from 'zod';
import { dnsLabelSchema } from '../contract/values';
import { LIMITS } from '../limits';
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
import {
  cronProblem,
  DEFAULT_SCHEDULE_TIME_ZONE,
  timeZoneProblem,
} from './cron';

/*
 * Deployment settings are defined once, here, by `settingsSchema`:
 *
 * - without a policy it is the API contract: the shape, types, fixed enums
 *   and fixed limits of what a client may send, every field optional and
 *   documented. `yarn generate` writes it into the OpenAPI document (and
 *   from there into the generated types and client); the catalog kinds and
 *   the scaffolder inputs are derived from the same JSON schema.
 * - with a policy (the platform's `DeploymentOptions`, from config) the same
 *   shape also checks the configured ranges and choices and fills in the
 *   defaults. The backend validates every write with it and the forms
 *   validate with it, so both report the same message at the same path.
 */

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GIT_URL = /^(https:\/\/|ssh:\/\/|git@)[^\s]+$/;
const GIT_REF = /^(?!\/)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]+(?<!\/)$/;
const RELATIVE_PATH = /^(?!\/)(?!(.*\/)?\.\.(\/|$))[A-Za-z0-9._\/-]*$/;

type Policy = DeploymentOptions | undefined;

/** Documentation of a field: what the OpenAPI document says about it. */
type Doc = {
  /** Names the schema in the OpenAPI document's `components.schemas`. */
  id?: string;
  description: string;
  example?: unknown;
  /** Properties of an object that responses may leave out. */
  responseOptional?: string[];
  /** Description of the response twin of a request schema (`…Input`). */
  responseDescription?: string;
};

/**
 * Builds the settings schema. The contract carries documentation; a policy
 * schema carries none (it is never written out) so that its ids do not
 * collide with the contract's.
 */
function settingsSchema(policy: Policy, named?: Map<string, z.ZodType>) {
  const doc = <T extends z.ZodType>(schema: T, meta: Doc): T => {
    if (policy) {
      return schema;
    }
    const documented = schema.meta(meta) as T;
    if (meta.id) {
      named?.set(meta.id, documented);
    }
    return documented;
  };

  /** A field a client may leave out: optional, or defaulted by a policy. */
  const omittable = <T extends z.ZodType>(
    schema: T,
    fallback: (options: DeploymentOptions) => z.input<T>,
  ) =>
    policy
      ? schema.default(fallback(policy) as z.util.NoUndefined<z.output<T>>)
      : schema.optional();

  const integer = (floor: number, range: IntegerRange | undefined) => {
    const min = range?.floor ?? floor;
    const schema = z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` });
    return range
      ? schema.max(range.ceiling, {
          error: `must be at most ${range.ceiling}`,
        })
      : schema;
  };

  const boolean = () => z.boolean({ error: 'must be true or false' });

  const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values, { error: `must be one of ${values.join(', ')}` });

  /** A list whose length a policy may limit. */
  const list = <T extends z.ZodType>(
    item: T,
    max: ((options: DeploymentOptions) => number) | undefined,
    noun: string,
  ) => {
    const schema = z.array(item, { error: 'must be a list' });
    if (!policy || !max) {
      return schema;
    }
    const limit = max(policy);
    return schema.max(limit, { error: `must have at most ${limit} ${noun}` });
  };

  const quantity = (
    parse: (value: string) => number | undefined,
    kind: 'CPU' | 'memory',
    max: string | undefined,
  ) => {
    const ceiling =
      max === undefined ? undefined : parse(max) ?? Number.MAX_SAFE_INTEGER;
    return z
      .string({ error: 'must be a string' })
      .max(LIMITS.quantityLength, {
        error: `must be at most ${LIMITS.quantityLength} characters`,
        abort: true,
      })
      .check(ctx => {
        const amount = parse(ctx.value);
        if (amount === undefined || amount <= 0) {
          ctx.issues.push({
            code: 'custom',
            message:
              kind === 'CPU'
                ? 'must be a positive CPU quantity such as "1" or "500m"'
                : 'must be a positive memory quantity such as "2Gi"',
            input: ctx.value,
          });
        } else if (ceiling !== undefined && amount > ceiling) {
          ctx.issues.push({
            code: 'custom',
            message: `must be at most ${max}`,
            input: ctx.value,
          });
        }
      });
  };

  const resourceSizeObject = (max: ResourceSize | undefined) =>
    doc(
      z.strictObject({
        cpu: doc(quantity(parseCpuMillis, 'CPU', max?.cpu), {
          description: 'CPU as a Kubernetes quantity, e.g. "1" or "500m".',
          example: '2',
        }),
        memory: doc(quantity(parseMemoryBytes, 'memory', max?.memory), {
          description: 'Memory as a Kubernetes quantity, e.g. "4Gi".',
          example: '4Gi',
        }),
      }),
      { id: 'ResourceSize', description: 'CPU and memory.' },
    );
  // The contract has one ResourceSize; a policy has a maximum per use.
  const contractResourceSize = policy
    ? undefined
    : resourceSizeObject(undefined);

  const resourceSize = (
    pick: (options: DeploymentOptions) => {
      default: ResourceSize;
      max: ResourceSize;
    },
  ) =>
    omittable(
      contractResourceSize ?? resourceSizeObject(pick(policy!).max),
      options => pick(options).default,
    );

  const cron = () =>
    z
      .string({ error: 'must be a string' })
      .max(LIMITS.cronExpressionLength, {
        error: `must be at most ${LIMITS.cronExpressionLength} characters`,
        abort: true,
      })
      .check(ctx => {
        const problem = cronProblem(ctx.value);
        if (problem) {
          ctx.issues.push({
            code: 'custom',
            message: problem,
            input: ctx.value,
          });
        }
      });

  const timeZone = () =>
    z
      .string({ error: 'must be a string' })
      .max(LIMITS.timeZoneLength, {
        error: `must be at most ${LIMITS.timeZoneLength} characters`,
        abort: true,
      })
      .check(ctx => {
        const problem = timeZoneProblem(ctx.value);
        if (problem) {
          ctx.issues.push({
            code: 'custom',
            message: problem,
            input: ctx.value,
          });
        }
      });

  const machines = new Map(policy?.workerMachines.map(m => [m.name, m]));
  const queueOptions = policy?.workerQueues;

  const workerQueue = doc(
    z
      .strictObject({
        name: doc(dnsLabelSchema(LIMITS.queueNameLength), {
          description: `Queue name: a lowercase DNS-1123 label of at most ${LIMITS.queueNameLength} characters. Tasks choose it with queue=.`,
          example: 'default',
        }),
        isDefault: doc(
          omittable(boolean(), () => false),
          {
            description:
              'The queue tasks without a queue go to; exactly one queue is it. When no queue is marked, the queue named `default` is it.',
            example: true,
          },
        ),
        workerSize: doc(
          omittable(
            policy
              ? oneOf([...machines.keys()] as [string, ...string[]])
              : z.string({ error: 'must be a string' }).min(1).max(20),
            options => options.workerQueues.defaultWorkerMachine,
          ),
          {
            description:
              'Worker machine type, one of /deployment-options workerMachines.',
            example: 'A5',
          },
        ),
        minWorkers: doc(
          omittable(
            integer(0, queueOptions?.minWorkers),
            options => options.workerQueues.minWorkers.default,
          ),
          {
            description:
              'Fewest workers (0 scales to zero); range in /deployment-options.',
            example: 0,
          },
        ),
        maxWorkers: doc(
          omittable(
            integer(1, queueOptions?.maxWorkers),
            options => options.workerQueues.maxWorkers.default,
          ),
          {
            description:
              'Most workers; at least minWorkers; range in /deployment-options.',
            example: 10,
          },
        ),
        concurrency: doc(integer(1, queueOptions?.concurrency).optional(), {
          description:
            "Tasks one worker runs at once; the machine type's default when omitted.",
          example: 5,
        }),
      })
      .check(ctx => {
        const { minWorkers, maxWorkers } = ctx.value;
        if (
          minWorkers !== undefined &&
          maxWorkers !== undefined &&
          maxWorkers < minWorkers
        ) {
          ctx.issues.push({
            code: 'custom',
            message: `must be at least the minimum workers (${minWorkers})`,
            path: ['maxWorkers'],
            input: maxWorkers,
          });
        }
      }),
    {
      id: 'WorkerQueueInput',
      description: 'A Celery queue and the autoscaling bounds of its workers.',
      responseDescription:
        'A Celery queue and the autoscaling bounds of its workers, with every default applied.',
    },
  );

  const reserved = new Set(policy?.reservedEnvironmentVariables);
  const valueLength =
    policy?.limits.maxEnvironmentVariableValueLength ??
    LIMITS.environmentVariableValueLength;

  const environmentVariable = doc(
    z
      .strictObject({
        key: doc(
          z
            .string({ error: 'must be a string' })
            .min(1, { error: 'must not be empty', abort: true })
            .max(LIMITS.environmentVariableKeyLength, {
              error: `must be at most ${LIMITS.environmentVariableKeyLength} characters`,
              abort: true,
            })
            .regex(ENV_KEY, {
              error:
                'must start with a letter or "_" and contain only letters, digits and "_"',
            })
            .refine(key => !reserved.has(key), {
              error: 'is set by the platform and cannot be overridden',
            }),
          {
            description:
              'Variable name; names the platform sets are refused (/deployment-options reservedEnvironmentVariables).',
            example: 'AIRFLOW__CORE__PARALLELISM',
          },
        ),
        value: doc(
          z
            .string({ error: 'must be a string' })
            .max(valueLength, {
              error: `must be at most ${valueLength} characters`,
            })
            .optional(),
          {
            description:
              'Value. Never returned for secret variables; omit it to keep a secret value.',
            example: '64',
          },
        ),
        secret: doc(
          omittable(boolean(), () => false),
          {
            description: 'Encrypt at rest and never return the value.',
            example: false,
          },
        ),
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
      }),
    {
      id: 'EnvironmentVariableInput',
      description:
        'An environment variable of every Airflow component. Secret values are write-only.',
      responseOptional: ['value'],
      responseDescription:
        'An environment variable of every Airflow component; the value of a secret variable is never returned.',
    },
  );

  const hibernationSchedule = doc(
    z.strictObject({
      hibernateAt: doc(cron(), {
        description: 'When the Deployment goes to sleep: a cron expression.',
        example: '0 20 * * 1-5',
      }),
      wakeAt: doc(cron(), {
        description: 'When the Deployment wakes up: a cron expression.',
        example: '0 7 * * 1-5',
      }),
      timeZone: doc(
        omittable(timeZone(), () => DEFAULT_SCHEDULE_TIME_ZONE),
        {
          description:
            'The IANA time zone both cron expressions are read in; UTC when omitted.',
          example: 'Europe/Berlin',
        },
      ),
      description: doc(
        z
          .string({ error: 'must be a string' })
          .max(LIMITS.scheduleDescriptionLength, {
            error: `must be at most ${LIMITS.scheduleDescriptionLength} characters`,
          })
          .optional(),
        { description: 'Why.', example: 'Nights off' },
      ),
      enabled: doc(
        omittable(boolean(), () => true),
        { description: 'Whether it applies.', example: true },
      ),
    }),
    {
      id: 'HibernationScheduleInput',
      description:
        'When the Deployment sleeps and wakes: two cron expressions read in a time zone.',
      responseOptional: ['description'],
      responseDescription:
        'When the Deployment sleeps and wakes: two cron expressions read in a time zone.',
    },
  );

  const gitDagBundle = doc(
    z.strictObject({
      repositoryUrl: doc(
        z
          .string({ error: 'must be a string' })
          .max(LIMITS.gitRepositoryUrlLength, {
            error: `must be at most ${LIMITS.gitRepositoryUrlLength} characters`,
            abort: true,
          })
          .regex(GIT_URL, {
            error:
              'must be a Git URL such as "https://github.com/acme/dags.git" or "git@github.com:acme/dags.git"',
          }),
        {
          description: 'The repository to clone (HTTPS or SSH).',
          example: 'https://github.com/acme/airflow-dags.git',
        },
      ),
      ref: doc(
        omittable(
          z
            .string({ error: 'must be a string' })
            .min(1, { error: 'must not be empty', abort: true })
            .max(LIMITS.gitRefLength, {
              error: `must be at most ${LIMITS.gitRefLength} characters`,
              abort: true,
            })
            .regex(GIT_REF, {
              error: 'must be a branch or tag name such as "main" or "v1.2"',
            }),
          () => 'main',
        ),
        { description: 'The branch or tag to follow.', example: 'main' },
      ),
      subdirectory: doc(
        omittable(
          z
            .string({ error: 'must be a string' })
            .max(LIMITS.gitRefLength, {
              error: `must be at most ${LIMITS.gitRefLength} characters`,
              abort: true,
            })
            .regex(RELATIVE_PATH, {
              error:
                'must be a relative path inside the repository, without ".." segments',
            }),
          () => '',
        ),
        {
          description:
            'The folder of the repository that holds the DAGs; the root when empty.',
          example: 'dags',
        },
      ),
      credentialsVariable: doc(
        z
          .string({ error: 'must be a string' })
          .regex(ENV_KEY, { error: 'must be an environment variable name' })
          .optional(),
        {
          description:
            'A secret environment variable of this Deployment holding the token (HTTPS) or private key (SSH) to clone with; a public repository needs none.',
          example: 'GIT_TOKEN',
        },
      ),
    }),
    {
      id: 'GitDagBundleInput',
      description: 'A Git repository the Deployment takes its DAGs from.',
      responseOptional: ['credentialsVariable'],
      responseDescription:
        'A Git repository the Deployment takes its DAGs from.',
    },
  );

  const versions = policy?.runtimeReleases.map(r => r.airflowVersion) ?? [];

  return doc(
    z
      .strictObject({
        airflowVersion: doc(
          omittable(
            policy
              ? oneOf(versions as [string, ...string[]])
              : z
                  .string({ error: 'must be a string' })
                  .min(1)
                  .max(LIMITS.airflowVersionLength),
            options =>
              options.runtimeReleases.find(r => r.isDefault)?.airflowVersion ??
              versions[0],
          ),
          {
            description:
              'Apache Airflow version, one of /deployment-options runtimeReleases.',
            example: '3.1.3',
          },
        ),
        executor: doc(
          omittable(oneOf(EXECUTORS), options => options.defaultExecutor),
          { description: 'Executor.', example: 'CELERY' },
        ),
        schedulerSize: doc(
          omittable(
            oneOf(SCHEDULER_SIZES),
            options => options.defaultSchedulerSize,
          ),
          {
            description:
              'Scheduler resources (/deployment-options schedulerSizes).',
            example: 'SMALL',
          },
        ),
        highAvailability: doc(
          omittable(boolean(), () => false),
          {
            description: 'Run two schedulers and PodDisruptionBudgets.',
            example: false,
          },
        ),
        workerQueues: doc(
          list(
            workerQueue,
            options => options.workerQueues.maxQueues,
            'queues',
          ).optional(),
          {
            description:
              'Celery worker queues (CELERY only); one default queue when omitted.',
          },
        ),
        environmentVariables: doc(
          omittable(
            list(
              environmentVariable,
              options => options.limits.maxEnvironmentVariables,
              'variables',
            ),
            () => [],
          ),
          { description: 'Environment variables of every Airflow component.' },
        ),
        resourceQuota: resourceSize(options => options.resourceQuota),
        defaultTaskPodSize: resourceSize(options => options.defaultTaskPodSize),
        workerGracePeriodSeconds: doc(
          omittable(
            integer(0, policy?.workerGracePeriodSeconds),
            options => options.workerGracePeriodSeconds.default,
          ),
          {
            description:
              'Seconds running tasks get to finish when a worker stops.',
            example: 86400,
          },
        ),
        hibernation: omittable(
          doc(
            z.strictObject({
              schedules: doc(
                omittable(
                  list(
                    hibernationSchedule,
                    options => options.limits.maxHibernationSchedules,
                    'schedules',
                  ),
                  () => [],
                ),
                { description: 'Schedules.' },
              ),
            }),
            {
              id: 'HibernationInput',
              description: 'Hibernation schedules.',
              responseDescription: 'Hibernation schedules.',
            },
          ),
          () => ({ schedules: [] }),
        ),
        contactEmails: doc(
          omittable(
            list(
              doc(
                z
                  .email({ error: 'must be an email address' })
                  .max(LIMITS.emailLength, {
                    error: `must be at most ${LIMITS.emailLength} characters`,
                  }),
                {
                  description: 'An e-mail address.',
                  example: 'oncall@example.com',
                },
              ),
              options => options.limits.maxContactEmails,
              'addresses',
            ),
            () => [],
          ),
          { description: 'Who gets alerts about this Deployment.' },
        ),
        isCicdEnforced: doc(
          omittable(boolean(), () => false),
          {
            description:
              'Refuse deploys not made with an API token (deploys from CI/CD only).',
            example: false,
          },
        ),
        kubernetesPodOperator: doc(
          omittable(boolean(), () => false),
          {
            description:
              'Let tasks launch pods with the KubernetesPodOperator: workers (and Kubernetes-executor task pods) get a service-account token and a Role to create, watch and delete pods in the Deployment namespace. Off: they run without any Kubernetes API access.',
            example: false,
          },
        ),
        gitDagBundle: doc(gitDagBundle.nullable().optional(), {
          description:
            'Take the DAGs from a Git repository instead of from DAG deploys; null removes it.',
        }),
      })
      .check(ctx => {
        const settings = ctx.value;
        const issue = (path: (string | number)[], message: string) =>
          ctx.issues.push({ code: 'custom', message, path, input: undefined });

        const queues = settings.workerQueues;
        if (settings.executor === 'KUBERNETES') {
          if (queues && queues.length > 0) {
            issue(
              ['workerQueues'],
              'worker queues are only available with the CELERY executor',
            );
          }
        } else if (queues) {
          const defaults = queues.filter(q => q.isDefault);
          const defaultName =
            policy?.workerQueues.defaultQueueName ?? 'default';
          if (defaults.length > 1) {
            issue(
              ['workerQueues'],
              `must have exactly one default queue (found ${defaults.length})`,
            );
          } else if (
            defaults.length === 0 &&
            !queues.some(q => q.name === defaultName)
          ) {
            issue(
              ['workerQueues'],
              `must have exactly one default queue (found 0): mark one as the default or name one "${defaultName}"`,
            );
          }
          queues.forEach((queue, index) => {
            if (queues.findIndex(q => q.name === queue.name) !== index) {
              issue(
                ['workerQueues', index, 'name'],
                `duplicates queue "${queue.name}"`,
              );
            }
          });
        }

        const variables = settings.environmentVariables ?? [];
        const credentials = settings.gitDagBundle?.credentialsVariable;
        if (
          credentials !== undefined &&
          !variables.some(v => v.key === credentials && v.secret)
        ) {
          issue(
            ['gitDagBundle', 'credentialsVariable'],
            `must name a secret environment variable of this Deployment ("${credentials}" is not one)`,
          );
        }
        variables.forEach((variable, index) => {
          if (variables.findIndex(v => v.key === variable.key) !== index) {
            issue(
              ['environmentVariables', index, 'key'],
              `duplicates variable "${variable.key}"`,
            );
          }
        });

        // Hibernation scales the schedulers to zero, which is what high
        // availability promises never happens.
        const enabledSchedule = (
          settings.hibernation?.schedules ?? []
        ).findIndex(schedule => schedule.enabled !== false);
        if (settings.highAvailability && enabledSchedule >= 0) {
          issue(
            ['hibernation', 'schedules', enabledSchedule],
            'cannot be enabled together with high availability: disable the schedule or turn high availability off',
          );
        }
      }),
    {
      id: 'DeploymentSettingsInput',
      responseOptional: ['gitDagBundle'],
      description:
        'Deployment settings as a client sends them. Every field may be omitted to take its default; ranges, choices and defaults are served by /deployment-options.',
      responseDescription:
        'Deployment settings with every default applied. Secret variable values are never returned.',
    },
  );
}

const contractSchemas = new Map<string, z.ZodType>();

/**
 * The Deployment settings a client may send, as the API contract: shape,
 * types, fixed choices and fixed limits, every field optional. The OpenAPI
 * document's settings schemas are generated from it.
 *
 * @public
 */
export const deploymentSettingsInputSchema = settingsSchema(
  undefined,
  contractSchemas,
);

/**
 * The named parts of {@link deploymentSettingsInputSchema} (`WorkerQueueInput`,
 * `ResourceSize`, …), each becoming a schema of the OpenAPI document.
 *
 * @internal
 */
export const deploymentSettingsContractSchemas: ReadonlyMap<string, z.ZodType> =
  contractSchemas;

/**
 * Builds the schema of Deployment settings for the given options: the
 * contract plus the configured ranges and choices, producing settings with
 * every default applied. The backend validates every write with it and the
 * frontend validates forms with it, so both report the same messages for
 * the same field paths.
 *
 * @public
 */
export function createDeploymentSettingsSchema(
  options: DeploymentOptions,
): z.ZodType<DeploymentSettings> {
  const machines = new Map(options.workerMachines.map(m => [m.name, m]));
  const queues = options.workerQueues;
  const concurrencyOf = (workerSize: string) =>
    machines.get(workerSize)?.defaultConcurrency ?? queues.concurrency.default;

  // Without a queue marked default, the one with the default name is it.
  const isDefaultQueue = (
    queue: { name: string; isDefault?: boolean },
    all: Array<{ name: string; isDefault?: boolean }>,
  ) =>
    all.some(q => q.isDefault)
      ? Boolean(queue.isDefault)
      : queue.name === queues.defaultQueueName;

  return settingsSchema(options).transform((settings): DeploymentSettings => {
    // Under a policy every omittable field has its default.
    const s = settings as Required<typeof settings>;
    return {
      airflowVersion: s.airflowVersion!,
      executor: s.executor!,
      schedulerSize: s.schedulerSize!,
      highAvailability: s.highAvailability!,
      environmentVariables: s.environmentVariables!.map(v => ({
        key: v.key,
        ...(v.value === undefined ? {} : { value: v.value }),
        secret: v.secret!,
      })),
      resourceQuota: s.resourceQuota!,
      defaultTaskPodSize: s.defaultTaskPodSize!,
      workerGracePeriodSeconds: s.workerGracePeriodSeconds!,
      hibernation: {
        schedules: s.hibernation!.schedules!.map(schedule => ({
          hibernateAt: schedule.hibernateAt,
          wakeAt: schedule.wakeAt,
          timeZone: schedule.timeZone!,
          ...(schedule.description === undefined
            ? {}
            : { description: schedule.description }),
          enabled: schedule.enabled!,
        })),
      },
      contactEmails: s.contactEmails!,
      isCicdEnforced: s.isCicdEnforced!,
      kubernetesPodOperator: s.kubernetesPodOperator!,
      ...(s.gitDagBundle
        ? {
            gitDagBundle: {
              repositoryUrl: s.gitDagBundle.repositoryUrl,
              ref: s.gitDagBundle.ref!,
              subdirectory: s.gitDagBundle.subdirectory!,
              ...(s.gitDagBundle.credentialsVariable === undefined
                ? {}
                : {
                    credentialsVariable: s.gitDagBundle.credentialsVariable,
                  }),
            },
          }
        : {}),
      workerQueues:
        s.workerQueues?.map(queue => ({
          name: queue.name,
          isDefault: isDefaultQueue(queue, s.workerQueues!),
          workerSize: queue.workerSize!,
          minWorkers: queue.minWorkers!,
          maxWorkers: queue.maxWorkers!,
          concurrency: queue.concurrency ?? concurrencyOf(queue.workerSize!),
        })) ??
        (s.executor === 'CELERY'
          ? [
              {
                name: queues.defaultQueueName,
                isDefault: true,
                workerSize: queues.defaultWorkerMachine,
                minWorkers: queues.minWorkers.default,
                maxWorkers: queues.maxWorkers.default,
                concurrency: concurrencyOf(queues.defaultWorkerMachine),
              },
            ]
          : []),
    };
  });
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
