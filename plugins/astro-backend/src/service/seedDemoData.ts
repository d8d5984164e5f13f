import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { SYSTEM_ACTOR } from './actor';
import { AstroServices } from '.';

/**
 * Creates the demo organization of a fresh local portal when
 * `astro.demo.seed` is true: organization `demo` with the workspaces
 * `data-engineering` and `analytics`, owned by the example groups. Does
 * nothing when the organization exists.
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
}
