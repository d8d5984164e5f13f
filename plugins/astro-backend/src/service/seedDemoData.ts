import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { SYSTEM_ACTOR } from './actor';
import { RoleBindingInput } from '@airflow-portal/plugin-astro-common';
import { AstroServices } from '.';

/**
 * Creates the demo organization of a fresh local portal when
 * `astro.demo.seed` is true: organization `demo` with the workspaces
 * `data-engineering` and `analytics`, owned by the example groups, and
 * two teams with different roles (examples/org.yaml has their users):
 * `group:default/data-engineering` operates its workspace and reads
 * Analytics; `group:default/analytics` authors in Analytics only; every
 * member of `group:default/data-platform` (the parent of both) sees the
 * organization. Does nothing when the organization exists.
 */
export async function seedDemoData(options: {
  config: Config;
  services: AstroServices;
  logger: LoggerService;
}): Promise<void> {
  const { config, services, logger } = options;
  if (!config.getOptionalBoolean('astro.demo.seed')) {
    return;
  }
  try {
    await services.organizations.get('demo');
    return;
  } catch (error) {
    if (!(error instanceof NotFoundError)) {
      throw error;
    }
  }
  logger.info('Seeding the demo organization (astro.demo.seed)');
  await services.organizations.create(SYSTEM_ACTOR, {
    name: 'demo',
    title: 'Demo Organization',
    description: 'Created because astro.demo.seed is enabled',
  });
  await services.workspaces.create(SYSTEM_ACTOR, 'demo', {
    name: 'data-engineering',
    title: 'Data Engineering',
    description: 'Ingestion pipelines',
    owner: 'group:default/data-engineering',
  });
  await services.workspaces.create(SYSTEM_ACTOR, 'demo', {
    name: 'analytics',
    title: 'Analytics',
    description: 'Reporting DAGs',
    owner: 'group:default/analytics',
  });
  const grants: Array<[string, string | undefined, string, string]> = [
    [
      'organization',
      undefined,
      'group:default/data-platform',
      'ORGANIZATION_MEMBER',
    ],
    [
      'workspace',
      'data-engineering',
      'group:default/data-engineering',
      'WORKSPACE_OPERATOR',
    ],
    [
      'workspace',
      'analytics',
      'group:default/data-engineering',
      'WORKSPACE_MEMBER',
    ],
    ['workspace', 'analytics', 'group:default/analytics', 'WORKSPACE_AUTHOR'],
  ];
  for (const [kind, workspace, principal, role] of grants) {
    await services.roleBindings.set(
      SYSTEM_ACTOR,
      kind === 'organization'
        ? { kind: 'organization', organization: 'demo' }
        : { kind: 'workspace', organization: 'demo', workspace: workspace! },
      { principal, role: role as RoleBindingInput['role'] },
      { trusted: true },
    );
  }
}
