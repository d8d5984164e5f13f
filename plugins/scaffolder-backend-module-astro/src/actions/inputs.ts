import type { z as zod } from 'zod/v3';
import {
  DEPLOYMENT_STATUSES,
  describeInvalidDeploymentName,
  describeInvalidName,
  EXECUTORS,
  SCHEDULER_SIZES,
} from '@airflow-portal/plugin-astro-common';

type Zod = typeof zod;

/** A resource name: a lowercase DNS-1123 label of at most 40 characters. */
export const resourceName = (
  z: Zod,
  description: string,
  check: (value: string) => string | undefined = describeInvalidName,
) =>
  z
    .string()
    .describe(description)
    .superRefine((value, ctx) => {
      const problem = check(value);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
      }
    });

export const organizationInput = (z: Zod) =>
  resourceName(z, 'Name of the organization.');

export const deploymentInput = (z: Zod) =>
  resourceName(z, 'Name of the Deployment.', describeInvalidDeploymentName);

export const ownerInput = (z: Zod) =>
  z
    .string()
    .min(1)
    .describe(
      'Entity ref of the owning group, e.g. group:default/data-engineering.',
    );

/**
 * Deployment settings as the Astro API takes them; every field is optional
 * and takes its default. Ranges and choices are checked against the
 * backend's `/deployment-options`; unknown fields are rejected there with
 * their path.
 */
export const settingsInput = (z: Zod) =>
  z
    .object({
      airflowVersion: z
        .string()
        .optional()
        .describe('Apache Airflow version, one of /deployment-options.'),
      executor: z.enum(EXECUTORS).optional().describe('CELERY or KUBERNETES.'),
      schedulerSize: z
        .enum(SCHEDULER_SIZES)
        .optional()
        .describe('SMALL, MEDIUM, LARGE or EXTRA_LARGE.'),
      highAvailability: z.boolean().optional().describe('Run two schedulers.'),
      workerQueues: z
        .array(
          z
            .object({
              name: z.string().describe('Queue name.'),
              isDefault: z.boolean().optional(),
              workerSize: z
                .string()
                .optional()
                .describe('Worker machine, e.g. A5.'),
              minWorkers: z.number().int().optional(),
              maxWorkers: z.number().int().optional(),
              concurrency: z.number().int().optional(),
            })
            .passthrough(),
        )
        .optional()
        .describe('Celery worker queues with their autoscaling bounds.'),
      workerGracePeriodSeconds: z.number().int().optional(),
      contactEmails: z.array(z.string()).optional(),
    })
    .passthrough()
    .describe('Deployment settings; omitted fields take their defaults.');

export const statusInput = (z: Zod) => z.enum(DEPLOYMENT_STATUSES);
