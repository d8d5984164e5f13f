import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  astroClusterManagePermission,
  astroClusterReadPermission,
  astroDeploymentDeployPermission,
  astroOrganizationCreatePermission,
  astroOrganizationReadPermission,
  astroWorkspaceRolesManagePermission,
} from '@airflow-portal/plugin-astro-common';
import { AstroRolePolicy } from './AstroRolePolicy';

const user = (ref: string, ownership: string[] = [ref]) => ({
  identity: {
    type: 'user' as const,
    userEntityRef: ref,
    ownershipEntityRefs: ownership,
  },
  info: { userEntityRef: ref, ownershipEntityRefs: ownership },
  token: 'token',
  credentials: {} as any,
});

/** Claims as the catalog would expand them: dana is in data-eng, a child of platform. */
const claims = {
  async claimsOf(ref: string) {
    return ref === 'user:default/dana'
      ? [
          'user:default/dana',
          'group:default/data-eng',
          'group:default/platform',
        ]
      : [ref];
  },
};

describe('AstroRolePolicy', () => {
  const policy = new AstroRolePolicy({
    claims,
    bootstrapOwners: ['group:default/platform-admins', 'user:default/Root'],
  });

  it('allows everything Astro to the platform administrators, by any spelling of their ref', async () => {
    for (const permission of [
      astroOrganizationCreatePermission,
      astroClusterManagePermission,
      astroDeploymentDeployPermission,
    ]) {
      expect(
        await policy.handle({ permission }, user('user:default/root') as any),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('lets every user read clusters and nobody else create organizations or manage clusters', async () => {
    const dana = user('user:default/dana') as any;
    expect(
      await policy.handle({ permission: astroClusterReadPermission }, dana),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    for (const permission of [
      astroOrganizationCreatePermission,
      astroClusterManagePermission,
    ]) {
      expect(await policy.handle({ permission }, dana)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('turns a Deployment permission into role conditions at every scope that grants it, with the nested groups as claims', async () => {
    const decision = await policy.handle(
      { permission: astroDeploymentDeployPermission },
      user('user:default/dana') as any,
    );
    const expectedClaims = [
      'user:default/dana',
      'group:default/data-eng',
      'group:default/platform',
    ];
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'astro',
      resourceType: 'astro-deployment',
      conditions: {
        anyOf: [
          {
            rule: 'HAS_ORGANIZATION_ROLE',
            resourceType: 'astro-deployment',
            params: { claims: expectedClaims, roles: ['ORGANIZATION_OWNER'] },
          },
          {
            rule: 'HAS_WORKSPACE_ROLE',
            resourceType: 'astro-deployment',
            params: {
              claims: expectedClaims,
              roles: [
                'WORKSPACE_OWNER',
                'WORKSPACE_OPERATOR',
                'WORKSPACE_AUTHOR',
              ],
            },
          },
          {
            rule: 'HAS_DEPLOYMENT_ROLE',
            resourceType: 'astro-deployment',
            params: { claims: expectedClaims, roles: ['DEPLOYMENT_ADMIN'] },
          },
        ],
      },
    });
  });

  it('sees an organization through any role inside it, and manages workspace roles only as an owner', async () => {
    const read = await policy.handle(
      { permission: astroOrganizationReadPermission },
      user('user:default/omar') as any,
    );
    expect(read).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'astro-organization',
      conditions: {
        anyOf: [
          {
            rule: 'HAS_ORGANIZATION_ROLE',
            params: {
              roles: [
                'ORGANIZATION_OWNER',
                'ORGANIZATION_BILLING_ADMIN',
                'ORGANIZATION_MEMBER',
              ],
            },
          },
          {
            rule: 'HAS_ROLE_IN_ORGANIZATION',
            params: { claims: ['user:default/omar'] },
          },
        ],
      },
    });
    const manage = await policy.handle(
      { permission: astroWorkspaceRolesManagePermission },
      user('user:default/omar') as any,
    );
    expect(manage).toMatchObject({
      conditions: {
        anyOf: [
          {
            rule: 'HAS_ORGANIZATION_ROLE',
            params: { roles: ['ORGANIZATION_OWNER'] },
          },
          {
            rule: 'HAS_WORKSPACE_ROLE',
            params: { roles: ['WORKSPACE_OWNER'] },
          },
        ],
      },
    });
  });

  it('denies Astro permissions without a user and leaves other permissions to the fallback', async () => {
    expect(
      await policy.handle({ permission: astroDeploymentDeployPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    const other = {
      type: 'basic' as const,
      name: 'catalog.location.create',
      attributes: {},
    };
    expect(await policy.handle({ permission: other })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    const strict = new AstroRolePolicy({
      claims,
      bootstrapOwners: [],
      fallback: { handle: async () => ({ result: AuthorizeResult.DENY }) },
    });
    expect(await strict.handle({ permission: other })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
