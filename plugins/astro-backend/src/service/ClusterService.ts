import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Cluster,
  ClusterConnectionRequest,
  ClusterCreateRequest,
  ClusterUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import {
  AstroResourceChange,
  ClusterConnection,
  ClusterDeclaration,
} from '@airflow-portal/plugin-astro-node';
import {
  AstroDatabase,
  AstroStores,
  ClusterRow,
  ClusterStore,
  isUniqueViolation,
  newAuditColumns,
  NewEvent,
} from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { Actor, SYSTEM_ACTOR } from './actor';
import { MutationRunner } from './MutationRunner';

const NOTHING_RESERVED = { cpu: 0, memoryBytes: 0 };

function validateConnection(connection: ClusterConnectionRequest) {
  let url: URL;
  try {
    url = new URL(connection.server);
  } catch {
    throw new InputError('connection.server: must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('connection.server: must be an http(s) URL');
  }
}

/** The record's fields from a declaration. */
function declaredFields(declaration: ClusterDeclaration) {
  return {
    title: declaration.title ?? declaration.name,
    description: declaration.description ?? '',
    type: declaration.type,
    provider: declaration.provider,
    region: declaration.region,
    driver: declaration.driver,
    organization: declaration.organization ?? null,
  };
}

/**
 * How a backend's app-config declaration of a cluster relates to the
 * record: `follows` (it may drive the cluster), `conflict` (it differs at
 * the same revision), `superseded` (the record follows a higher revision)
 * or `api` (the name belongs to an API-registered cluster).
 */
export type DeclarationOutcome =
  | { state: 'follows' | 'api' }
  | { state: 'conflict' | 'superseded'; message: string };

/**
 * Clusters: those declared by config or modules (synced at start-up, changed
 * only where declared) and those registered through the API (with their
 * connection encrypted at rest).
 */
export class ClusterService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly secrets: SecretBox,
    private readonly logger: LoggerService,
  ) {}

  /** Every cluster, with what the quotas of its Deployments reserve. */
  async list(): Promise<Cluster[]> {
    const [rows, counts, reserved] = await Promise.all([
      this.db.clusters.list(),
      this.db.clusters.deploymentCounts(),
      this.db.clusters.reservedQuotas(),
    ]);
    return rows.map(row => ({
      ...ClusterStore.toApi(row, counts.get(row.id) ?? 0),
      capacity: { reserved: reserved.get(row.id) ?? NOTHING_RESERVED },
    }));
  }

  /** One cluster, with what the quotas of its Deployments reserve. */
  async get(name: string): Promise<Cluster> {
    const row = await this.getRow(name);
    const [count, reserved] = await Promise.all([
      this.db.deployments.countOnCluster(row.id),
      this.db.clusters.reservedQuotas(row.id),
    ]);
    return {
      ...ClusterStore.toApi(row, count),
      capacity: { reserved: reserved.get(row.id) ?? NOTHING_RESERVED },
    };
  }

  async getRow(
    name: string,
    stores: AstroStores = this.db,
  ): Promise<ClusterRow> {
    const row = await stores.clusters.get(name);
    if (!row) {
      throw new NotFoundError(`Cluster "${name}" not found`);
    }
    return row;
  }

  /** Declarations (with decrypted connections) of API-registered clusters. */
  async apiDeclarations(): Promise<ClusterDeclaration[]> {
    const rows = (await this.db.clusters.list()).filter(
      r => r.source === 'api',
    );
    return rows.map(row => ({
      name: row.name,
      title: row.title,
      description: row.description,
      type: row.type,
      ...(row.organization ? { organization: row.organization } : {}),
      provider: row.provider,
      region: row.region,
      driver: row.driver,
      connection: row.connection_ciphertext
        ? (JSON.parse(
            this.secrets.decrypt(row.connection_ciphertext),
          ) as ClusterConnection)
        : undefined,
    }));
  }

  private async checkOrganization(
    type: string,
    organization: string | undefined,
    stores: AstroStores,
  ) {
    if (type === 'dedicated') {
      if (!organization) {
        throw new InputError(
          'organization: is required for a dedicated cluster',
        );
      }
      if (!(await stores.organizations.get(organization))) {
        throw new InputError(
          `organization: no organization named "${organization}"`,
        );
      }
    } else if (organization) {
      throw new InputError(
        'organization: only dedicated clusters belong to an organization',
      );
    }
  }

  async create(actor: Actor, request: ClusterCreateRequest): Promise<Cluster> {
    validateConnection(request.connection);
    return this.mutations.run(async (tx, now) => {
      await this.checkOrganization(request.type, request.organization, tx);
      const row: ClusterRow = {
        id: randomUUID(),
        name: request.name,
        title: request.title ?? request.name,
        description: request.description ?? '',
        type: request.type,
        provider: request.provider,
        region: request.region,
        driver: 'kubernetes',
        organization: request.organization ?? null,
        source: 'api',
        connection_ciphertext: this.secrets.encrypt(
          JSON.stringify(request.connection),
        ),
        ...newAuditColumns(actor, now),
      };
      try {
        await tx.clusters.insert(row);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            `name: a cluster named "${request.name}" already exists`,
          );
        }
        throw error;
      }
      const result = ClusterStore.toApi(row, 0);
      return {
        result,
        events: [this.event(row, actor, 'created', { after: result })],
        changes: [this.change(row.name, 'created')],
      };
    });
  }

  async update(
    actor: Actor,
    name: string,
    request: ClusterUpdateRequest,
  ): Promise<Cluster> {
    if (request.connection) {
      validateConnection(request.connection);
    }
    return this.mutations.run(async (tx, now) => {
      const row = await this.getRow(name, tx);
      if (row.source !== 'api') {
        throw new ConflictError(
          `Cluster "${name}" is declared in the app config or by a backend module; change it there`,
        );
      }
      const count = await tx.deployments.countOnCluster(row.id);
      await tx.clusters.update(
        row,
        request.version,
        {
          title: request.title ?? row.title,
          description: request.description ?? row.description,
          connection_ciphertext: request.connection
            ? this.secrets.encrypt(JSON.stringify(request.connection))
            : row.connection_ciphertext,
        },
        actor,
        now,
      );
      const before = ClusterStore.toApi(row, count);
      const after = ClusterStore.toApi((await this.getRow(name, tx))!, count);
      return {
        result: after,
        events: [this.event(row, actor, 'updated', { before, after })],
        changes: [this.change(name, 'updated')],
      };
    });
  }

  async delete(actor: Actor, name: string): Promise<void> {
    await this.mutations.run(async tx => {
      const row = await this.getRow(name, tx);
      if (row.source !== 'api') {
        throw new ConflictError(
          `Cluster "${name}" is declared in the app config or by a backend module; remove it there`,
        );
      }
      const count = await tx.deployments.countOnCluster(row.id);
      if (count > 0) {
        throw new ConflictError(
          `Cluster "${name}" still runs ${count} deployment(s)`,
        );
      }
      await tx.clusters.delete(row.id);
      return {
        result: undefined,
        events: [
          this.event(row, actor, 'deleted', {
            before: ClusterStore.toApi(row, 0),
          }),
        ],
        changes: [this.change(name, 'deleted')],
      };
    });
  }

  /**
   * Records the clusters that config and modules declare. A declared name
   * that an API-registered cluster already uses is skipped with a warning.
   */
  async syncDeclared(declarations: ClusterDeclaration[]): Promise<void> {
    for (const declaration of declarations) {
      await this.mutations.run(async (tx, now) => {
        const existing = await tx.clusters.get(declaration.name);
        const fields = declaredFields(declaration);
        if (existing && existing.source !== 'declared') {
          this.logger.warn(
            `Cluster "${declaration.name}" is declared in config but was registered through the API; keeping the registered one`,
          );
          return { result: undefined, events: [], changes: [] };
        }
        if (!existing) {
          const row: ClusterRow = {
            id: randomUUID(),
            name: declaration.name,
            ...fields,
            source: 'declared',
            connection_ciphertext: null,
            ...newAuditColumns(SYSTEM_ACTOR, now),
          };
          await tx.clusters.insert(row);
          return {
            result: undefined,
            events: [
              this.event(row, SYSTEM_ACTOR, 'created', {
                after: ClusterStore.toApi(row, 0),
              }),
            ],
            changes: [this.change(row.name, 'created')],
          };
        }
        const current: Record<string, unknown> = { ...existing };
        const changed = Object.entries(fields).some(
          ([key, value]) => current[key] !== value,
        );
        if (!changed) {
          return { result: undefined, events: [], changes: [] };
        }
        await tx.clusters.update(
          existing,
          undefined,
          fields,
          SYSTEM_ACTOR,
          now,
        );
        return {
          result: undefined,
          events: [
            this.event(existing, SYSTEM_ACTOR, 'updated', {
              message: `Cluster ${existing.name} updated from its declaration`,
            }),
          ],
          changes: [this.change(existing.name, 'updated')],
        };
      });
    }
  }

  /**
   * Compares a cluster declared in this backend's app config with the
   * record: records a new one, adopts a higher revision, and reports a
   * differing declaration of the same or a lower revision on the record
   * (condition `DeclarationInSync` False, an event) instead of writing it.
   * `follows`: the record matches this backend's declaration, which may
   * drive the cluster; otherwise it must leave it alone.
   */
  async syncOwnedDeclaration(
    declaration: ClusterDeclaration,
    owned: { hash: string; revision: number },
    options: { staleConflictMs: number },
  ): Promise<DeclarationOutcome> {
    return this.mutations.run(async (tx, now) => {
      const none = (outcome: DeclarationOutcome) => ({
        result: outcome,
        events: [],
        changes: [],
      });
      const existing = await tx.clusters.get(declaration.name);
      const fields = declaredFields(declaration);
      if (existing && existing.source !== 'declared') {
        this.logger.warn(
          `Cluster "${declaration.name}" is declared in config but was registered through the API; keeping the registered one`,
        );
        return none({ state: 'api' });
      }
      if (!existing) {
        const row: ClusterRow = {
          id: randomUUID(),
          name: declaration.name,
          ...fields,
          source: 'declared',
          connection_ciphertext: null,
          declaration_hash: owned.hash,
          declaration_revision: owned.revision,
          declaration_conflict: null,
          ...newAuditColumns(SYSTEM_ACTOR, now),
        };
        await tx.clusters.insert(row);
        return {
          result: { state: 'follows' },
          events: [
            this.event(row, SYSTEM_ACTOR, 'created', {
              after: ClusterStore.toApi(row, 0),
            }),
          ],
          changes: [this.change(row.name, 'created')],
        };
      }
      const conflict = ClusterStore.conflictOf(existing);
      if (existing.declaration_hash === owned.hash) {
        // A conflict nobody reported for a while is from a backend that
        // is gone or was fixed.
        if (
          conflict &&
          now.getTime() -
            Date.parse(conflict.reportedAt ?? conflict.detectedAt) >
            options.staleConflictMs
        ) {
          await tx.clusters.setDeclarationConflict(existing.id, null);
          return {
            result: { state: 'follows' },
            events: [
              this.event(existing, SYSTEM_ACTOR, 'declaration-resolved', {
                message: `Cluster ${existing.name}: no backend reports a differing declaration any more`,
              }),
            ],
            changes: [this.change(existing.name, 'updated')],
          };
        }
        return none({ state: 'follows' });
      }
      const storedRevision = existing.declaration_revision ?? 0;
      if (!existing.declaration_hash || owned.revision > storedRevision) {
        const adopted = await tx.clusters.adoptDeclaration(
          existing.id,
          existing.declaration_hash ?? null,
          owned,
          fields,
          SYSTEM_ACTOR,
          now,
        );
        if (!adopted) {
          // Another backend adopted a declaration meanwhile: next check.
          return none({ state: 'superseded', message: 'changed meanwhile' });
        }
        this.logger.info(
          `Cluster "${existing.name}": adopted the declaration of revision ${owned.revision} (the record followed revision ${storedRevision})`,
        );
        return {
          result: { state: 'follows' },
          events: [
            this.event(existing, SYSTEM_ACTOR, 'updated', {
              message: `Cluster ${existing.name} follows its declaration of revision ${owned.revision}`,
            }),
          ],
          changes: [this.change(existing.name, 'updated')],
        };
      }
      const message =
        owned.revision < storedRevision
          ? `A backend declares cluster ${existing.name} with revision ${owned.revision}, older than the revision ${storedRevision} the record follows; it leaves the cluster to the backends with the newer declaration`
          : `A backend declares cluster ${existing.name} (revision ${owned.revision}) differently from the declaration the record follows (revision ${storedRevision}); it leaves the cluster alone until the declarations agree, or one with a higher revision is adopted`;
      const nowIso = now.toISOString();
      const report = {
        hash: owned.hash,
        revision: owned.revision,
        message,
        detectedAt:
          conflict?.hash === owned.hash ? conflict.detectedAt : nowIso,
        reportedAt: nowIso,
      };
      await tx.clusters.setDeclarationConflict(existing.id, report);
      const first = conflict?.hash !== owned.hash;
      return {
        result: {
          state: owned.revision < storedRevision ? 'superseded' : 'conflict',
          message,
        },
        events: first
          ? [
              this.event(existing, SYSTEM_ACTOR, 'declaration-conflict', {
                message,
              }),
            ]
          : [],
        changes: first ? [this.change(existing.name, 'updated')] : [],
      };
    });
  }

  private event(
    row: ClusterRow,
    actor: Actor,
    action: string,
    extra: { before?: unknown; after?: unknown; message?: string },
  ): NewEvent {
    return {
      organization: row.organization ?? '',
      resourceType: 'cluster',
      resourceName: row.name,
      action,
      actor,
      message: extra.message ?? `Cluster ${row.name} ${action}`,
      before: extra.before,
      after: extra.after,
    };
  }

  private change(
    name: string,
    action: AstroResourceChange['action'],
  ): AstroResourceChange {
    return { kind: 'cluster', name, action };
  }
}
