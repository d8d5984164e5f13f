import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { createAstroServices } from '../../service/createAstroServices';
import { everyPrincipalExists } from '../../service/__testUtils__/principals';

/**
 * The services on a test database holding one cluster `c`, organization
 * `acme`, workspace `a` and Deployment `etl`, created by `actor`.
 */
export async function servicesWithOneDeployment(knex: Knex, actor: string) {
  const { services, db } = await createAstroServices({
    principals: everyPrincipalExists,
    config: new ConfigReader({
      astro: {
        secrets: { encryptionKey: randomBytes(32).toString('base64') },
      },
    }),
    logger: mockServices.logger.mock(),
    database: { getClient: async () => knex },
  });
  await services.clusters.syncDeclared([
    {
      name: 'c',
      driver: 'simulator',
      type: 'standard',
      provider: 'p',
      region: 'r',
    },
  ]);
  await services.organizations.create(actor, { name: 'acme' });
  await services.workspaces.create(actor, 'acme', { name: 'a' });
  await services.deployments.create(actor, 'acme', {
    name: 'etl',
    workspace: 'a',
  });
  const record = await services.deployments.getRecord('acme', 'etl');
  return { services, db, record };
}
