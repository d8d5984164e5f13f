import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import { Db, toIso } from './util';

/** A deploy as the API shows it. */
export type DeployResource = AstroApiSchemas['Deploy'];

/** A deploy's type. */
export type DeployType = DeployResource['type'];

/** A deploy's status. */
export type DeployStatus = DeployResource['status'];

/** A row of the `deploys` table. */
export interface DeployRow {
  id: string;
  deployment_id: string;
  type: DeployType;
  status: DeployStatus;
  status_reason: string | null;
  image: string;
  airflow_version: string;
  bundle_version: string | null;
  bundle_size: number | string | null;
  bundle_files: number | null;
  /** The bundle current after this deploy: what a rollback to it restores. */
  state_bundle_version: string | null;
  /** The Deployment generation an image deploy produced. */
  generation: number | null;
  description: string;
  origin: DeployResource['origin'];
  created_by: string;
  created_at: Date | string | number;
  deployed_at: Date | string | number | null;
  finished_at: Date | string | number | null;
  rollback_of: string | null;
}

/** The code a Deployment runs: its current image and DAG bundle deploys. */
export interface DeploymentCode {
  /** The last image deploy's image; undefined: the runtime release's. */
  image?: string;
  /** The Airflow version it is built for. */
  imageAirflowVersion?: string;
  imageDeployId?: string;
  bundle?: { version: string; size: number; deployId: string };
}

/** What one pod reported it serves. */
export interface BundleReport {
  pod: string;
  /** Absent while the pod serves no bundle. */
  version?: string;
  error?: string;
  reportedAt: Date;
}

/** Stored registry credentials of a Deployment, password encrypted. */
export interface RegistryCredentialRow {
  registry: string;
  username: string;
  password_ciphertext: string;
}

/** Where a page of deploys starts: after this deploy, in newest-first order. */
export interface DeployCursor {
  createdAt: string;
  id: string;
}

const num = (value: number | string | null | undefined) =>
  value === null || value === undefined ? undefined : Number(value);

/**
 * The deploys of Deployments and what they made current, the index of
 * accepted DAG bundles (their bytes live in a {@link DagBundleStore}), the
 * bundles pods report, and the registry credentials image deploys brought.
 */
export class DeployStore {
  constructor(private readonly db: Db) {}

  async insert(row: DeployRow): Promise<void> {
    await this.db('deploys').insert(row);
  }

  async get(deploymentId: string, id: string): Promise<DeployRow | undefined> {
    return this.db<DeployRow>('deploys')
      .where({ deployment_id: deploymentId, id })
      .first();
  }

  async getById(id: string): Promise<DeployRow | undefined> {
    return this.db<DeployRow>('deploys').where({ id }).first();
  }

  /** A Deployment's deploys, newest first. */
  async list(
    deploymentId: string,
    options: { after?: DeployCursor; limit: number },
  ): Promise<DeployRow[]> {
    const query = this.db<DeployRow>('deploys')
      .where({ deployment_id: deploymentId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    const after = options.after;
    if (after) {
      const createdAt = new Date(after.createdAt);
      query.andWhere(q =>
        q
          .where('created_at', '<', createdAt)
          .orWhere(q2 =>
            q2
              .where('created_at', '=', createdAt)
              .andWhere('id', '<', after.id),
          ),
      );
    }
    return query;
  }

  /** The newest deploy of each of these Deployments that has one. */
  async latestOf(deploymentIds: string[]): Promise<Map<string, DeployRow>> {
    if (deploymentIds.length === 0) {
      return new Map();
    }
    const rows = await this.db<DeployRow>('deploys as d')
      .whereIn('d.deployment_id', deploymentIds)
      .whereNotExists(newer =>
        newer
          .select(this.db.raw('1'))
          .from('deploys as n')
          .whereRaw('n.deployment_id = d.deployment_id')
          .andWhere(q =>
            q
              .whereRaw('n.created_at > d.created_at')
              .orWhere(q2 =>
                q2
                  .whereRaw('n.created_at = d.created_at')
                  .andWhereRaw('n.id > d.id'),
              ),
          ),
      )
      .select('d.*');
    return new Map(rows.map(row => [row.deployment_id, row]));
  }

  /** Deploys still INITIALIZED: of one Deployment, or of all. */
  async pending(deploymentId?: string): Promise<DeployRow[]> {
    const query = this.db<DeployRow>('deploys')
      .where({ status: 'INITIALIZED' })
      .orderBy('created_at');
    if (deploymentId) {
      query.where({ deployment_id: deploymentId });
    }
    return query;
  }

  /**
   * Moves a deploy from INITIALIZED to DEPLOYED or FAILED. The update is
   * conditional, so of several backends evaluating the same deploy only
   * one succeeds (and records the event); returns whether this one did.
   */
  async finish(
    id: string,
    outcome: { status: 'DEPLOYED' | 'FAILED'; reason: string },
    now: Date,
  ): Promise<boolean> {
    const updated = await this.db('deploys')
      .where({ id, status: 'INITIALIZED' })
      .update({
        status: outcome.status,
        status_reason: outcome.reason,
        finished_at: now,
        ...(outcome.status === 'DEPLOYED' ? { deployed_at: now } : {}),
      });
    return updated === 1;
  }

  /** The code a Deployment runs now. */
  async code(deploymentId: string): Promise<DeploymentCode> {
    const row = await this.db('deployment_code')
      .where({ deployment_id: deploymentId })
      .first();
    if (!row) {
      return {};
    }
    return {
      ...(row.image
        ? {
            image: row.image,
            imageAirflowVersion: row.image_airflow_version,
            imageDeployId: row.image_deploy_id,
          }
        : {}),
      ...(row.bundle_version
        ? {
            bundle: {
              version: row.bundle_version,
              size: Number(row.bundle_size),
              deployId: row.bundle_deploy_id,
            },
          }
        : {}),
    };
  }

  /** Makes a deploy's image and/or bundle the Deployment's current code. */
  async setCode(
    deploymentId: string,
    change: {
      image?: { image: string; airflowVersion: string; deployId: string };
      bundle?: { version: string; size: number; deployId: string };
    },
  ): Promise<void> {
    const columns: Record<string, unknown> = {};
    if (change.image) {
      columns.image = change.image.image;
      columns.image_airflow_version = change.image.airflowVersion;
      columns.image_deploy_id = change.image.deployId;
    }
    if (change.bundle) {
      columns.bundle_version = change.bundle.version;
      columns.bundle_size = change.bundle.size;
      columns.bundle_deploy_id = change.bundle.deployId;
    }
    if (Object.keys(columns).length === 0) {
      return;
    }
    await this.db('deployment_code')
      .insert({ deployment_id: deploymentId, ...columns })
      .onConflict('deployment_id')
      .merge(Object.keys(columns));
  }

  /** Records an accepted bundle; recording one twice keeps the first. */
  async insertBundle(
    bundle: { version: string; size: number; files: number },
    now: Date,
  ): Promise<void> {
    await this.db('dag_bundles')
      .insert({ ...bundle, created_at: now })
      .onConflict('version')
      .ignore();
  }

  /** An accepted bundle's size and file count. */
  async bundle(
    version: string,
  ): Promise<{ version: string; size: number; files: number } | undefined> {
    const row = await this.db('dag_bundles').where({ version }).first();
    return row
      ? { version: row.version, size: Number(row.size), files: row.files }
      : undefined;
  }

  /** Whether a bundle version belongs to a Deployment (one of its deploys made it current). */
  async isBundleOf(deploymentId: string, version: string): Promise<boolean> {
    const row = await this.db('deploys')
      .where({ deployment_id: deploymentId })
      .andWhere(q =>
        q
          .where('bundle_version', version)
          .orWhere('state_bundle_version', version),
      )
      .first('id');
    return Boolean(row);
  }

  /**
   * Bundles nothing needs any more: no deploy made since `retainedSince`
   * references them, no Deployment serves them now, and they were accepted
   * before `acceptedBefore` (a bundle of a deploy being created is
   * recorded just before its deploy).
   */
  async unneededBundles(
    retainedSince: Date,
    acceptedBefore: Date,
  ): Promise<string[]> {
    const rows: Array<{ version: string }> = await this.db('dag_bundles as b')
      .where('b.created_at', '<', acceptedBefore)
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from('deploys as d')
          .where('d.created_at', '>=', retainedSince)
          .andWhere(q2 =>
            q2
              .whereRaw('d.bundle_version = b.version')
              .orWhereRaw('d.state_bundle_version = b.version'),
          ),
      )
      .whereNotExists(q =>
        q
          .select(this.db.raw('1'))
          .from('deployment_code as c')
          .whereRaw('c.bundle_version = b.version'),
      )
      .select('b.version');
    return rows.map(row => row.version);
  }

  async deleteBundle(version: string): Promise<void> {
    await this.db('dag_bundles').where({ version }).delete();
  }

  /** Records what a pod serves now (replacing its previous report). */
  async putReport(deploymentId: string, report: BundleReport): Promise<void> {
    const columns = {
      version: report.version ?? null,
      error: report.error ?? null,
      reported_at: report.reportedAt,
    };
    await this.db('deployment_bundle_reports')
      .insert({ deployment_id: deploymentId, pod: report.pod, ...columns })
      .onConflict(['deployment_id', 'pod'])
      .merge(Object.keys(columns));
  }

  /** What the pods of a Deployment reported, by pod name. */
  async reports(deploymentId: string): Promise<Map<string, BundleReport>> {
    const rows = await this.db('deployment_bundle_reports').where({
      deployment_id: deploymentId,
    });
    return new Map(
      rows.map(row => [
        row.pod,
        {
          pod: row.pod,
          ...(row.version ? { version: row.version } : {}),
          ...(row.error ? { error: row.error } : {}),
          reportedAt: new Date(toIso(row.reported_at)),
        },
      ]),
    );
  }

  /** Forgets reports older than `before` (pods long gone). */
  async deleteReportsOlderThan(before: Date): Promise<number> {
    return this.db('deployment_bundle_reports')
      .where('reported_at', '<', before)
      .delete();
  }

  async registryCredentials(
    deploymentId: string,
  ): Promise<RegistryCredentialRow[]> {
    return this.db('deployment_registry_credentials')
      .where({ deployment_id: deploymentId })
      .orderBy('registry')
      .select('registry', 'username', 'password_ciphertext');
  }

  /** Keeps registry credentials for a Deployment's later pulls (replacing earlier ones of the registry). */
  async putRegistryCredentials(
    deploymentId: string,
    credentials: RegistryCredentialRow,
    now: Date,
  ): Promise<void> {
    const columns = {
      username: credentials.username,
      password_ciphertext: credentials.password_ciphertext,
      updated_at: now,
    };
    await this.db('deployment_registry_credentials')
      .insert({
        deployment_id: deploymentId,
        registry: credentials.registry,
        ...columns,
      })
      .onConflict(['deployment_id', 'registry'])
      .merge(Object.keys(columns));
  }

  /** Every row of a deploy as the API shows it. */
  static toApi(
    row: DeployRow,
    names: { organization: string; deployment: string },
  ): DeployResource {
    const bundleSize = num(row.bundle_size);
    return {
      id: row.id,
      organization: names.organization,
      deployment: names.deployment,
      type: row.type,
      status: row.status,
      ...(row.status_reason ? { statusReason: row.status_reason } : {}),
      image: row.image,
      airflowVersion: row.airflow_version,
      ...(row.bundle_version && bundleSize !== undefined
        ? {
            bundle: {
              version: row.bundle_version,
              size: bundleSize,
              files: row.bundle_files ?? 0,
            },
          }
        : {}),
      description: row.description,
      origin: row.origin,
      createdBy: row.created_by,
      createdAt: toIso(row.created_at),
      ...(row.deployed_at ? { deployedAt: toIso(row.deployed_at) } : {}),
      ...(row.rollback_of ? { rollbackOf: row.rollback_of } : {}),
    };
  }
}
