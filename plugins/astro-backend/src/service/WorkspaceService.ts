import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Workspace,
  WorkspaceCreateRequest,
  WorkspaceUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import { AstroWorkspaceFilter } from '@airflow-portal/plugin-astro-node';
import {
  AstroDatabase,
  AstroStores,
  isUniqueViolation,
  ListCriteria,
  newAuditColumns,
  OrganizationRow,
  WorkspaceRow,
  WorkspaceStore,
} from '../store';
import { Actor } from './actor';
import { MutationRunner } from './MutationRunner';
import { OrganizationService } from './OrganizationService';

/** Workspaces: groups of Deployments, owned by a team. */
export class WorkspaceService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly organizations: OrganizationService,
  ) {}

  /** The workspaces of an organization the criteria let the caller see. */
  async list(
    organization: string,
    criteria?: ListCriteria<AstroWorkspaceFilter>,
  ): Promise<Workspace[]> {
    const org = await this.organizations.getRow(organization);
    const rows = await this.db.workspaces.list(org.id, criteria);
    const grants = await this.db.workspaces.grants(rows.map(r => r.id));
    return rows.map(row =>
      WorkspaceStore.toApi(row, org.name, grants.get(row.id) ?? []),
    );
  }

  async get(organization: string, name: string): Promise<Workspace> {
    const org = await this.organizations.getRow(organization);
    return this.toApi(org, await this.getRow(org, name));
  }

  /** The row of a workspace, or a NotFoundError. */
  async getRow(
    org: OrganizationRow,
    name: string,
    stores: AstroStores = this.db,
  ): Promise<WorkspaceRow> {
    const row = await stores.workspaces.get(org.id, name);
    if (!row) {
      throw new NotFoundError(
        `Workspace "${name}" not found in organization "${org.name}"`,
      );
    }
    return row;
  }

  private async toApi(
    org: OrganizationRow,
    row: WorkspaceRow,
    stores: AstroStores = this.db,
  ): Promise<Workspace> {
    const grants = await stores.workspaces.grants([row.id]);
    return WorkspaceStore.toApi(row, org.name, grants.get(row.id) ?? []);
  }

  /** Ids of the dedicated clusters of `org` named in `names`. */
  private async grantableClusterIds(
    org: OrganizationRow,
    names: string[],
    stores: AstroStores,
  ): Promise<string[]> {
    const clusters = await stores.clusters.getByNames(names);
    return names.map((name, index) => {
      const cluster = clusters.find(c => c.name === name);
      if (!cluster) {
        throw new InputError(
          `clusterGrants[${index}]: no cluster named "${name}"`,
        );
      }
      if (cluster.type !== 'dedicated' || cluster.organization !== org.name) {
        throw new InputError(
          `clusterGrants[${index}]: "${name}" is not a dedicated cluster of organization "${org.name}"; standard clusters need no grant`,
        );
      }
      return cluster.id;
    });
  }

  async create(
    actor: Actor,
    organization: string,
    request: WorkspaceCreateRequest,
  ): Promise<Workspace> {
    return this.mutations.run(async (tx, now) => {
      const org = await this.organizations.getRow(organization, tx);
      const clusterIds = await this.grantableClusterIds(
        org,
        [...new Set(request.clusterGrants ?? [])],
        tx,
      );
      const row: WorkspaceRow = {
        id: randomUUID(),
        organization_id: org.id,
        name: request.name,
        title: request.title ?? request.name,
        description: request.description ?? '',
        owner: request.owner ?? null,
        ...newAuditColumns(actor, now),
      };
      try {
        await tx.workspaces.insert(row);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            `name: a workspace named "${request.name}" already exists in organization "${org.name}"`,
          );
        }
        throw error;
      }
      await tx.workspaces.setGrants(row.id, clusterIds);
      const result = await this.toApi(org, row, tx);
      return {
        result,
        events: [
          {
            organization: org.name,
            resourceType: 'workspace',
            resourceName: `${org.name}/${row.name}`,
            action: 'created',
            actor,
            message: `Workspace ${row.name} created`,
            after: result,
          },
        ],
        changes: [
          {
            kind: 'workspace',
            organization: org.name,
            name: row.name,
            action: 'created',
          },
        ],
      };
    });
  }

  async update(
    actor: Actor,
    organization: string,
    name: string,
    request: WorkspaceUpdateRequest,
  ): Promise<Workspace> {
    return this.mutations.run(async (tx, now) => {
      const org = await this.organizations.getRow(organization, tx);
      const row = await this.getRow(org, name, tx);
      const before = await this.toApi(org, row, tx);
      await tx.workspaces.update(
        row,
        request.version,
        {
          title: request.title ?? row.title,
          description: request.description ?? row.description,
          owner: request.owner === undefined ? row.owner : request.owner,
        },
        actor,
        now,
      );
      if (request.clusterGrants) {
        const clusterIds = await this.grantableClusterIds(
          org,
          [...new Set(request.clusterGrants)],
          tx,
        );
        await tx.workspaces.setGrants(row.id, clusterIds);
      }
      const after = await this.toApi(org, await this.getRow(org, name, tx), tx);
      return {
        result: after,
        events: [
          {
            organization: org.name,
            resourceType: 'workspace',
            resourceName: `${org.name}/${name}`,
            action: 'updated',
            actor,
            message: `Workspace ${name} updated`,
            before,
            after,
          },
        ],
        changes: [
          {
            kind: 'workspace',
            organization: org.name,
            name,
            action: 'updated',
          },
        ],
      };
    });
  }

  async delete(actor: Actor, organization: string, name: string) {
    await this.mutations.run(async tx => {
      const org = await this.organizations.getRow(organization, tx);
      const row = await this.getRow(org, name, tx);
      const deployments = await tx.deployments.countInWorkspace(row.id);
      if (deployments > 0) {
        throw new ConflictError(
          `Workspace "${name}" still has ${deployments} deployment(s); delete them first`,
        );
      }
      const before = await this.toApi(org, row, tx);
      await tx.workspaces.delete(row.id);
      return {
        result: undefined,
        events: [
          {
            organization: org.name,
            resourceType: 'workspace',
            resourceName: `${org.name}/${name}`,
            action: 'deleted',
            actor,
            message: `Workspace ${name} deleted`,
            before,
          },
        ],
        changes: [
          {
            kind: 'workspace',
            organization: org.name,
            name,
            action: 'deleted',
          },
        ],
      };
    });
  }
}
