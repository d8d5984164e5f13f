import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { VariablesUpdateRequest } from '@airflow-portal/plugin-astro-common';
import { ifFound } from '@airflow-portal/plugin-astro-common';
import { examples } from './deploymentVariablesSet.examples';
import { deploymentInput, organizationInput } from './inputs';
import { AstroActionOptions, found, withApiErrors } from './context';

/**
 * `astro:deployment:variables:set` sets environment variables of a
 * Deployment as the user who runs the template. By default the given
 * variables are added or replaced and the others kept (secret ones keep
 * their values without the action ever reading them); with `replace: true`
 * the list becomes the complete set. Values are never logged or output.
 *
 * @public
 */
export function createAstroDeploymentVariablesSetAction(
  options: AstroActionOptions,
) {
  return createTemplateAction({
    id: 'astro:deployment:variables:set',
    description:
      "Sets environment variables of an Airflow Deployment's components; secret values are write-only.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: z => organizationInput(z),
        deployment: z => deploymentInput(z),
        variables: z =>
          z
            .array(
              z.object({
                key: z.string().min(1).describe('Variable name.'),
                value: z
                  .string()
                  .optional()
                  .describe(
                    'Its value; a secret without value keeps its current one.',
                  ),
                secret: z
                  .boolean()
                  .optional()
                  .describe('Write-only: never shown or returned again.'),
              }),
            )
            .describe('The variables to set.'),
        replace: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Make these the only variables instead of merging them into the current ones.',
            ),
      },
      output: {
        keys: z =>
          z.array(z.string()).describe('Names of all variables afterwards.'),
        version: z => z.number().describe('The Deployment version afterwards.'),
      },
    },
    async handler(ctx) {
      return withApiErrors(async () => {
        const { organization, deployment, variables, replace } = ctx.input;
        const duplicate = variables.find(
          (v, i) => variables.findIndex(w => w.key === v.key) !== i,
        );
        if (duplicate) {
          throw new InputError(
            `variables: ${duplicate.key} is given more than once`,
          );
        }
        const api = options.apiFor(await ctx.getInitiatorCredentials());
        const what = `Deployment ${organization}/${deployment}`;

        const merge = async (): Promise<VariablesUpdateRequest> => {
          const given = variables.map(v => ({
            key: v.key,
            ...(v.value !== undefined ? { value: v.value } : {}),
            secret: v.secret ?? false,
          }));
          if (replace) {
            return { environmentVariables: given };
          }
          const current = await api.getDeploymentVariables({
            path: { org: organization, dep: deployment },
          });
          const keys = new Set(given.map(v => v.key));
          return {
            // A kept secret is sent without value: the backend keeps it.
            environmentVariables: [
              ...current.environmentVariables
                .filter(v => !keys.has(v.key))
                .map(v => ({
                  key: v.key,
                  secret: v.secret,
                  ...(v.secret ? {} : { value: v.value }),
                })),
              ...given,
            ],
            version: current.version,
          };
        };

        if (ctx.isDryRun) {
          const current = found(
            await ifFound(
              api.getDeployment({
                path: { org: organization, dep: deployment },
              }),
            ),
            what,
          );
          const deploymentOptions = await api.getDeploymentOptions();
          const reserved = variables.find(v =>
            deploymentOptions.reservedEnvironmentVariables.includes(v.key),
          );
          if (reserved) {
            throw new InputError(
              `variables: ${reserved.key} is set by the platform and cannot be changed`,
            );
          }
          const request = await merge();
          ctx.logger.info(
            `Dry run: would set ${variables
              .map(v => v.key)
              .join(', ')} on ${what}`,
          );
          ctx.output(
            'keys',
            request.environmentVariables.map(v => v.key),
          );
          ctx.output('version', current.version);
          return;
        }

        const result = await ctx.checkpoint({
          key: `astro.deployment.variables.${organization}.${deployment}.${
            ctx.step?.id ?? 'set'
          }`,
          fn: async () => {
            const saved = await api.putDeploymentVariables({
              path: { org: organization, dep: deployment },
              body: await merge(),
            });
            return {
              keys: saved.environmentVariables.map(v => v.key),
              version: saved.version,
            };
          },
        });
        ctx.logger.info(
          `Set ${variables.map(v => v.key).join(', ')} on ${what}`,
        );
        ctx.output('keys', result.keys);
        ctx.output('version', result.version);
      });
    },
  });
}
