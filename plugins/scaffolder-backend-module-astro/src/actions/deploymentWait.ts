import { CustomErrorBase, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { ifFound } from '@airflow-portal/plugin-astro-common';
import { examples } from './deploymentWait.examples';
import { deploymentInput, organizationInput, statusInput } from './inputs';
import { AstroActionOptions, withApiErrors } from './context';

/**
 * A Deployment did not reach the awaited status.
 *
 * @public
 */
export class DeploymentNotReadyError extends CustomErrorBase {
  name = 'DeploymentNotReadyError' as const;
}

/** Waits, or rejects when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('Cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('Cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describeStatus(deployment: Deployment) {
  return `${deployment.status}${
    deployment.statusReason ? ` (${deployment.statusReason})` : ''
  }`;
}

/**
 * `astro:deployment:wait` waits until a Deployment reaches a status
 * (`HEALTHY` by default). It fails with the Deployment's status reason when
 * the Deployment turns to one of the `failOn` statuses or the timeout
 * passes. A dry run only reports the current status.
 *
 * @public
 */
export function createAstroDeploymentWaitAction(
  options: AstroActionOptions & {
    /** For tests: the clock and the pause between polls. */
    clock?: {
      now(): number;
      sleep(ms: number, signal?: AbortSignal): Promise<void>;
    };
  },
) {
  const clock = options.clock ?? { now: () => Date.now(), sleep };
  return createTemplateAction({
    id: 'astro:deployment:wait',
    description:
      'Waits until an Airflow Deployment reaches a status (HEALTHY by default), failing with its status reason on a failOn status or after the timeout.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: z => organizationInput(z),
        deployment: z => deploymentInput(z),
        status: z =>
          statusInput(z)
            .optional()
            .describe('The status to wait for; HEALTHY by default.'),
        failOn: z =>
          z
            .array(statusInput(z))
            .optional()
            .describe(
              'Statuses that end the wait with a failure; DELETING by default.',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe('How long to wait at most; 600 by default.'),
        pollIntervalSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(60)
            .optional()
            .describe('How often to look; 5 by default.'),
      },
      output: {
        status: z => z.string().describe('The status reached.'),
        airflowUrl: z =>
          z.string().optional().describe('The Airflow UI, when known.'),
      },
    },
    async handler(ctx) {
      return withApiErrors(async () => {
        const { organization, deployment } = ctx.input;
        const target = ctx.input.status ?? 'HEALTHY';
        const failOn = ctx.input.failOn ?? ['DELETING'];
        const timeoutMs = (ctx.input.timeoutSeconds ?? 600) * 1000;
        const intervalMs = (ctx.input.pollIntervalSeconds ?? 5) * 1000;
        const what = `Deployment ${organization}/${deployment}`;
        const api = options.apiFor(await ctx.getInitiatorCredentials());

        if (ctx.isDryRun) {
          const current = await ifFound(
            api.getDeployment({ path: { org: organization, dep: deployment } }),
          );
          ctx.logger.info(
            current
              ? `Dry run: ${what} is ${describeStatus(
                  current,
                )}; would wait for ${target}`
              : `Dry run: would wait for ${what} to be ${target}`,
          );
          ctx.output('status', target);
          return;
        }

        const deadline = clock.now() + timeoutMs;
        let last: Deployment | undefined;
        for (;;) {
          const current = await ifFound(
            api.getDeployment({ path: { org: organization, dep: deployment } }),
          );
          if (!current) {
            throw new NotFoundError(`${what} does not exist`);
          }
          if (
            current.status !== last?.status ||
            current.statusReason !== last?.statusReason
          ) {
            ctx.logger.info(`${what} is ${describeStatus(current)}`);
          }
          last = current;
          if (current.status === target) {
            ctx.output('status', current.status);
            if (current.airflowUrl) {
              ctx.output('airflowUrl', current.airflowUrl);
            }
            return;
          }
          if (failOn.includes(current.status)) {
            throw new DeploymentNotReadyError(
              `${what} is ${describeStatus(current)}, not ${target}`,
            );
          }
          const left = deadline - clock.now();
          if (left <= 0) {
            throw new DeploymentNotReadyError(
              `${what} is still ${describeStatus(current)} after ${
                timeoutMs / 1000
              } seconds, not ${target}`,
            );
          }
          await clock.sleep(Math.min(intervalMs, left), ctx.signal);
        }
      });
    },
  });
}
