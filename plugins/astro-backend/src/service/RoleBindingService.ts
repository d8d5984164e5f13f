import { randomUUID } from 'node:crypto';
import { InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AstroRole,
  AstroRoleScope,
  RoleBinding,
  RoleBindingInput,
  ROLES_BY_SCOPE,
  scopeOfRole,
} from '@airflow-portal/plugin-astro-common';
import {
  AstroDatabase,
  AstroStores,
  RoleBindingRecord,
  RoleBindingTarget,
  toIso,
} from '../store';
import { normalizePrincipalRef } from '@airflow-portal/plugin-astro-node';
import { Actor } from './actor';
import { MutationRunner } from './MutationRunner';

/** Tells whether an entity ref names a User or Group of the catalog. */
export interface PrincipalDirectory {
  /** The kind of the entity, or undefined when the catalog has no such User or Group. */
  kindOf(entityRef: string): Promise<'user' | 'group' | undefined>;
}

/** A resource role bindings are made on. */
export type RoleTarget =
  | { kind: 'organization'; organization: string }
  | { kind: 'workspace'; organization: string; workspace: string }
  | { kind: 'deployment'; organization: string; deployment: string };

/** A role target with the ids of it and of what contains it. */
interface ResolvedTarget extends RoleBindingTarget {
  kind: AstroRoleScope;
  scopeId: string;
  organization: string;
  name: string;
  deploymentRecordId?: string;
}

/** Renders a binding for the API. */
export function roleBindingToApi(row: RoleBindingRecord): RoleBinding {
  return {
    principal: row.principal,
    role: row.role,
    scope: {
      kind: row.scope,
      organization: row.organization_name,
      ...(row.workspace_name && row.scope === 'workspace'
        ? { workspace: row.workspace_name }
        : {}),
      ...(row.deployment_name ? { deployment: row.deployment_name } : {}),
    },
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
  };
}

function describeTarget(target: ResolvedTarget): string {
  return target.kind === 'organization'
    ? `organization ${target.organization}`
    : `${target.kind} ${target.organization}/${target.name}`;
}

/**
 * Role bindings: which user or group of the catalog holds which role on an
 * organization, workspace or Deployment. Principals must exist in the
 * catalog as a User or Group; each holds at most one role per resource.
 */
export class RoleBindingService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly directory: PrincipalDirectory,
  ) {}

  /** Finds the resource; NotFoundError when it does not exist. */
  async resolve(
    target: RoleTarget,
    stores: AstroStores = this.db,
  ): Promise<ResolvedTarget> {
    const org = await stores.organizations.get(target.organization);
    if (!org) {
      throw new NotFoundError(
        `Organization "${target.organization}" not found`,
      );
    }
    if (target.kind === 'organization') {
      return {
        kind: 'organization',
        scopeId: org.id,
        organizationId: org.id,
        organization: org.name,
        name: org.name,
      };
    }
    if (target.kind === 'workspace') {
      const workspace = await stores.workspaces.get(org.id, target.workspace);
      if (!workspace) {
        throw new NotFoundError(
          `Workspace "${target.organization}/${target.workspace}" not found`,
        );
      }
      return {
        kind: 'workspace',
        scopeId: workspace.id,
        organizationId: org.id,
        workspaceId: workspace.id,
        organization: org.name,
        name: workspace.name,
      };
    }
    const deployment = await stores.deployments.get(org.id, target.deployment);
    if (!deployment) {
      throw new NotFoundError(
        `Deployment "${target.organization}/${target.deployment}" not found`,
      );
    }
    return {
      kind: 'deployment',
      scopeId: deployment.id,
      organizationId: org.id,
      workspaceId: deployment.workspace_id,
      deploymentId: deployment.id,
      organization: org.name,
      name: deployment.name,
    };
  }

  /** The bindings on a resource, by principal. */
  async list(target: RoleTarget): Promise<RoleBinding[]> {
    const resolved = await this.resolve(target);
    const rows = await this.db.roleBindings.listOn(
      resolved.kind,
      resolved.scopeId,
    );
    return rows.map(roleBindingToApi);
  }

  /** Checks a principal ref and returns it normalized; InputError naming `principal`. */
  async checkPrincipal(ref: string): Promise<string> {
    let normalized: string;
    try {
      const parsed = parseEntityRef(ref.trim(), {
        defaultNamespace: 'default',
      });
      normalized = stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
    } catch {
      throw new InputError(
        `principal: "${ref}" is not an entity ref; use user:<namespace>/<name> or group:<namespace>/<name>`,
      );
    }
    const kind = normalized.split(':')[0];
    if (kind !== 'user' && kind !== 'group') {
      throw new InputError(
        `principal: roles are granted to users and groups; ${normalized} is a ${kind}`,
      );
    }
    if ((await this.directory.kindOf(normalized)) === undefined) {
      throw new InputError(
        `principal: ${normalized} is not a ${
          kind === 'user' ? 'User' : 'Group'
        } in the catalog`,
      );
    }
    return normalized;
  }

  /**
   * Grants a role on a resource, replacing the principal's role there.
   * `trusted` skips the catalog lookup of the principal: for bindings the
   * platform's own config or demo data declares, which may name groups the
   * catalog has not ingested yet.
   */
  async set(
    actor: Actor,
    target: RoleTarget,
    input: RoleBindingInput,
    options: { trusted?: boolean } = {},
  ): Promise<RoleBinding> {
    const scope = target.kind;
    if (scopeOfRole(input.role as AstroRole) !== scope) {
      throw new InputError(
        `role: ${input.role} is a ${scopeOfRole(
          input.role as AstroRole,
        )} role; a ${scope} takes one of ${ROLES_BY_SCOPE[scope].join(', ')}`,
      );
    }
    const principal = options.trusted
      ? normalizePrincipalRef(input.principal)
      : await this.checkPrincipal(input.principal);
    return this.mutations.run(async (tx, now) => {
      const resolved = await this.resolve(target, tx);
      const before = await tx.roleBindings.getOn(
        resolved.kind,
        resolved.scopeId,
        principal,
      );
      await tx.roleBindings.upsert({
        id: randomUUID(),
        scope: resolved.kind,
        scope_id: resolved.scopeId,
        organization_id: resolved.organizationId,
        workspace_id: resolved.workspaceId ?? null,
        deployment_id: resolved.deploymentId ?? null,
        principal,
        role: input.role as AstroRole,
        created_by: actor,
        created_at: now,
      });
      const row = (await tx.roleBindings.getOn(
        resolved.kind,
        resolved.scopeId,
        principal,
      ))!;
      const result = roleBindingToApi(row);
      return {
        result,
        events: [
          {
            organization: resolved.organization,
            resourceType: resolved.kind,
            resourceName: resolved.name,
            ...(resolved.deploymentId
              ? { deploymentId: resolved.deploymentId }
              : {}),
            action: 'role-granted',
            actor,
            message: `${principal} granted ${input.role} on ${describeTarget(
              resolved,
            )}${before ? ` (was ${before.role})` : ''}`,
            before: before ? roleBindingToApi(before) : undefined,
            after: result,
          },
        ],
        changes: [],
      };
    });
  }

  /** Removes the role a principal holds on a resource; NotFoundError when none. */
  async remove(
    actor: Actor,
    target: RoleTarget,
    principalRef: string,
  ): Promise<void> {
    let principal: string;
    try {
      principal = stringifyEntityRef(
        parseEntityRef(principalRef.trim(), { defaultNamespace: 'default' }),
      ).toLocaleLowerCase('en-US');
    } catch {
      throw new InputError(`principal: "${principalRef}" is not an entity ref`);
    }
    await this.mutations.run(async (tx, _now) => {
      const resolved = await this.resolve(target, tx);
      const before = await tx.roleBindings.getOn(
        resolved.kind,
        resolved.scopeId,
        principal,
      );
      if (!before) {
        throw new NotFoundError(
          `${principal} holds no role on ${describeTarget(resolved)}`,
        );
      }
      await tx.roleBindings.delete(resolved.kind, resolved.scopeId, principal);
      return {
        result: undefined,
        events: [
          {
            organization: resolved.organization,
            resourceType: resolved.kind,
            resourceName: resolved.name,
            ...(resolved.deploymentId
              ? { deploymentId: resolved.deploymentId }
              : {}),
            action: 'role-removed',
            actor,
            message: `${principal} no longer holds ${
              before.role
            } on ${describeTarget(resolved)}`,
            before: roleBindingToApi(before),
          },
        ],
        changes: [],
      };
    });
  }

  /**
   * The bindings of any of the claims that apply to a resource (on it and
   * on what contains it), or all of their bindings without a target.
   */
  async bindingsOf(
    claims: string[],
    target?: RoleTarget,
  ): Promise<RoleBinding[]> {
    if (claims.length === 0) {
      return [];
    }
    const rows = target
      ? await this.db.roleBindings.applyingTo(
          await this.resolve(target),
          claims,
        )
      : await this.db.roleBindings.ofPrincipals(claims);
    return rows.map(roleBindingToApi);
  }
}
