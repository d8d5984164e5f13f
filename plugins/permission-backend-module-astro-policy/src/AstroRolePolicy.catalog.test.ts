import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  ASTRO_ENTITY_ANNOTATIONS,
  RoleBinding,
} from '@airflow-portal/plugin-astro-common';
import { AstroRolePolicy } from './AstroRolePolicy';
import { RoleBindingsSource } from './RoleBindingsReader';

/*
 * The policy's decision on catalog.entity.read, applied with the catalog's
 * own permission rules (the `apply` the catalog uses for single entities;
 * its `toQuery` is exercised by the catalog integration test of
 * catalog-backend-module-astro).
 */

const A = ASTRO_ENTITY_ANNOTATIONS;

function entity(
  kind: string,
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'astro.airflow-portal.dev/v1alpha1',
    kind,
    metadata: { name, namespace, annotations },
  };
}

/** Two organizations; acme has two workspaces with a Deployment each. */
const ENTITIES: Entity[] = [
  entity('AstroOrganization', 'acme', 'acme', { [A.organization]: 'acme' }),
  entity('AstroOrganization', 'globex', 'globex', {
    [A.organization]: 'globex',
  }),
  entity('AstroWorkspace', 'acme', 'data-eng', {
    [A.organization]: 'acme',
    [A.workspace]: 'data-eng',
  }),
  entity('AstroWorkspace', 'acme', 'analytics', {
    [A.organization]: 'acme',
    [A.workspace]: 'analytics',
  }),
  entity('AstroWorkspace', 'globex', 'data-eng', {
    [A.organization]: 'globex',
    [A.workspace]: 'data-eng',
  }),
  entity('AstroDeployment', 'acme', 'etl', {
    [A.organization]: 'acme',
    [A.workspace]: 'data-eng',
    [A.deployment]: 'etl',
    [A.cluster]: 'shared-1',
  }),
  entity('AstroDeployment', 'acme', 'reports', {
    [A.organization]: 'acme',
    [A.workspace]: 'analytics',
    [A.deployment]: 'reports',
    [A.cluster]: 'shared-1',
  }),
  entity('AstroDeployment', 'globex', 'etl', {
    [A.organization]: 'globex',
    [A.workspace]: 'data-eng',
    [A.deployment]: 'etl',
    [A.cluster]: 'shared-1',
  }),
  entity('AstroCluster', 'default', 'shared-1', { [A.cluster]: 'shared-1' }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'web', namespace: 'default' },
  },
];

const ref = (e: Entity) =>
  `${e.kind.toLocaleLowerCase('en-US')}:${e.metadata.namespace}/${
    e.metadata.name
  }`;

const ALWAYS_VISIBLE = [
  'astrocluster:default/shared-1',
  'component:default/web',
];

type Criteria = PermissionCriteria<PermissionCondition<string>>;

function matches(criteria: Criteria, target: Entity): boolean {
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => matches(c, target));
  }
  if ('allOf' in criteria) {
    return criteria.allOf.every(c => matches(c, target));
  }
  if ('not' in criteria) {
    return !matches(criteria.not, target);
  }
  const rule = Object.values(permissionRules).find(
    r => r.name === criteria.rule,
  );
  if (!rule) {
    throw new Error(`not a catalog rule: ${criteria.rule}`);
  }
  return rule.apply(target, criteria.params as any);
}

/** The entities a decision lets the user read. */
function visible(decision: PolicyDecision): string[] {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW
      ? ENTITIES.map(ref).sort()
      : [];
  }
  expect(decision.pluginId).toBe('catalog');
  expect(decision.resourceType).toBe('catalog-entity');
  return ENTITIES.filter(e => matches(decision.conditions, e))
    .map(ref)
    .sort();
}

function binding(
  principal: string,
  role: string,
  scope: RoleBinding['scope'],
): RoleBinding {
  return {
    principal,
    role: role as RoleBinding['role'],
    scope,
    createdBy: 'user:default/admin',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const BINDINGS: RoleBinding[] = [
  binding('user:default/olivia', 'ORGANIZATION_OWNER', {
    kind: 'organization',
    organization: 'acme',
  }),
  binding('user:default/bill', 'ORGANIZATION_BILLING_ADMIN', {
    kind: 'organization',
    organization: 'acme',
  }),
  binding('user:default/omar', 'ORGANIZATION_MEMBER', {
    kind: 'organization',
    organization: 'acme',
  }),
  binding('group:default/data-eng-team', 'WORKSPACE_MEMBER', {
    kind: 'workspace',
    organization: 'acme',
    workspace: 'data-eng',
  }),
  binding('user:default/dax', 'DEPLOYMENT_ADMIN', {
    kind: 'deployment',
    organization: 'acme',
    deployment: 'reports',
  }),
];

/** Bindings of the claims, from a fixed table (or a failing backend). */
class TableBindings implements RoleBindingsSource {
  readonly calls: string[][] = [];
  constructor(private readonly failing = false) {}
  async bindingsOf(claims: string[]) {
    this.calls.push(claims);
    if (this.failing) {
      return undefined;
    }
    return BINDINGS.filter(b => claims.includes(b.principal));
  }
}

/** Claims: the user, plus the data-eng team for mia. */
const claims = {
  async claimsOf(userEntityRef: string) {
    return userEntityRef === 'user:default/mia'
      ? [userEntityRef, 'group:default/data-eng-team']
      : [userEntityRef];
  },
};

function userOf(userEntityRef: string): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef] },
  };
}

function policy(source = new TableBindings()) {
  return new AstroRolePolicy({
    claims,
    bootstrapOwners: ['user:default/admin'],
    roleBindings: source,
  });
}

const read = { permission: catalogEntityReadPermission };

describe('AstroRolePolicy on catalog.entity.read', () => {
  it('shows an organization owner everything in its organization and nothing of another', async () => {
    const decision = await policy().handle(read, userOf('user:default/olivia'));
    expect(visible(decision)).toEqual(
      [
        ...ALWAYS_VISIBLE,
        'astrodeployment:acme/etl',
        'astrodeployment:acme/reports',
        'astroorganization:acme/acme',
        'astroworkspace:acme/analytics',
        'astroworkspace:acme/data-eng',
      ].sort(),
    );
  });

  it('shows a billing admin everything in the organization, an organization member only the organization', async () => {
    const billing = await policy().handle(read, userOf('user:default/bill'));
    expect(visible(billing)).toContain('astrodeployment:acme/reports');
    expect(visible(billing)).toContain('astroworkspace:acme/analytics');
    const member = await policy().handle(read, userOf('user:default/omar'));
    expect(visible(member)).toEqual(
      [...ALWAYS_VISIBLE, 'astroorganization:acme/acme'].sort(),
    );
  });

  it('shows a workspace member (through its group) its organization, its workspace and the workspace’s Deployments', async () => {
    const decision = await policy().handle(read, userOf('user:default/mia'));
    expect(visible(decision)).toEqual(
      [
        ...ALWAYS_VISIBLE,
        'astrodeployment:acme/etl',
        'astroorganization:acme/acme',
        'astroworkspace:acme/data-eng',
      ].sort(),
    );
    // globex has a workspace and a Deployment of the same names: the
    // organization annotation keeps them apart.
    expect(visible(decision)).not.toContain('astroworkspace:globex/data-eng');
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: {
              rule: 'IS_ENTITY_KIND',
              resourceType: 'catalog-entity',
              params: {
                kinds: [
                  'AstroOrganization',
                  'AstroWorkspace',
                  'AstroDeployment',
                ],
              },
            },
          },
          {
            anyOf: [
              {
                allOf: [
                  expect.objectContaining({
                    rule: 'IS_ENTITY_KIND',
                    params: { kinds: ['AstroOrganization'] },
                  }),
                  expect.objectContaining({
                    rule: 'HAS_ANNOTATION',
                    params: { annotation: A.organization, value: 'acme' },
                  }),
                ],
              },
              {
                allOf: [
                  expect.objectContaining({
                    params: { kinds: ['AstroWorkspace'] },
                  }),
                  {
                    allOf: [
                      expect.objectContaining({
                        params: { annotation: A.organization, value: 'acme' },
                      }),
                      expect.objectContaining({
                        params: { annotation: A.workspace, value: 'data-eng' },
                      }),
                    ],
                  },
                ],
              },
              expect.objectContaining({ allOf: expect.any(Array) }),
            ],
          },
        ],
      },
    });
  });

  it('shows a Deployment admin its Deployment and organization, not the workspace', async () => {
    const decision = await policy().handle(read, userOf('user:default/dax'));
    expect(visible(decision)).toEqual(
      [
        ...ALWAYS_VISIBLE,
        'astrodeployment:acme/reports',
        'astroorganization:acme/acme',
      ].sort(),
    );
  });

  it('shows somebody without roles no Astro organization, workspace or Deployment, but clusters and other kinds', async () => {
    const decision = await policy().handle(read, userOf('user:default/nobody'));
    expect(visible(decision)).toEqual(ALWAYS_VISIBLE);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: expect.objectContaining({ rule: 'IS_ENTITY_KIND' }),
          },
        ],
      },
    });
  });

  it('shows a platform admin everything without reading role bindings', async () => {
    const source = new TableBindings();
    const decision = await policy(source).handle(
      read,
      userOf('user:default/admin'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
    expect(source.calls).toEqual([]);
  });

  it('hides every Astro organization, workspace and Deployment when the bindings cannot be read', async () => {
    const decision = await policy(new TableBindings(true)).handle(
      read,
      userOf('user:default/olivia'),
    );
    expect(visible(decision)).toEqual(ALWAYS_VISIBLE);
  });

  it('leaves other kinds to a fallback policy and restricts its conditions to them', async () => {
    const fallback = {
      async handle(): Promise<PolicyDecision> {
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          // A fallback that lets users see Astro entities of acme (and
          // nothing else): the roles still decide the Astro kinds.
          conditions: {
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: A.organization, value: 'acme' },
          },
        };
      },
    };
    const composed = new AstroRolePolicy({
      claims,
      bootstrapOwners: [],
      roleBindings: new TableBindings(),
      fallback,
    });
    const decision = await composed.handle(read, userOf('user:default/dax'));
    expect(visible(decision)).toEqual(
      ['astrodeployment:acme/reports', 'astroorganization:acme/acme'].sort(),
    );
    const denying = new AstroRolePolicy({
      claims,
      bootstrapOwners: [],
      roleBindings: new TableBindings(),
      fallback: { handle: async () => ({ result: AuthorizeResult.DENY }) },
    });
    expect(
      visible(await denying.handle(read, userOf('user:default/nobody'))),
    ).toEqual([]);
    expect(await denying.handle(read, userOf('user:default/nobody'))).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('shows callers without a user only what is not governed by roles', async () => {
    const decision = await policy().handle(read);
    expect(visible(decision)).toEqual(ALWAYS_VISIBLE);
  });
});
