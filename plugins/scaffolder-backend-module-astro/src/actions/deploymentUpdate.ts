import { ifFound } from '@airflow-portal/plugin-astro-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './deploymentUpdate.examples';
import {
  deploymentInput,
  descriptionInput,
  organizationInput,
  ownerInput,
  settingsInput,
  titleInput,
} from './inputs';
import {
  AstroActionOptions,
  assertValidSettings,
  found,
  withApiErrors,
} from './context';

/**
 * `astro:deployment:update` changes a Deployment's title, description,
 * owner or settings as the user who runs the template. Settings fields
 * replace the current ones (lists as a whole); omitted fields keep their
 * values. A retried task does not apply the change twice; a dry run checks
 * that the Deployment exists and that the resulting settings are valid.
 *
 * @public
 */
export function createAstroDeploymentUpdateAction(options: AstroActionOptions) {
  return createTemplateAction({
    id: 'astro:deployment:update',
    description:
      "Changes an Airflow Deployment's title, description, owner or settings; settings changes are rolled out by the platform.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: z => organizationInput(z),
        deployment: z => deploymentInput(z),
        title: z => titleInput(z).optional(),
        description: z => descriptionInput(z).optional(),
        owner: z => ownerInput(z).optional(),
        settings: z => settingsInput(z).optional(),
      },
      output: {
        version: z => z.number().describe('The version after the change.'),
        generation: z =>
          z.number().describe('The settings generation after the change.'),
      },
    },
    async handler(ctx) {
      return withApiErrors(async () => {
        const { organization, deployment, settings } = ctx.input;
        const api = options.apiFor(await ctx.getInitiatorCredentials());
        const change = {
          ...(ctx.input.title ? { title: ctx.input.title } : {}),
          ...(ctx.input.description !== undefined
            ? { description: ctx.input.description }
            : {}),
          ...(ctx.input.owner ? { owner: ctx.input.owner } : {}),
          ...(settings ? { settings } : {}),
        };

        if (ctx.isDryRun) {
          const current = found(
            await ifFound(
              api.getDeployment({
                path: { org: organization, dep: deployment },
              }),
            ),
            `Deployment ${organization}/${deployment}`,
          );
          const { environmentVariables, ...currentSettings } = current.settings;
          assertValidSettings(await api.getDeploymentOptions(), {
            ...currentSettings,
            ...settings,
          });
          ctx.logger.info(
            `Dry run: would change ${
              Object.keys(change).join(', ') || 'nothing'
            } of Deployment ${organization}/${deployment}`,
          );
          ctx.output('version', current.version);
          ctx.output('generation', current.generation);
          return;
        }

        const updated = await ctx.checkpoint({
          key: `astro.deployment.update.${organization}.${deployment}.${
            ctx.step?.id ?? 'update'
          }`,
          fn: async () => {
            const result = await api.updateDeployment({
              path: { org: organization, dep: deployment },
              body: change,
            });
            return { version: result.version, generation: result.generation };
          },
        });
        ctx.logger.info(
          `Updated Deployment ${organization}/${deployment} to version ${updated.version}`,
        );
        ctx.output('version', updated.version);
        ctx.output('generation', updated.generation);
      });
    },
  });
}
