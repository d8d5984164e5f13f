import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { optionsAt } from '../options/runtimeCatalog';
import { checkAirflowVersionChange } from '../upgrades/migrationDirection';
import {
  AstroEvent,
  Deployment,
  DeploymentCreateRequest,
  DeploymentOptions,
  DeploymentSettings,
  DeploymentStatus,
  DeploymentSummaryPage,
  DeploymentUpdateRequest,
  describeInvalidDeploymentName,
  describeValidationIssues,
  Page,
  validateDeploymentSettings,
  VariablesUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import {
  AstroDatabase,
  AstroStores,
  canonicalJson,
  ClusterRow,
  decodeCursor,
  DeploymentRecord,
  DeploymentRow,
  DeploymentStore,
  encodeCursor,
  isUniqueViolation,
  newAuditColumns,
  OrganizationRow,
  WorkspaceRow,
  ListCriteria,
  toIso,
} from '../store';
import { SecretBox } from '../secrets/SecretBox';
import {
  QuotaPlatform,
  describeQuotaShortfall,
  planSettingsQuota,
} from '../render';
import { Actor } from './actor';
import { CREDENTIAL_NAMES, generateCredentials } from './credentials';
import { MutationRunner } from './MutationRunner';
import { OrganizationService } from './OrganizationService';
import { WorkspaceService } from './WorkspaceService';
import { resolveVariableRows } from './variables';
import {
  assertHighAvailabilityAllowed,
  HibernationPlanner,
  hibernationStateOf,
} from '../hibernation';

const DEFAULT_PAGE_SIZE = 50;

/** The namespace of a Deployment: its name plus a suffix from its id. */
export function namespaceFor(name: string, id: string): string {
  return `astro-${name}-${id.replace(/-/g, '').slice(0, 6)}`;
}

/**
 * Which Deployments a caller may list: all (no field set), one
 * organization's, one workspace's or a single Deployment (API tokens).
 */
export interface DeploymentVisibility {
  organizationId?: string;
  workspaceId?: string;
  deploymentId?: string;
}

function settingsWithoutVariables(settings: DeploymentSettings) {
  const { environmentVariables: _omit, ...rest } = settings;
  return rest;
}

/**
 * Deployments: their desired settings (validated with the shared schema),
 * placement on a cluster, environment variables and lifecycle.
 */
export class DeploymentService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly organizations: OrganizationService,
    private readonly workspaces: WorkspaceService,
    private readonly secrets: SecretBox,
    private readonly options: {
      deploymentOptions: DeploymentOptions;
      defaultCluster?: string;
      /**
       * How settings are held against their namespace quota: the platform's
       * facts the need depends on, and whether a quota below the need is
       * accepted (the renderer then reports `QuotaTooSmall`).
       */
      quota?: { platform: QuotaPlatform; allowOversubscription: boolean };
      /** Adds each Deployment's hibernation state to reads. */
      hibernation?: HibernationPlanner;
    },
  ) {}

  /** The options, with each Airflow release's lifecycle as it is now. */
  get deploymentOptions(): DeploymentOptions {
    return optionsAt(this.options.deploymentOptions, new Date());
  }

  async list(
    organization: string,
    query: { workspace?: string; limit?: number; cursor?: string },
    visibility: DeploymentVisibility = {},
    criteria?: ListCriteria<AstroDeploymentFilter>,
  ): Promise<Page<Deployment>> {
    const org = await this.organizations.getRow(organization);
    const workspace = query.workspace
      ? await this.workspaces.getRow(org, query.workspace)
      : undefined;
    if (
      (visibility.workspaceId &&
        workspace &&
        workspace.id !== visibility.workspaceId) ||
      (visibility.organizationId && visibility.organizationId !== org.id)
    ) {
      return { items: [] };
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    let afterName: string | undefined;
    if (query.cursor) {
      afterName = decodeCursor(query.cursor);
      if (afterName === undefined) {
        throw new InputError('cursor: is not a cursor this API returned');
      }
    }
    const records = await this.db.deployments.list(org.id, {
      workspaceId: workspace?.id ?? visibility.workspaceId,
      deploymentId: visibility.deploymentId,
      afterName,
      limit: limit + 1,
      criteria,
    });
    const page = records.slice(0, limit);
    const items = await this.toApiMany(page);
    return records.length > limit
      ? { items, nextCursor: encodeCursor(page[page.length - 1].name) }
      : { items };
  }

  /**
   * A page of the Deployments table: the Deployments the visibility and
   * criteria let the caller see across organizations, narrowed by the
   * filters, each with its open incidents and newest deploy. A filter on an
   * organization, workspace or cluster that does not exist matches nothing.
   */
  async listAcross(
    query: {
      organization?: string;
      workspace?: string;
      /** A cluster's name. */
      cluster?: string;
      /** A Deployment's exact name. */
      name?: string;
      status?: DeploymentStatus;
      search?: string;
      limit?: number;
      offset?: number;
    },
    visibility: DeploymentVisibility = {},
    criteria?: ListCriteria<AstroDeploymentFilter>,
  ): Promise<DeploymentSummaryPage> {
    if (query.workspace && !query.organization) {
      throw new InputError(
        'workspace: needs organization, since workspace names repeat across organizations',
      );
    }
    const empty = { items: [], totalCount: 0 };
    const org = query.organization
      ? await this.db.organizations.get(query.organization)
      : undefined;
    if (query.organization && !org) {
      return empty;
    }
    const workspace =
      org && query.workspace
        ? await this.db.workspaces.get(org.id, query.workspace)
        : undefined;
    if (query.workspace && !workspace) {
      return empty;
    }
    if (
      (org &&
        visibility.organizationId &&
        org.id !== visibility.organizationId) ||
      (workspace &&
        visibility.workspaceId &&
        workspace.id !== visibility.workspaceId)
    ) {
      return empty;
    }
    const { records, totalCount } = await this.db.deployments.listAcross({
      organizationId: org?.id ?? visibility.organizationId,
      workspaceId: workspace?.id ?? visibility.workspaceId,
      deploymentId: visibility.deploymentId,
      clusterName: query.cluster,
      name: query.name,
      status: query.status,
      search: query.search,
      offset: query.offset ?? 0,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      criteria,
    });
    const ids = records.map(r => r.id);
    const [deployments, openIncidents, lastDeploys] = await Promise.all([
      this.toApiMany(records),
      this.db.incidents.openCounts(ids),
      this.db.deploys.latestOf(ids),
    ]);
    return {
      items: deployments.map((deployment, index) => {
        const id = records[index].id;
        const deploy = lastDeploys.get(id);
        return {
          ...deployment,
          openIncidents: openIncidents.get(id) ?? 0,
          ...(deploy && {
            lastDeploy: {
              type: deploy.type,
              status: deploy.status,
              createdAt: toIso(deploy.created_at),
              createdBy: deploy.created_by,
            },
          }),
        };
      }),
      totalCount,
    };
  }

  async get(organization: string, name: string): Promise<Deployment> {
    const record = await this.getRecord(organization, name);
    const deployment = await this.toApi(record);
    const planner = this.options.hibernation;
    return planner
      ? {
          ...deployment,
          hibernation: hibernationStateOf(await planner.plan(record)),
        }
      : deployment;
  }

  /** The record of a deployment, or a NotFoundError. */
  async getRecord(
    organization: string,
    name: string,
    stores: AstroStores = this.db,
  ): Promise<DeploymentRecord> {
    const org = await this.organizations.getRow(organization, stores);
    const record = await stores.deployments.get(org.id, name);
    if (!record) {
      throw new NotFoundError(
        `Deployment "${name}" not found in organization "${organization}"`,
      );
    }
    return record;
  }

  async toApi(
    record: DeploymentRecord,
    stores: AstroStores = this.db,
  ): Promise<Deployment> {
    const variables = await stores.deployments.variables([record.id]);
    return DeploymentStore.toApi(
      record,
      variables.get(record.id) ?? [],
      this.codeOf(record),
    );
  }

  /**
   * What code the Deployment runs: the image of its last image deploy
   * (else its runtime release's) and the bundle of its last DAG deploy.
   */
  codeOf(record: DeploymentRecord): {
    image: string;
    dagBundleVersion?: string;
  } {
    const { airflowVersion } = DeploymentStore.settingsOf(record);
    const release = this.options.deploymentOptions.runtimeReleases.find(
      r => r.airflowVersion === airflowVersion,
    );
    return {
      image:
        DeploymentStore.customImageOf(record) ??
        release?.image ??
        `apache/airflow:${airflowVersion}`,
      ...(record.code_bundle_version
        ? { dagBundleVersion: record.code_bundle_version }
        : {}),
    };
  }

  private async toApiMany(records: DeploymentRecord[]) {
    const variables = await this.db.deployments.variables(
      records.map(r => r.id),
    );
    const hibernation = await this.options.hibernation?.planMany(records);
    return records.map(r => {
      const deployment = DeploymentStore.toApi(
        r,
        variables.get(r.id) ?? [],
        this.codeOf(r),
      );
      const plan = hibernation?.get(r.id);
      return plan
        ? { ...deployment, hibernation: hibernationStateOf(plan) }
        : deployment;
    });
  }

  /** Validates settings input, naming each problem's field path. */
  private validate(input: unknown): DeploymentSettings {
    const result = validateDeploymentSettings(
      this.options.deploymentOptions,
      input,
    );
    if (!result.success) {
      throw new InputError(describeValidationIssues(result.issues));
    }
    this.checkQuota(result.settings);
    return result.settings;
  }

  /**
   * Refuses settings whose namespace quota cannot hold them at full scale,
   * naming the quota fields, the numbers and the settings driving the need,
   * unless the platform allows oversubscription.
   */
  private checkQuota(settings: DeploymentSettings) {
    const { quota } = this.options;
    if (quota?.allowOversubscription) {
      return;
    }
    const plan = planSettingsQuota(
      settings,
      this.options.deploymentOptions,
      quota?.platform ?? { inNamespaceDatabase: true, dagSync: true },
    );
    const shortfall = describeQuotaShortfall(plan);
    if (shortfall) {
      throw new InputError(shortfall);
    }
  }

  private async resolveCluster(
    org: OrganizationRow,
    workspace: WorkspaceRow,
    requested: string | undefined,
    stores: AstroStores,
  ): Promise<ClusterRow> {
    let cluster: ClusterRow | undefined;
    if (requested) {
      cluster = await stores.clusters.get(requested);
      if (!cluster) {
        throw new InputError(`cluster: no cluster named "${requested}"`);
      }
    } else {
      const clusters = await stores.clusters.list();
      cluster =
        clusters.find(c => c.name === this.options.defaultCluster) ??
        clusters.find(c => c.type === 'standard');
      if (!cluster) {
        throw new InputError(
          'cluster: no cluster given and no standard cluster is registered',
        );
      }
    }
    if (cluster.type === 'dedicated') {
      const grants = await stores.workspaces.grants([workspace.id]);
      if (
        cluster.organization !== org.name ||
        !grants.get(workspace.id)?.includes(cluster.name)
      ) {
        throw new InputError(
          `cluster: dedicated cluster "${cluster.name}" is not granted to workspace "${workspace.name}"`,
        );
      }
    }
    return cluster;
  }

  async create(
    actor: Actor,
    organization: string,
    request: DeploymentCreateRequest,
    options: {
      /** Check and build the Deployment, then roll back (for a preview). */
      dryRun?: boolean;
    } = {},
  ): Promise<Deployment> {
    const nameProblem = describeInvalidDeploymentName(request.name);
    if (nameProblem) {
      throw new InputError(`name: ${nameProblem}`);
    }
    const settings = this.validate(request.settings);
    checkAirflowVersionChange({
      releases: this.deploymentOptions.runtimeReleases,
      target: settings.airflowVersion,
    });
    return this.mutations.run(
      async (tx, now) => {
        const org = await this.organizations.getRow(organization, tx);
        const workspace = await tx.workspaces.get(org.id, request.workspace);
        if (!workspace) {
          throw new InputError(
            `workspace: no workspace named "${request.workspace}" in organization "${org.name}"`,
          );
        }
        const cluster = await this.resolveCluster(
          org,
          workspace,
          request.cluster,
          tx,
        );
        const id = randomUUID();
        const { rows: variables } = resolveVariableRows(
          id,
          settings.environmentVariables,
          [],
          this.secrets,
          'settings.environmentVariables',
        );
        const row: DeploymentRow = {
          id,
          organization_id: org.id,
          workspace_id: workspace.id,
          cluster_id: cluster.id,
          name: request.name,
          namespace: namespaceFor(request.name, id),
          title: request.title ?? request.name,
          description: request.description ?? '',
          owner: request.owner ?? null,
          settings: JSON.stringify(settingsWithoutVariables(settings)),
          generation: 1,
          observed_generation: 0,
          status: 'CREATING',
          status_reason: 'Waiting to be provisioned',
          conditions: '[]',
          airflow_url: null,
          status_changed_at: now,
          deletion_requested_at: null,
          ...newAuditColumns(actor, now),
        };
        try {
          await tx.deployments.insert(row);
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(
              `name: a deployment named "${request.name}" already exists in organization "${org.name}"`,
            );
          }
          throw error;
        }
        await tx.deployments.replaceVariables(id, variables);
        const credentials = generateCredentials();
        await tx.deployments.insertCredentials(
          id,
          Object.fromEntries(
            CREDENTIAL_NAMES.map(name => [
              name,
              this.secrets.encrypt(credentials[name]),
            ]),
          ),
        );
        const result = await this.toApi(
          (await tx.deployments.getById(id))!,
          tx,
        );
        return {
          result,
          events: [this.event(result, id, actor, 'created', { after: result })],
          changes: [this.change(result, id, 'created')],
        };
      },
      { dryRun: options.dryRun },
    );
  }

  async update(
    actor: Actor,
    organization: string,
    name: string,
    request: DeploymentUpdateRequest,
    options: {
      replaceSettings?: boolean;
      /** Accept a downgrade across a metadata-database migration. */
      force?: boolean;
      /** Check and apply the change, then roll back (for a preview). */
      dryRun?: boolean;
    } = {},
  ): Promise<Deployment> {
    return this.mutations.run(
      async (tx, now) => {
        const record = await this.getRecord(organization, name, tx);
        this.assertNotDeleting(record);
        const before = await this.toApi(record, tx);
        const settings = this.validate(
          options.replaceSettings
            ? request.settings
            : { ...before.settings, ...request.settings },
        );
        if (settings.airflowVersion !== before.settings.airflowVersion) {
          const state = await tx.engineState.get(record.id);
          checkAirflowVersionChange({
            releases: this.deploymentOptions.runtimeReleases,
            target: settings.airflowVersion,
            current: before.settings.airflowVersion,
            migrated: state.databaseMigration?.airflowVersion,
            force: options.force,
          });
        }
        await assertHighAvailabilityAllowed(tx, record.id, settings, now);
        return this.applyChange(
          tx,
          now,
          actor,
          record,
          before,
          request.version,
          {
            fields: {
              title: request.title ?? record.title,
              description: request.description ?? record.description,
              owner: request.owner === undefined ? record.owner : request.owner,
            },
            settings,
          },
        );
      },
      { dryRun: options.dryRun },
    );
  }

  /** Whether a deployment of this name exists in the organization. */
  async exists(organization: string, name: string): Promise<boolean> {
    const org = await this.organizations.getRow(organization);
    return Boolean(await this.db.deployments.get(org.id, name));
  }

  async putVariables(
    actor: Actor,
    organization: string,
    name: string,
    request: VariablesUpdateRequest,
  ): Promise<Deployment> {
    return this.mutations.run(async (tx, now) => {
      const record = await this.getRecord(organization, name, tx);
      this.assertNotDeleting(record);
      const before = await this.toApi(record, tx);
      const validated = validateDeploymentSettings(
        this.options.deploymentOptions,
        {
          ...before.settings,
          environmentVariables: request.environmentVariables,
        },
        '',
      );
      if (!validated.success) {
        throw new InputError(describeValidationIssues(validated.issues));
      }
      return this.applyChange(tx, now, actor, record, before, request.version, {
        fields: {},
        settings: validated.settings,
        variablesPath: 'environmentVariables',
      });
    });
  }

  /**
   * Writes a change: fields and settings, bumping the generation only when
   * the settings (including variables) changed.
   */
  private async applyChange(
    tx: AstroStores,
    now: Date,
    actor: Actor,
    record: DeploymentRecord,
    before: Deployment,
    expectedVersion: number | undefined,
    change: {
      fields: Record<string, unknown>;
      settings: DeploymentSettings;
      variablesPath?: string;
    },
  ) {
    const currentVariables =
      (await tx.deployments.variables([record.id])).get(record.id) ?? [];
    const variables = resolveVariableRows(
      record.id,
      change.settings.environmentVariables,
      currentVariables,
      this.secrets,
      change.variablesPath ?? 'settings.environmentVariables',
    );
    const settingsJson = JSON.stringify(
      settingsWithoutVariables(change.settings),
    );
    const specChanged =
      variables.changed ||
      canonicalJson(settingsWithoutVariables(change.settings)) !==
        canonicalJson(settingsWithoutVariables(before.settings));
    await tx.deployments.update(
      record,
      expectedVersion,
      {
        ...change.fields,
        settings: settingsJson,
        ...(specChanged ? { generation: record.generation + 1 } : {}),
      },
      actor,
      now,
    );
    if (variables.changed) {
      await tx.deployments.replaceVariables(record.id, variables.rows);
    }
    const after = await this.toApi(
      (await tx.deployments.getById(record.id))!,
      tx,
    );
    return {
      result: after,
      events: [
        this.event(after, record.id, actor, 'updated', {
          before,
          after,
          message: specChanged
            ? `Deployment ${after.name} settings changed (generation ${after.generation})`
            : `Deployment ${after.name} updated`,
        }),
      ],
      changes: [this.change(after, record.id, 'updated')],
    };
  }

  /**
   * Asks the engine to run a failed migration Job of an Airflow upgrade or
   * downgrade again (after its cause was fixed): the engine deletes the
   * failed Job and creates it anew; the old release keeps running until it
   * succeeds. Refused with a ConflictError when no failed migration is held.
   */
  async retryMigration(
    actor: Actor,
    organization: string,
    name: string,
  ): Promise<Deployment> {
    return this.mutations.run(async tx => {
      const record = await this.getRecord(organization, name, tx);
      this.assertNotDeleting(record);
      const state = await tx.engineState.get(record.id);
      const failure = state.databaseMigration?.failure;
      const { airflowVersion } = DeploymentStore.settingsOf(record);
      if (!failure || failure.targetVersion !== airflowVersion) {
        throw new ConflictError(
          `Deployment ${name} has no failed database migration to retry`,
        );
      }
      await tx.engineState.requestMigrationRetry(record.id);
      const deployment = await this.toApi(record, tx);
      return {
        result: deployment,
        events: [
          this.event(deployment, record.id, actor, 'migration-retry', {
            message: `Retry of the migration Job ${failure.jobName} to Airflow ${failure.targetVersion} requested`,
          }),
        ],
        changes: [this.change(deployment, record.id, 'updated')],
      };
    });
  }

  /**
   * Requests deletion: the Deployment turns DELETING and the reconciler
   * removes its namespace and database, then the record. Like an update,
   * it is refused with a ConflictError when `version` (the version the
   * caller read, from the body or If-Match) is stale, or when the
   * Deployment changed concurrently. Repeating the request once deletion
   * was requested writes nothing and answers the Deployment as it is,
   * whatever version it names.
   */
  async delete(
    actor: Actor,
    organization: string,
    name: string,
    options: { version?: number } = {},
  ): Promise<Deployment> {
    return this.mutations.run(async (tx, now) => {
      const record = await this.getRecord(organization, name, tx);
      if (record.deletion_requested_at) {
        return {
          result: await this.toApi(record, tx),
          events: [],
          changes: [],
        };
      }
      const before = await this.toApi(record, tx);
      await tx.deployments.requestDeletion(record, options.version, actor, now);
      const after = await this.toApi(
        (await tx.deployments.getById(record.id))!,
        tx,
      );
      return {
        result: after,
        events: [
          this.event(after, record.id, actor, 'delete-requested', {
            before,
            message: `Deletion of deployment ${name} requested`,
          }),
        ],
        changes: [this.change(after, record.id, 'updated')],
      };
    });
  }

  async events(
    organization: string,
    name: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<AstroEvent>> {
    const record = await this.getRecord(organization, name);
    let beforeId: number | undefined;
    if (query.cursor) {
      beforeId = Number(decodeCursor(query.cursor));
      if (!Number.isInteger(beforeId)) {
        throw new InputError('cursor: is not a cursor this API returned');
      }
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const events = await this.db.events.listForDeployment(record.id, {
      beforeId,
      limit: limit + 1,
    });
    const items = events.slice(0, limit);
    return events.length > limit
      ? { items, nextCursor: encodeCursor(items[items.length - 1].id) }
      : { items };
  }

  private assertNotDeleting(record: DeploymentRecord) {
    if (record.deletion_requested_at) {
      throw new ConflictError(
        `Deployment "${record.name}" is being deleted and can no longer be changed`,
      );
    }
  }

  private event(
    deployment: Deployment,
    deploymentId: string,
    actor: Actor,
    action: string,
    extra: { before?: unknown; after?: unknown; message?: string },
  ) {
    return {
      organization: deployment.organization,
      resourceType: 'deployment' as const,
      resourceName: `${deployment.organization}/${deployment.name}`,
      deploymentId,
      action,
      actor,
      message: extra.message ?? `Deployment ${deployment.name} ${action}`,
      before: extra.before,
      after: extra.after,
    };
  }

  private change(
    deployment: Deployment,
    id: string,
    action: 'created' | 'updated' | 'deleted',
  ) {
    return {
      kind: 'deployment' as const,
      organization: deployment.organization,
      name: deployment.name,
      id,
      action,
    };
  }
}
