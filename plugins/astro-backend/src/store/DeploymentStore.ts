import {
  Deployment,
  DeploymentCondition,
  DeploymentSettings,
  DeploymentStatus,
  EnvironmentVariable,
} from '@airflow-portal/plugin-astro-common';
import { AstroDeploymentFilter } from '@airflow-portal/plugin-astro-node';
import { Knex } from 'knex';
import { AuditColumns, auditFields, Db, toIso, updateVersioned } from './util';
import {
  CriteriaColumns,
  ListCriteria,
  restrictToCriteria,
} from './permissionCriteria';

/** A row of the `deployments` table. */
export interface DeploymentRow extends AuditColumns {
  id: string;
  organization_id: string;
  workspace_id: string;
  cluster_id: string;
  name: string;
  namespace: string;
  title: string;
  description: string;
  owner: string | null;
  /** JSON of the settings without environment variables. */
  settings: string;
  generation: number;
  observed_generation: number;
  status: DeploymentStatus;
  status_reason: string | null;
  conditions: string;
  airflow_url: string | null;
  status_changed_at: Date | string | number;
  deletion_requested_at: Date | string | number | null;
}

/** A deployment row with the names of its organization, workspace and cluster. */
export interface DeploymentRecord extends DeploymentRow {
  organization_name: string;
  workspace_name: string;
  cluster_name: string;
  /** The last image deploy's image; null: the runtime release's. */
  code_image: string | null;
  /** The Airflow version that image is built for. */
  code_image_airflow_version: string | null;
  /** The DAG bundle of the last DAG deploy. */
  code_bundle_version: string | null;
}

/** A row of the `deployment_variables` table. */
export interface VariableRow {
  deployment_id: string;
  key: string;
  position: number;
  secret: boolean | number;
  value: string | null;
  value_ciphertext: string | null;
}

/** Status fields the platform (not users) writes. */
export interface DeploymentStatusUpdate {
  status: DeploymentStatus;
  statusReason?: string | null;
  conditions?: DeploymentCondition[];
  observedGeneration?: number;
  airflowUrl?: string | null;
}

/** The columns of a Deployment row that permission criteria refer to. */
export const DEPLOYMENT_COLUMNS: CriteriaColumns = {
  organizationId: 'd.organization_id',
  workspaceId: 'd.workspace_id',
  deploymentId: 'd.id',
  properties: {
    organization: 'o.name',
    workspace: 'w.name',
    owner: 'coalesce(d.owner, w.owner)',
    cluster: 'c.name',
  },
};

/** Reads and writes deployments, their variables and credentials. */
export class DeploymentStore {
  constructor(private readonly db: Db) {}

  private records() {
    return this.db<DeploymentRecord>('deployments as d')
      .join('organizations as o', 'o.id', 'd.organization_id')
      .join('workspaces as w', 'w.id', 'd.workspace_id')
      .join('clusters as c', 'c.id', 'd.cluster_id')
      .leftJoin('deployment_code as dc', 'dc.deployment_id', 'd.id')
      .select(
        'd.*',
        'o.name as organization_name',
        'w.name as workspace_name',
        'c.name as cluster_name',
        'dc.image as code_image',
        'dc.image_airflow_version as code_image_airflow_version',
        'dc.bundle_version as code_bundle_version',
      );
  }

  async list(
    organizationId: string,
    options: {
      workspaceId?: string;
      /** Only this Deployment (what a Deployment's API token may see). */
      deploymentId?: string;
      afterName?: string;
      limit: number;
      /** What the caller's permission decision lets it see. */
      criteria?: ListCriteria<AstroDeploymentFilter>;
    },
  ): Promise<DeploymentRecord[]> {
    const query = this.records()
      .where('d.organization_id', organizationId)
      .orderBy('d.name')
      .limit(options.limit);
    restrictToCriteria(query, options.criteria, DEPLOYMENT_COLUMNS);
    if (options.workspaceId) {
      query.where('d.workspace_id', options.workspaceId);
    }
    if (options.deploymentId) {
      query.where('d.id', options.deploymentId);
    }
    if (options.afterName) {
      query.where('d.name', '>', options.afterName);
    }
    return query;
  }

  /**
   * A page of the Deployments across organizations that the criteria let
   * the caller see, narrowed by the filters, ordered by organization and
   * name, with the number of all that match.
   */
  async listAcross(options: {
    organizationId?: string;
    workspaceId?: string;
    /** Only this Deployment (what a Deployment's API token may see). */
    deploymentId?: string;
    /** Only Deployments on the cluster of this name. */
    clusterName?: string;
    /** Only Deployments of exactly this name. */
    name?: string;
    status?: DeploymentStatus;
    /** Part of the name or title, matched ignoring case. */
    search?: string;
    offset: number;
    limit: number;
    criteria?: ListCriteria<AstroDeploymentFilter>;
  }): Promise<{ records: DeploymentRecord[]; totalCount: number }> {
    const narrow = (query: Knex.QueryBuilder) => {
      restrictToCriteria(query, options.criteria, DEPLOYMENT_COLUMNS);
      if (options.organizationId) {
        query.where('d.organization_id', options.organizationId);
      }
      if (options.workspaceId) {
        query.where('d.workspace_id', options.workspaceId);
      }
      if (options.deploymentId) {
        query.where('d.id', options.deploymentId);
      }
      if (options.clusterName) {
        query.where('c.name', options.clusterName);
      }
      if (options.name) {
        query.where('d.name', options.name);
      }
      if (options.status) {
        query.where('d.status', options.status);
      }
      if (options.search) {
        const pattern = `%${options.search
          .toLocaleLowerCase('en')
          .replace(/[\\%_]/g, c => `\\${c}`)}%`;
        query.where(inner =>
          inner
            .whereRaw("lower(d.name) like ? escape '\\'", [pattern])
            .orWhereRaw("lower(d.title) like ? escape '\\'", [pattern]),
        );
      }
      return query;
    };
    const records = await narrow(this.records())
      .orderBy([
        { column: 'o.name', order: 'asc' },
        { column: 'd.name', order: 'asc' },
      ])
      .offset(options.offset)
      .limit(options.limit);
    const [{ count }] = await narrow(
      this.db('deployments as d')
        .join('organizations as o', 'o.id', 'd.organization_id')
        .join('workspaces as w', 'w.id', 'd.workspace_id')
        .join('clusters as c', 'c.id', 'd.cluster_id'),
    ).count<{ count: number | string }[]>({ count: '*' });
    return { records, totalCount: Number(count) };
  }

  /** Every deployment, for the catalog and the reconciler. */
  async listAll(): Promise<DeploymentRecord[]> {
    return this.records().orderBy(['o.name', 'd.name']);
  }

  async get(organizationId: string, name: string) {
    return this.records()
      .where('d.organization_id', organizationId)
      .where('d.name', name)
      .first();
  }

  async getById(id: string) {
    return this.records().where('d.id', id).first();
  }

  /** Ids of every deployment, for the reconciler's periodic pass. */
  async listIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('deployments')
      .orderBy('id')
      .select('id');
    return rows.map(row => row.id);
  }

  /** Ids of the deployments on one cluster (by its name). */
  async listIdsOnCluster(clusterName: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('deployments as d')
      .join('clusters as c', 'c.id', 'd.cluster_id')
      .where('c.name', clusterName)
      .orderBy('d.id')
      .select('d.id');
    return rows.map(row => row.id);
  }

  /** The name of a deployment's cluster; undefined when it is gone. */
  async clusterNameOf(id: string): Promise<string | undefined> {
    const row: { name: string } | undefined = await this.db('deployments as d')
      .join('clusters as c', 'c.id', 'd.cluster_id')
      .where('d.id', id)
      .first('c.name');
    return row?.name;
  }

  async insert(row: DeploymentRow): Promise<void> {
    await this.db('deployments').insert(row);
  }

  /**
   * Changes what users own of a deployment (its fields and settings; a new
   * `generation` when the settings changed) if `expectedVersion` (when
   * given) is still its version; a ConflictError otherwise, also when
   * someone else changed it meanwhile. Returns the new version.
   */
  async update(
    record: DeploymentRow,
    expectedVersion: number | undefined,
    changes: Partial<
      Pick<
        DeploymentRow,
        'title' | 'description' | 'owner' | 'settings' | 'generation'
      >
    >,
    actor: string,
    now: Date,
  ): Promise<number> {
    return updateVersioned(
      this.db,
      'deployments',
      record,
      expectedVersion,
      changes,
      actor,
      now,
    );
  }

  /**
   * Marks a deployment for deletion (`DELETING`; the reconciler removes it
   * from its cluster, then the record), with the same version check as
   * {@link DeploymentStore.update}. Returns the new version.
   */
  async requestDeletion(
    record: DeploymentRow,
    expectedVersion: number | undefined,
    actor: string,
    now: Date,
  ): Promise<number> {
    return updateVersioned(
      this.db,
      'deployments',
      record,
      expectedVersion,
      {
        deletion_requested_at: now,
        status: 'DELETING',
        status_reason: 'Deletion requested',
        status_changed_at: now,
      },
      actor,
      now,
    );
  }

  /**
   * Deletes a deployment and everything recorded about it. Child rows are
   * deleted explicitly: SQLite does not enforce foreign keys by default.
   */
  async delete(id: string): Promise<void> {
    for (const table of [
      'deployment_reconciliation',
      'health_samples',
      'incidents',
      'deploys',
      'deployment_code',
      'deployment_bundle_reports',
      'deployment_registry_credentials',
      'api_tokens',
    ]) {
      await this.db(table).where({ deployment_id: id }).delete();
    }
    await this.db('deployment_variables').where({ deployment_id: id }).delete();
    await this.db('deployment_credentials')
      .where({ deployment_id: id })
      .delete();
    await this.db('deployments').where({ id }).delete();
  }

  async countInWorkspace(workspaceId: string) {
    const [{ count }] = await this.db('deployments')
      .where({ workspace_id: workspaceId })
      .count({ count: '*' });
    return Number(count);
  }

  async countOnCluster(clusterId: string) {
    const [{ count }] = await this.db('deployments')
      .where({ cluster_id: clusterId })
      .count({ count: '*' });
    return Number(count);
  }

  async variables(
    deploymentIds: string[],
  ): Promise<Map<string, VariableRow[]>> {
    const result = new Map<string, VariableRow[]>(
      deploymentIds.map(id => [id, []]),
    );
    if (deploymentIds.length === 0) {
      return result;
    }
    const rows = await this.db<VariableRow>('deployment_variables')
      .whereIn('deployment_id', deploymentIds)
      .orderBy(['deployment_id', 'position']);
    for (const row of rows) {
      result.get(row.deployment_id)?.push(row);
    }
    return result;
  }

  async replaceVariables(
    deploymentId: string,
    rows: VariableRow[],
  ): Promise<void> {
    await this.db('deployment_variables')
      .where({ deployment_id: deploymentId })
      .delete();
    if (rows.length > 0) {
      await this.db('deployment_variables').insert(rows);
    }
  }

  async credentials(deploymentId: string): Promise<Map<string, string>> {
    const rows: Array<{ name: string; value_ciphertext: string }> =
      await this.db('deployment_credentials')
        .where({ deployment_id: deploymentId })
        .select('name', 'value_ciphertext');
    return new Map(rows.map(r => [r.name, r.value_ciphertext]));
  }

  async insertCredentials(
    deploymentId: string,
    ciphertexts: Record<string, string>,
  ): Promise<void> {
    await this.db('deployment_credentials').insert(
      Object.entries(ciphertexts).map(([name, value]) => ({
        deployment_id: deploymentId,
        name,
        value_ciphertext: value,
      })),
    );
  }

  /**
   * Stores a credential unless the Deployment already has one of that
   * name (then the first one stays: credentials are created once).
   */
  async insertCredentialIfMissing(
    deploymentId: string,
    name: string,
    ciphertext: string,
  ): Promise<void> {
    await this.db('deployment_credentials')
      .insert({
        deployment_id: deploymentId,
        name,
        value_ciphertext: ciphertext,
      })
      .onConflict(['deployment_id', 'name'])
      .ignore();
  }

  /**
   * Writes status fields. Status is observed, not desired state: it does not
   * change the version users send back with their edits.
   */
  async updateStatus(
    id: string,
    update: DeploymentStatusUpdate,
    now: Date,
  ): Promise<void> {
    const current = await this.db<DeploymentRow>('deployments')
      .where({ id })
      .first('status');
    const changes: Record<string, unknown> = { status: update.status };
    if (current && current.status !== update.status) {
      changes.status_changed_at = now;
    }
    if (update.statusReason !== undefined) {
      changes.status_reason = update.statusReason;
    }
    if (update.conditions !== undefined) {
      changes.conditions = JSON.stringify(update.conditions);
    }
    if (update.observedGeneration !== undefined) {
      changes.observed_generation = update.observedGeneration;
    }
    if (update.airflowUrl !== undefined) {
      changes.airflow_url = update.airflowUrl;
    }
    await this.db('deployments').where({ id }).update(changes);
  }

  static variablesToApi(rows: VariableRow[]): EnvironmentVariable[] {
    return rows.map(row =>
      row.secret
        ? { key: row.key, secret: true }
        : { key: row.key, value: row.value ?? '', secret: false },
    );
  }

  /**
   * The settings a record stores (without variables), with the defaults of
   * fields added since it was written, so every reader sees settings of
   * the current shape.
   */
  static settingsOf(
    record: Pick<DeploymentRecord, 'settings'>,
  ): Omit<DeploymentSettings, 'environmentVariables'> {
    // Fields added after a Deployment was stored take their defaults.
    return {
      isCicdEnforced: false,
      kubernetesPodOperator: false,
      ...JSON.parse(record.settings),
    };
  }

  /**
   * The image of the Deployment's last image deploy, while its settings
   * still name the Airflow version the image was built for (a settings
   * change to another version returns to that version's runtime image).
   */
  static customImageOf(record: DeploymentRecord): string | undefined {
    if (!record.code_image) {
      return undefined;
    }
    const { airflowVersion } = DeploymentStore.settingsOf(record);
    return record.code_image_airflow_version === airflowVersion
      ? record.code_image
      : undefined;
  }

  static toApi(
    record: DeploymentRecord,
    variables: VariableRow[],
    code: { image: string; dagBundleVersion?: string },
  ): Deployment {
    const settings: DeploymentSettings = {
      ...DeploymentStore.settingsOf(record),
      environmentVariables: DeploymentStore.variablesToApi(variables),
    };
    return {
      ...code,
      name: record.name,
      organization: record.organization_name,
      workspace: record.workspace_name,
      cluster: record.cluster_name,
      namespace: record.namespace,
      title: record.title,
      description: record.description,
      ...(record.owner ? { owner: record.owner } : {}),
      settings,
      status: record.status,
      ...(record.status_reason ? { statusReason: record.status_reason } : {}),
      statusChangedAt: toIso(record.status_changed_at),
      conditions: JSON.parse(record.conditions),
      generation: record.generation,
      observedGeneration: record.observed_generation,
      ...(record.airflow_url ? { airflowUrl: record.airflow_url } : {}),
      ...auditFields(record),
    };
  }
}
