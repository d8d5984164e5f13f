import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import {
  AstroDeploymentFilter,
  AstroRoleBindingFilter,
} from '@airflow-portal/plugin-astro-node';
import { Knex } from 'knex';

/**
 * What a list may show: everything (`undefined`), nothing, or the rows
 * matching the conditions of a conditional permission decision.
 */
export type ListCriteria<TFilter> =
  | undefined
  | 'none'
  | PermissionCriteria<TFilter>;

/** The columns of a listed row that criteria refer to. */
export interface CriteriaColumns {
  organizationId: string;
  workspaceId?: string;
  deploymentId?: string;
  /** Columns (or SQL expressions) of the `property` filters of Deployments. */
  properties?: Partial<
    Record<
      Extract<AstroDeploymentFilter, { property: string }>['property'],
      string
    >
  >;
}

function roleBindingExists(
  builder: Knex.QueryBuilder,
  filter: AstroRoleBindingFilter['roleBinding'],
  columns: CriteriaColumns,
) {
  const { scope, principals, roles } = filter;
  if (principals.length === 0 || roles.length === 0) {
    builder.whereRaw('1 = 0');
    return;
  }
  let scopeColumn: string | undefined;
  if (scope === 'organization') {
    scopeColumn = columns.organizationId;
  } else if (scope === 'workspace') {
    scopeColumn = columns.workspaceId;
  } else if (scope === 'deployment') {
    scopeColumn = columns.deploymentId;
  }
  if (scope !== 'anywhere' && scopeColumn === undefined) {
    // A workspace list asked about Deployment bindings: nothing matches.
    builder.whereRaw('1 = 0');
    return;
  }
  builder.whereExists(function roleBinding(this: Knex.QueryBuilder) {
    this.select(this.client.raw('1'))
      .from('role_bindings as rb')
      .whereIn('rb.principal', principals)
      .whereIn('rb.role', roles);
    if (scope === 'anywhere') {
      this.whereRaw('rb.organization_id = ??', [columns.organizationId]);
    } else {
      this.where('rb.scope', scope).whereRaw('rb.scope_id = ??', [
        scopeColumn!,
      ]);
    }
  });
}

function applyLeaf(
  builder: Knex.QueryBuilder,
  filter: AstroDeploymentFilter,
  columns: CriteriaColumns,
) {
  if ('roleBinding' in filter) {
    roleBindingExists(builder, filter.roleBinding, columns);
    return;
  }
  const column = columns.properties?.[filter.property];
  if (!column || filter.values.length === 0) {
    builder.whereRaw('1 = 0');
    return;
  }
  builder.whereIn(builder.client.raw(column), filter.values);
}

function applyCriteria(
  builder: Knex.QueryBuilder,
  criteria: PermissionCriteria<AstroDeploymentFilter>,
  columns: CriteriaColumns,
) {
  if (isAndCriteria(criteria)) {
    builder.where(all => {
      for (const part of criteria.allOf) {
        all.andWhere(inner => applyCriteria(inner, part, columns));
      }
    });
  } else if (isOrCriteria(criteria)) {
    if (criteria.anyOf.length === 0) {
      builder.whereRaw('1 = 0');
      return;
    }
    builder.where(any => {
      for (const part of criteria.anyOf) {
        any.orWhere(inner => applyCriteria(inner, part, columns));
      }
    });
  } else if (isNotCriteria(criteria)) {
    builder.whereNot(inner => applyCriteria(inner, criteria.not, columns));
  } else {
    applyLeaf(builder, criteria, columns);
  }
}

/**
 * Restricts a list query to what a permission decision allows, in the
 * database: role-binding conditions become `EXISTS` subqueries on
 * `role_bindings`, so a page of a large list costs one query.
 */
export function restrictToCriteria(
  query: Knex.QueryBuilder,
  criteria: ListCriteria<AstroDeploymentFilter>,
  columns: CriteriaColumns,
): void {
  if (criteria === undefined) {
    return;
  }
  if (criteria === 'none') {
    query.whereRaw('1 = 0');
    return;
  }
  query.where(inner => applyCriteria(inner, criteria, columns));
}
