import {
  astroBasicPermissions,
  astroPermissionsByResourceType,
} from './permissions';
import {
  ASTRO_ROLE_GRANTS,
  roleGrants,
  roleIsAtLeast,
  rolesAtLeast,
  scopeOfRole,
} from './roles';

describe('the role model', () => {
  it('says which roles grant every resource permission, and nothing else', () => {
    const resourcePermissions = Object.values(astroPermissionsByResourceType)
      .flat()
      .map(p => p.name)
      .sort();
    expect(Object.keys(ASTRO_ROLE_GRANTS).sort()).toEqual(resourcePermissions);
    for (const basic of astroBasicPermissions) {
      expect(ASTRO_ROLE_GRANTS[basic.name]).toBeUndefined();
    }
  });

  it('makes higher roles of a scope imply the lower ones', () => {
    expect(rolesAtLeast('workspace', 'WORKSPACE_AUTHOR')).toEqual([
      'WORKSPACE_OWNER',
      'WORKSPACE_OPERATOR',
      'WORKSPACE_AUTHOR',
    ]);
    expect(rolesAtLeast('workspace', undefined)).toEqual([]);
    expect(roleIsAtLeast('WORKSPACE_OWNER', 'WORKSPACE_MEMBER')).toBe(true);
    expect(roleIsAtLeast('WORKSPACE_MEMBER', 'WORKSPACE_AUTHOR')).toBe(false);
    // Roles of different scopes are not compared.
    expect(roleIsAtLeast('ORGANIZATION_OWNER', 'WORKSPACE_MEMBER')).toBe(false);
    expect(scopeOfRole('DEPLOYMENT_ADMIN')).toBe('deployment');
  });

  it('grants what the product we match grants each role', () => {
    // Authors deploy and edit variables but do not create or delete.
    expect(
      roleGrants('astro.deployment.deploy', 'workspace', 'WORKSPACE_AUTHOR'),
    ).toBe(true);
    expect(
      roleGrants(
        'astro.deployment.variables.update',
        'workspace',
        'WORKSPACE_AUTHOR',
      ),
    ).toBe(true);
    expect(
      roleGrants('astro.deployment.create', 'workspace', 'WORKSPACE_AUTHOR'),
    ).toBe(false);
    expect(
      roleGrants('astro.deployment.delete', 'workspace', 'WORKSPACE_AUTHOR'),
    ).toBe(false);
    // Members only read.
    expect(
      roleGrants('astro.deployment.read', 'workspace', 'WORKSPACE_MEMBER'),
    ).toBe(true);
    expect(
      roleGrants('astro.deployment.update', 'workspace', 'WORKSPACE_MEMBER'),
    ).toBe(false);
    // Billing admins read everything, change nothing.
    expect(
      roleGrants(
        'astro.deployment.read',
        'organization',
        'ORGANIZATION_BILLING_ADMIN',
      ),
    ).toBe(true);
    expect(
      roleGrants(
        'astro.workspace.update',
        'organization',
        'ORGANIZATION_BILLING_ADMIN',
      ),
    ).toBe(false);
    // Organization members see the organization only.
    expect(
      roleGrants('astro.workspace.read', 'organization', 'ORGANIZATION_MEMBER'),
    ).toBe(false);
    // A Deployment admin manages that Deployment, not its workspace.
    expect(
      roleGrants(
        'astro.deployment.roles.manage',
        'deployment',
        'DEPLOYMENT_ADMIN',
      ),
    ).toBe(true);
    expect(
      roleGrants('astro.workspace.read', 'deployment', 'DEPLOYMENT_ADMIN'),
    ).toBe(false);
  });
});
