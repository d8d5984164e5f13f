import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DeploymentSettingsInput,
  astroDeploymentEntityRef,
  astroPortalPaths,
  astroPortalUrl,
} from '@airflow-portal/plugin-astro-common';
import { ifFound } from '@airflow-portal/plugin-astro-common';
import { examples } from './deploymentCreate.examples';
import {
  deploymentInput,
  descriptionInput,
  organizationInput,
  ownerInput,
  resourceName,
  secretVariablesInput,
  settingsInput,
  titleInput,
} from './inputs';
import {
  AstroActionOptions,
  assertFree,
  assertValidSettings,
  found,
  withApiErrors,
} from './context';

/**
 * `astro:deployment:create` creates an Airflow Deployment as the user who
 * runs the template. A retried task neither creates twice nor fails: the
 * result is kept as a checkpoint, and the request carries an
 * `Idempotency-Key` derived from the task and step, so that the backend
 * answers a repeated request with its first response. A dry run checks the
 * workspace, the name and the settings and creates nothing.
 *
 * Secret environment variables may come without a value in `settings` and
 * have it in `secretVariables`, which a template fills from its secrets so
 * that the value is never part of the task's parameters; the scaffolder
 * redacts it from the task log.
 *
 * @public
 */
export function createAstroDeploymentCreateAction(options: AstroActionOptions) {
  return createTemplateAction({
    id: 'astro:deployment:create',
    description:
      'Creates an Airflow Deployment in a workspace; it is provisioned on its cluster in the background (see astro:deployment:wait).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: z => organizationInput(z),
        workspace: z => resourceName(z, 'Name of the workspace.'),
        name: z => deploymentInput(z),
        title: z => titleInput(z).optional(),
        description: z => descriptionInput(z).optional(),
        owner: z => ownerInput(z).optional(),
        cluster: z =>
          resourceName(
            z,
            'Cluster to run on; the platform default when omitted.',
          ).optional(),
        settings: z => settingsInput(z).optional(),
        secretVariables: z => secretVariablesInput(z).optional(),
      },
      output: {
        name: z => z.string().describe('Name of the Deployment.'),
        entityRef: z =>
          z
            .string()
            .describe(
              'Its catalog entity, e.g. astrodeployment:acme/prod-etl.',
            ),
        portalUrl: z => z.string().describe('Its page in the portal.'),
        namespace: z =>
          z.string().optional().describe('Its Kubernetes namespace.'),
        status: z => z.string().describe('Its status right after creation.'),
        owner: z =>
          z
            .string()
            .optional()
            .describe("Its owner: its own, else its workspace's."),
      },
    },
    async handler(ctx) {
      const { organization, workspace, name } = ctx.input;
      const settings = withSecretValues(
        ctx.input.settings,
        ctx.input.secretVariables,
      );
      return withApiErrors(async () => {
        const api = options.apiFor(await ctx.getInitiatorCredentials());
        const entityRef = stringifyEntityRef(
          astroDeploymentEntityRef(organization, name),
        );
        const portalUrl = astroPortalUrl(
          options.appBaseUrl,
          astroPortalPaths.deployment(organization, name),
        );

        if (ctx.isDryRun) {
          const target = found(
            await ifFound(
              api.getWorkspace({ path: { org: organization, ws: workspace } }),
            ),
            `Workspace ${organization}/${workspace}`,
          );
          assertFree(
            await ifFound(
              api.getDeployment({ path: { org: organization, dep: name } }),
            ),
            `Deployment ${organization}/${name}`,
          );
          const { items: clusters } = await api.listClusters();
          if (ctx.input.cluster) {
            found(
              clusters.find(c => c.name === ctx.input.cluster),
              `Cluster ${ctx.input.cluster}`,
            );
          } else if (!clusters.some(c => c.type === 'standard')) {
            throw new InputError(
              'cluster: none given and no standard cluster is registered',
            );
          }
          const resolved = assertValidSettings(
            await api.getDeploymentOptions(),
            settings,
          );
          ctx.logger.info(
            `Dry run: would create Deployment ${organization}/${name} in workspace ${workspace} (Airflow ${resolved.airflowVersion}, ${resolved.executor} executor)`,
          );
          ctx.output('name', name);
          ctx.output('entityRef', entityRef);
          ctx.output('portalUrl', portalUrl);
          ctx.output('status', 'CREATING');
          const dryRunOwner = ctx.input.owner ?? target.owner;
          if (dryRunOwner) {
            ctx.output('owner', dryRunOwner);
          }
          return;
        }

        const idempotencyKey = `scaffolder:${ctx.task.id}:${
          ctx.step?.id ?? 'astro-deployment-create'
        }`;
        const created = await ctx.checkpoint({
          key: `astro.deployment.create.${organization}.${name}`,
          fn: async () => {
            const deployment = await api.createDeployment({
              path: { org: organization },
              header: { 'Idempotency-Key': idempotencyKey },
              body: {
                name,
                workspace,
                ...(ctx.input.cluster ? { cluster: ctx.input.cluster } : {}),
                ...(ctx.input.title ? { title: ctx.input.title } : {}),
                ...(ctx.input.description
                  ? { description: ctx.input.description }
                  : {}),
                ...(ctx.input.owner ? { owner: ctx.input.owner } : {}),
                ...(settings ? { settings } : {}),
              },
            });
            const owner =
              deployment.owner ??
              (
                await ifFound(
                  api.getWorkspace({
                    path: { org: organization, ws: workspace },
                  }),
                )
              )?.owner;
            return {
              namespace: deployment.namespace,
              status: deployment.status,
              ...(owner ? { owner } : {}),
            };
          },
        });

        ctx.logger.info(
          `Created Deployment ${organization}/${name} in namespace ${created.namespace}; it is ${created.status}`,
        );
        ctx.output('name', name);
        ctx.output('entityRef', entityRef);
        ctx.output('portalUrl', portalUrl);
        ctx.output('namespace', created.namespace);
        ctx.output('status', created.status);
        if (created.owner) {
          ctx.output('owner', created.owner);
        }
      }, settings);
    },
  });
}

/** Values by key from their JSON text; the error never repeats the text. */
function parseValues(text: string): Record<string, string> | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    Object.values(parsed).some(value => typeof value !== 'string')
  ) {
    throw new InputError(
      'secretVariables: must be an object of values by key, or its JSON text',
    );
  }
  return parsed as Record<string, string>;
}

/**
 * The settings with the values of their secret variables filled in from
 * `secretVariables`. A value for a key that is not a secret variable of the
 * settings is refused rather than dropped.
 */
export function withSecretValues(
  settings: DeploymentSettingsInput | undefined,
  given: Record<string, string> | string | undefined,
): DeploymentSettingsInput | undefined {
  const secretVariables =
    typeof given === 'string' ? parseValues(given) : given;
  if (!secretVariables || Object.keys(secretVariables).length === 0) {
    return settings;
  }
  const variables = settings?.environmentVariables ?? [];
  const unknown = Object.keys(secretVariables).filter(
    key => !variables.some(v => v.key === key && v.secret),
  );
  if (unknown.length > 0) {
    throw new InputError(
      `secretVariables: ${unknown.join(
        ', ',
      )} must be secret environment variables of the settings`,
    );
  }
  return {
    ...settings,
    environmentVariables: variables.map(variable =>
      variable.secret && variable.key in secretVariables
        ? { ...variable, value: secretVariables[variable.key] }
        : variable,
    ),
  };
}
