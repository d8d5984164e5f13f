import { AstroRole, AstroRoleScope } from '@airflow-portal/plugin-astro-common';
import { AstroRoleBindingFact } from '@airflow-portal/plugin-astro-node';
import { Db } from './util';

/** A row of the `role_bindings` table. */
export interface RoleBindingRow {
  id: string;
  scope: AstroRoleScope;
  /** Id of the bound organization, workspace or Deployment. */
  scope_id: string;
  organization_id: string;
  workspace_id: string | null;
  deployment_id: string | null;
  /** Entity ref of a User or Group, lower-case. */
  principal: string;
  role: AstroRole;
  created_by: string;
  created_at: Date | string | number;
}

/** A binding with the names of what it is bound to. */
export interface RoleBindingRecord extends RoleBindingRow {
  organization_name: string;
  workspace_name: string | null;
  deployment_name: string | null;
}

/** Where bindings apply: a resource and the resources containing it. */
export interface RoleBindingTarget {
  organizationId: string;
  workspaceId?: string;
  deploymentId?: string;
}

/** Role bindings of users and groups on organizations, workspaces and Deployments. */
export class RoleBindingStore {
  constructor(private readonly db: Db) {}

  private records() {
    return this.db<RoleBindingRecord>('role_bindings as r')
      .join('organizations as o', 'o.id', 'r.organization_id')
      .leftJoin('workspaces as w', 'w.id', 'r.workspace_id')
      .leftJoin('deployments as d', 'd.id', 'r.deployment_id')
      .select(
        'r.*',
        'o.name as organization_name',
        'w.name as workspace_name',
        'd.name as deployment_name',
      );
  }

  /** The bindings on one resource, by principal. */
  async listOn(scope: AstroRoleScope, scopeId: string) {
    return this.records()
      .where({ 'r.scope': scope, 'r.scope_id': scopeId })
      .orderBy('r.principal');
  }

  /** The binding of a principal on one resource. */
  async getOn(scope: AstroRoleScope, scopeId: string, principal: string) {
    return this.records()
      .where({
        'r.scope': scope,
        'r.scope_id': scopeId,
        'r.principal': principal,
      })
      .first();
  }

  /**
   * Binds a role, replacing the role the principal held on the resource
   * (one statement: concurrent grants end with one of them, never two rows).
   */
  async upsert(row: RoleBindingRow): Promise<void> {
    await this.db('role_bindings')
      .insert(row)
      .onConflict(['scope', 'scope_id', 'principal'])
      .merge(['role', 'created_by', 'created_at']);
  }

  /** Removes a binding; whether there was one. */
  async delete(
    scope: AstroRoleScope,
    scopeId: string,
    principal: string,
  ): Promise<boolean> {
    const count = await this.db('role_bindings')
      .where({ scope, scope_id: scopeId, principal })
      .delete();
    return count > 0;
  }

  /**
   * The bindings that apply to a resource: on it and on the resources
   * containing it, to any of `principals` when given.
   */
  async applyingTo(
    target: RoleBindingTarget,
    principals?: string[],
  ): Promise<RoleBindingRecord[]> {
    const query = this.records().where(q => {
      q.where({
        'r.scope': 'organization',
        'r.scope_id': target.organizationId,
      });
      if (target.workspaceId) {
        q.orWhere({ 'r.scope': 'workspace', 'r.scope_id': target.workspaceId });
      }
      if (target.deploymentId) {
        q.orWhere({
          'r.scope': 'deployment',
          'r.scope_id': target.deploymentId,
        });
      }
    });
    if (principals) {
      query.whereIn('r.principal', principals);
    }
    return query.orderBy(['r.scope', 'r.principal']);
  }

  /** Every binding in an organization (on it and on anything in it). */
  async inOrganization(organizationId: string) {
    return this.records()
      .where('r.organization_id', organizationId)
      .orderBy(['r.scope', 'r.principal']);
  }

  /** Every binding of any of the principals, anywhere. */
  async ofPrincipals(principals: string[]) {
    return this.records()
      .whereIn('r.principal', principals)
      .orderBy(['o.name', 'r.scope', 'r.principal']);
  }

  /** Bindings as permission rules see them. */
  static facts(rows: RoleBindingRow[]): AstroRoleBindingFact[] {
    return rows.map(row => ({
      scope: row.scope,
      principal: row.principal,
      role: row.role,
    }));
  }
}
