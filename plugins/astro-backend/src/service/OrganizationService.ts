import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Organization,
  OrganizationCreateRequest,
  OrganizationUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import { AstroDatabase, OrganizationRow } from '../store';
import { OrganizationStore } from '../store/OrganizationStore';
import {
  Db,
  isUniqueViolation,
  newAuditColumns,
  updateVersioned,
} from '../store/util';
import { Actor } from './actor';
import { MutationRunner } from './MutationRunner';

/** Organizations: the top of the hierarchy. */
export class OrganizationService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
  ) {}

  async list(): Promise<Organization[]> {
    return (await this.db.organizations.list()).map(OrganizationStore.toApi);
  }

  async get(name: string): Promise<Organization> {
    return OrganizationStore.toApi(await this.getRow(name));
  }

  /** The row of an organization, or a NotFoundError. */
  async getRow(name: string, db?: Db): Promise<OrganizationRow> {
    const row = await this.db.organizations.get(name, db);
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
        await this.db.organizations.insert(row, tx);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            `name: an organization named "${request.name}" already exists`,
          );
        }
        throw error;
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
      await updateVersioned(
        tx,
        'organizations',
        row,
        request.version,
        changes,
        actor,
        now,
      );
      const before = OrganizationStore.toApi(row);
      const after = OrganizationStore.toApi(
        (await this.db.organizations.get(name, tx))!,
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
      const workspaces = await this.db.workspaces.countInOrganization(
        row.id,
        tx,
      );
      if (workspaces > 0) {
        throw new ConflictError(
          `Organization "${name}" still has ${workspaces} workspace(s); delete them first`,
        );
      }
      const clusters = await this.db.clusters.countDedicatedTo(name, tx);
      if (clusters > 0) {
        throw new ConflictError(
          `Organization "${name}" still has ${clusters} dedicated cluster(s); remove them first`,
        );
      }
      await this.db.organizations.delete(row.id, tx);
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
