import {
  AstroDeploymentResource,
  AstroOrganizationResource,
  AstroWorkspaceResource,
} from '@airflow-portal/plugin-astro-node';
import { AstroDatabase, RoleBindingStore } from '../store';

/**
 * Loads what the permission rules look at, for the permission framework's
 * `apply-conditions` calls: each resource with the role bindings that apply
 * to it. Unknown refs load as `undefined`, which every rule denies, so an
 * absent resource and an invisible one get the same answer.
 */
export class PermissionResources {
  constructor(private readonly db: AstroDatabase) {}

  /** Refs `<organization>`. */
  async organizations(
    refs: string[],
  ): Promise<Array<AstroOrganizationResource | undefined>> {
    return Promise.all(
      refs.map(async ref => {
        const org = await this.db.organizations.get(ref);
        if (!org) {
          return undefined;
        }
        return {
          organization: org.name,
          roleBindings: RoleBindingStore.facts(
            await this.db.roleBindings.inOrganization(org.id),
          ),
        };
      }),
    );
  }

  /** Refs `<organization>/<workspace>`. */
  async workspaces(
    refs: string[],
  ): Promise<Array<AstroWorkspaceResource | undefined>> {
    return Promise.all(
      refs.map(async ref => {
        const [organization, name, ...rest] = ref.split('/');
        const org =
          name && rest.length === 0
            ? await this.db.organizations.get(organization)
            : undefined;
        const workspace = org
          ? await this.db.workspaces.get(org.id, name)
          : undefined;
        if (!org || !workspace) {
          return undefined;
        }
        return {
          organization: org.name,
          workspace: workspace.name,
          ...(workspace.owner ? { owner: workspace.owner } : {}),
          roleBindings: RoleBindingStore.facts(
            await this.db.roleBindings.applyingTo({
              organizationId: org.id,
              workspaceId: workspace.id,
            }),
          ),
        };
      }),
    );
  }

  /** Refs `<organization>/<deployment>`. */
  async deployments(
    refs: string[],
  ): Promise<Array<AstroDeploymentResource | undefined>> {
    return Promise.all(
      refs.map(async ref => {
        const [organization, name, ...rest] = ref.split('/');
        const org =
          name && rest.length === 0
            ? await this.db.organizations.get(organization)
            : undefined;
        const record = org
          ? await this.db.deployments.get(org.id, name)
          : undefined;
        if (!org || !record) {
          return undefined;
        }
        const workspace = await this.db.workspaces.get(
          org.id,
          record.workspace_name,
        );
        const owner = record.owner ?? workspace?.owner ?? undefined;
        return {
          organization: record.organization_name,
          workspace: record.workspace_name,
          name: record.name,
          cluster: record.cluster_name,
          ...(owner ? { owner } : {}),
          roleBindings: RoleBindingStore.facts(
            await this.db.roleBindings.applyingTo({
              organizationId: org.id,
              workspaceId: record.workspace_id,
              deploymentId: record.id,
            }),
          ),
        };
      }),
    );
  }
}
