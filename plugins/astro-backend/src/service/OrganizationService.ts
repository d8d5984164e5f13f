import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Organization,
  OrganizationCreateRequest,
  OrganizationUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import { AstroOrganizationFilter } from '@airflow-portal/plugin-astro-node';
import {
  AstroDatabase,
  AstroStores,
  isUniqueViolation,
  ListCriteria,
  newAuditColumns,
  OrganizationRow,
  OrganizationStore,
} from '../store';
import { Actor } from './actor';
import { MutationRunner } from './MutationRunner';

/** Organizations: the top of the hierarchy. */
export class OrganizationService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
  ) {}

  /** The organizations the criteria let the caller see. */
  async list(
    criteria?: ListCriteria<AstroOrganizationFilter>,
  ): Promise<Organization[]> {
    return (await this.db.organizations.list(criteria)).map(
      OrganizationStore.toApi,
    );
  }

  async get(name: string): Promise<Organization> {
    return OrganizationStore.toApi(await this.getRow(name));
  }

  /** The row of an organization, or a NotFoundError. */
  async getRow(
    name: string,
    stores: AstroStores = this.db,
  ): Promise<OrganizationRow> {
    const row = await stores.organizations.get(name);
    if (!row) {
      throw new NotFoundError(`Organization "${name}" not found`);
    }
    return row;
  }

  async create(
    actor: Actor,
    request: OrganizationCreateRequest,
  ): Promise<Organization> {
    return this.mutations.run(async (tx, now) => {
      const row: OrganizationRow = {
        id: randomUUID(),
        name: request.name,
        title: request.title ?? request.name,
        description: request.description ?? '',
        ...newAuditColumns(actor, now),
      };
      try {
        await tx.organizations.insert(row);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            `name: an organization named "${request.name}" already exists`,
          );
        }
        throw error;
      }
      // Whoever creates an organization becomes its owner.
      if (actor.startsWith('user:')) {
        await tx.roleBindings.upsert({
          id: randomUUID(),
          scope: 'organization',
          scope_id: row.id,
          organization_id: row.id,
          workspace_id: null,
          deployment_id: null,
          principal: actor.toLocaleLowerCase('en-US'),
          role: 'ORGANIZATION_OWNER',
          created_by: actor,
          created_at: now,
        });
      }
      const result = OrganizationStore.toApi(row);
      return {
        result,
        events: [
          {
            organization: row.name,
            resourceType: 'organization',
            resourceName: row.name,
            action: 'created',
            actor,
            message: `Organization ${row.name} created`,
            after: result,
          },
        ],
        changes: [{ kind: 'organization', name: row.name, action: 'created' }],
      };
    });
  }

  async update(
    actor: Actor,
    name: string,
    request: OrganizationUpdateRequest,
  ): Promise<Organization> {
    return this.mutations.run(async (tx, now) => {
      const row = await this.getRow(name, tx);
      const changes = {
        title: request.title ?? row.title,
        description: request.description ?? row.description,
      };
      await tx.organizations.update(row, request.version, changes, actor, now);
      const before = OrganizationStore.toApi(row);
      const after = OrganizationStore.toApi(
        (await tx.organizations.get(name))!,
      );
      return {
        result: after,
        events: [
          {
            organization: name,
            resourceType: 'organization',
            resourceName: name,
            action: 'updated',
            actor,
            message: `Organization ${name} updated`,
            before,
            after,
          },
        ],
        changes: [{ kind: 'organization', name, action: 'updated' }],
      };
    });
  }

  async delete(actor: Actor, name: string): Promise<void> {
    await this.mutations.run(async tx => {
      const row = await this.getRow(name, tx);
      const workspaces = await tx.workspaces.countInOrganization(row.id);
      if (workspaces > 0) {
        throw new ConflictError(
          `Organization "${name}" still has ${workspaces} workspace(s); delete them first`,
        );
      }
      const clusters = await tx.clusters.countDedicatedTo(name);
      if (clusters > 0) {
        throw new ConflictError(
          `Organization "${name}" still has ${clusters} dedicated cluster(s); remove them first`,
        );
      }
      await tx.organizations.delete(row.id);
      return {
        result: undefined,
        events: [
          {
            organization: name,
            resourceType: 'organization',
            resourceName: name,
            action: 'deleted',
            actor,
            message: `Organization ${name} deleted`,
            before: OrganizationStore.toApi(row),
          },
        ],
        changes: [{ kind: 'organization', name, action: 'deleted' }],
      };
    });
  }
}
