import { stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  astroPortalPaths,
  astroPortalUrl,
  astroWorkspaceEntityRef,
} from '@airflow-portal/plugin-astro-common';
import { ifFound } from '@airflow-portal/plugin-astro-common';
import { examples } from './workspaceCreate.examples';
import {
  descriptionInput,
  organizationInput,
  ownerInput,
  resourceName,
  titleInput,
} from './inputs';
import {
  AstroActionOptions,
  assertFree,
  found,
  withApiErrors,
} from './context';

/**
 * `astro:workspace:create` creates a workspace as the user who runs the
 * template, idempotently on retry (checkpoint and `Idempotency-Key`). A dry
 * run checks the organization and the name and creates nothing.
 *
 * @public
 */
export function createAstroWorkspaceCreateAction(options: AstroActionOptions) {
  return createTemplateAction({
    id: 'astro:workspace:create',
    description: 'Creates a workspace of an organization, owned by a team.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: z => organizationInput(z),
        name: z => resourceName(z, 'Name of the workspace.'),
        title: z => titleInput(z).optional(),
        description: z => descriptionInput(z).optional(),
        owner: z => ownerInput(z).optional(),
        clusterGrants: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Dedicated clusters of the organization the workspace may deploy to.',
            ),
      },
      output: {
        name: z => z.string().describe('Name of the workspace.'),
        entityRef: z =>
          z
            .string()
            .describe('Its catalog entity, e.g. astroworkspace:acme/data-eng.'),
        portalUrl: z => z.string().describe('Its page in the portal.'),
      },
    },
    async handler(ctx) {
      return withApiErrors(async () => {
        const { organization, name } = ctx.input;
        const api = options.apiFor(await ctx.getInitiatorCredentials());

        if (ctx.isDryRun) {
          found(
            await ifFound(api.getOrganization({ path: { org: organization } })),
            `Organization ${organization}`,
          );
          assertFree(
            await ifFound(
              api.getWorkspace({ path: { org: organization, ws: name } }),
            ),
            `Workspace ${organization}/${name}`,
          );
          ctx.logger.info(
            `Dry run: would create workspace ${organization}/${name}`,
          );
        } else {
          const idempotencyKey = `scaffolder:${ctx.task.id}:${
            ctx.step?.id ?? 'astro-workspace-create'
          }`;
          await ctx.checkpoint({
            key: `astro.workspace.create.${organization}.${name}`,
            fn: async () => {
              const workspace = await api.createWorkspace({
                path: { org: organization },
                header: { 'Idempotency-Key': idempotencyKey },
                body: {
                  name,
                  ...(ctx.input.title ? { title: ctx.input.title } : {}),
                  ...(ctx.input.description
                    ? { description: ctx.input.description }
                    : {}),
                  ...(ctx.input.owner ? { owner: ctx.input.owner } : {}),
                  ...(ctx.input.clusterGrants
                    ? { clusterGrants: ctx.input.clusterGrants }
                    : {}),
                },
              });
              return { version: workspace.version };
            },
          });
          ctx.logger.info(`Created workspace ${organization}/${name}`);
        }
        ctx.output('name', name);
        ctx.output(
          'entityRef',
          stringifyEntityRef(astroWorkspaceEntityRef(organization, name)),
        );
        ctx.output(
          'portalUrl',
          astroPortalUrl(
            options.appBaseUrl,
            astroPortalPaths.workspace(organization, name),
          ),
        );
      });
    },
  });
}
