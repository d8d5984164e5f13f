import { randomBytes } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { createAstroServices } from './createAstroServices';
import { everyPrincipalExists } from './__testUtils__/principals';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const ACTOR = 'user:default/alice';

describe.each(databases.eachSupportedId())(
  'DeploymentService on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
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
      await services.organizations.create(ACTOR, { name: 'acme' });
      await services.workspaces.create(ACTOR, 'acme', { name: 'ws' });
      const created = await services.deployments.create(ACTOR, 'acme', {
        name: 'etl',
        workspace: 'ws',
      });
      return { deployments: services.deployments, db, created };
    }

    describe('delete', () => {
      it('refuses a stale version with a conflict and changes nothing', async () => {
        const { deployments, db, created } = await setup();
        // Someone else changes the Deployment after the caller read it.
        const changed = await deployments.update(ACTOR, 'acme', 'etl', {
          title: 'ETL',
          version: created.version,
        });

        await expect(
          deployments.delete(ACTOR, 'acme', 'etl', {
            version: created.version,
          }),
        ).rejects.toThrow(ConflictError);

        const after = await deployments.get('acme', 'etl');
        expect(after.status).not.toBe('DELETING');
        expect(after.version).toBe(changed.version);
        const events = await db.events.listForDeployment(
          (
            await deployments.getRecord('acme', 'etl')
          ).id,
          { limit: 10 },
        );
        expect(events.map(e => e.action)).not.toContain('delete-requested');
      });

      it('requests deletion for the current version, bumping it', async () => {
        const { deployments, created } = await setup();

        const deleting = await deployments.delete(ACTOR, 'acme', 'etl', {
          version: created.version,
        });

        expect(deleting).toMatchObject({
          status: 'DELETING',
          version: created.version + 1,
          updatedBy: ACTOR,
        });
      });

      it('requests deletion without a version, and a repeat writes nothing', async () => {
        const { deployments, created } = await setup();

        const first = await deployments.delete(ACTOR, 'acme', 'etl');
        expect(first.status).toBe('DELETING');
        // A retry of a request that went through, with the version it read.
        const repeat = await deployments.delete(ACTOR, 'acme', 'etl', {
          version: created.version,
        });
        expect(repeat).toEqual(first);
      });
    });

    it('refuses an update with a stale version', async () => {
      const { deployments, created } = await setup();
      await deployments.update(ACTOR, 'acme', 'etl', { title: 'One' });

      await expect(
        deployments.update(ACTOR, 'acme', 'etl', {
          title: 'Two',
          version: created.version,
        }),
      ).rejects.toThrow(ConflictError);
      await expect(deployments.get('acme', 'etl')).resolves.toMatchObject({
        title: 'One',
      });
    });
  },
);
