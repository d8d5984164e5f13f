import { randomBytes } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import { createAstroServices } from '../service/createAstroServices';
import { everyPrincipalExists } from '../service/__testUtils__/principals';
import { ListCriteria } from './permissionCriteria';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const ACTOR = 'user:default/alice';

/*
 * Permission criteria become SQL: every shape the permission framework can
 * hand over (role bindings at each scope, properties, allOf, anyOf, not,
 * empty sets) selects exactly the rows the rules' `apply` would.
 */
describe.each(databases.eachSupportedId())(
  'permission criteria in the store on %s',
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
      for (const ws of ['a', 'b']) {
        await services.workspaces.create(ACTOR, 'acme', {
          name: ws,
          owner: `group:default/team-${ws}`,
        });
      }
      for (const [name, workspace] of [
        ['a1', 'a'],
        ['a2', 'a'],
        ['b1', 'b'],
      ]) {
        await services.deployments.create(ACTOR, 'acme', { name, workspace });
      }
      const grant = (target: any, principal: string, role: any) =>
        services.roleBindings.set(
          ACTOR,
          target,
          { principal, role },
          { trusted: true },
        );
      await grant(
        { kind: 'workspace', organization: 'acme', workspace: 'a' },
        'group:default/devs',
        'WORKSPACE_MEMBER',
      );
      await grant(
        { kind: 'deployment', organization: 'acme', deployment: 'b1' },
        'user:default/dax',
        'DEPLOYMENT_ADMIN',
      );
      const org = (await db.organizations.get('acme'))!;
      const names = async (criteria: ListCriteria<AstroDeploymentFilter>) =>
        (await db.deployments.list(org.id, { limit: 100, criteria }))
          .map(r => r.name)
          .sort();
      return { names, db, org };
    }

    const role = (
      scope: 'organization' | 'workspace' | 'deployment' | 'anywhere',
      principals: string[],
      roles: any[],
    ): PermissionCriteria<AstroDeploymentFilter> => ({
      roleBinding: { scope, principals, roles },
    });

    it('selects by role bindings at each scope', async () => {
      const { names } = await setup();
      expect(
        await names(
          role('workspace', ['group:default/devs'], ['WORKSPACE_MEMBER']),
        ),
      ).toEqual(['a1', 'a2']);
      // The role must be one of those listed.
      expect(
        await names(
          role('workspace', ['group:default/devs'], ['WORKSPACE_OWNER']),
        ),
      ).toEqual([]);
      expect(
        await names(
          role('deployment', ['user:default/dax'], ['DEPLOYMENT_ADMIN']),
        ),
      ).toEqual(['b1']);
      // The creator owns the organization: every Deployment in it.
      expect(
        await names(role('organization', [ACTOR], ['ORGANIZATION_OWNER'])),
      ).toEqual(['a1', 'a2', 'b1']);
      expect(
        await names(
          role('anywhere', ['user:default/dax'], ['DEPLOYMENT_ADMIN']),
        ),
      ).toEqual(['a1', 'a2', 'b1']);
      // No principals or no roles match nothing.
      expect(await names(role('workspace', [], ['WORKSPACE_MEMBER']))).toEqual(
        [],
      );
    });

    it('combines criteria with anyOf, allOf and not, and filters by properties', async () => {
      const { names } = await setup();
      expect(
        await names({
          anyOf: [
            role('workspace', ['group:default/devs'], ['WORKSPACE_MEMBER']),
            role('deployment', ['user:default/dax'], ['DEPLOYMENT_ADMIN']),
          ],
        }),
      ).toEqual(['a1', 'a2', 'b1']);
      expect(
        await names({
          allOf: [
            role('organization', [ACTOR], ['ORGANIZATION_OWNER']),
            { property: 'workspace', values: ['b'] },
          ],
        }),
      ).toEqual(['b1']);
      expect(
        await names({ not: { property: 'workspace', values: ['a'] } }),
      ).toEqual(['b1']);
      expect(
        await names({ property: 'owner', values: ['group:default/team-a'] }),
      ).toEqual(['a1', 'a2']);
      expect(await names({ property: 'cluster', values: ['c'] })).toEqual([
        'a1',
        'a2',
        'b1',
      ]);
      expect(await names({ anyOf: [] as any })).toEqual([]);
      expect(await names({ property: 'workspace', values: [] })).toEqual([]);
      expect(await names('none')).toEqual([]);
      expect(await names(undefined)).toEqual(['a1', 'a2', 'b1']);
    });
  },
);
