import { randomUUID } from 'node:crypto';
import {
  assertError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { checkAirflowVersionChange } from '../upgrades/migrationDirection';
import {
  AstroApiSchemas,
  DeploymentOptions,
  Page,
} from '@airflow-portal/plugin-astro-common';
import { DagBundleStore } from '@airflow-portal/plugin-astro-node';
import {
  AstroDatabase,
  AstroStores,
  decodeCursor,
  DeploymentRecord,
  DeploymentStore,
  DeployResource,
  DeployRow,
  DeployStore,
  DeployType,
  encodeCursor,
  NewEvent,
  toIso,
} from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { Actor, DeploymentService, MutationRunner } from '../service';
import { BundleLimits, inspectBundle, InspectedBundle } from './inspectBundle';
import { registryOf, validateImageReference } from './images';

/** An image deploy's body. */
export type ImageDeployRequest = AstroApiSchemas['ImageDeployCreate'];

/** A rollback's body. */
export type RollbackRequest = AstroApiSchemas['DeployRollback'];

/** The query parameters of a deploy that sends a bundle. */
export interface BundleDeployQuery {
  type?: 'DAG' | 'IMAGE_AND_DAG';
  image?: string;
  airflowVersion?: string;
  description?: string;
  origin?: DeployResource['origin'];
  checksum?: string;
}

/** Who deploys: an actor, and whether they presented an API token. */
export interface Deployer {
  actor: Actor;
  viaApiToken: boolean;
}

/** Tuning of deploys. */
export interface DeployOptions {
  limits: BundleLimits;
  /** Deploys of this many days can be rolled back to; bundles are kept as long. */
  retentionDays: number;
}

/** Defaults of {@link DeployOptions}. */
export const DEFAULT_RETENTION_DAYS = 90;

const DEFAULT_PAGE_SIZE = 20;

/** What a new deploy changes. */
interface DeploySpec {
  type: DeployType;
  image?: {
    image: string;
    airflowVersion: string;
    registryCredentials?: ImageDeployRequest['registryCredentials'];
  };
  bundle?: InspectedBundle;
  description: string;
  origin: DeployResource['origin'];
  rollbackOf?: string;
}

/**
 * Deploys of code to Deployments: image deploys (the components roll to
 * a team image), DAG deploys (a checked bundle the components' DAG sync
 * swaps in without a restart), both at once, and rollbacks to an earlier
 * deploy of the retention period. Each deploy is recorded with the
 * Deployment's event history; an image deploy changes the Deployment's
 * generation (and, with another Airflow version, its settings), so the
 * engine rolls it out as any other change.
 */
export class DeployService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly deployments: DeploymentService,
    private readonly secrets: SecretBox,
    private readonly bundles: DagBundleStore,
    readonly options: DeployOptions,
  ) {}

  private get deploymentOptions(): DeploymentOptions {
    return this.deployments.deploymentOptions;
  }

  async list(
    organization: string,
    deployment: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<DeployResource>> {
    const record = await this.deployments.getRecord(organization, deployment);
    let after: { createdAt: string; id: string } | undefined;
    if (query.cursor) {
      const decoded = decodeCursor(query.cursor);
      try {
        const [createdAt, id] = JSON.parse(decoded ?? '');
        if (typeof createdAt !== 'string' || typeof id !== 'string') {
          throw new Error('not a cursor');
        }
        after = { createdAt, id };
      } catch {
        throw new InputError('cursor: is not a cursor this API returned');
      }
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.db.deploys.list(record.id, {
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const items = page.map(row => this.toApi(row, record));
    if (rows.length > limit) {
      const last = page[page.length - 1];
      return {
        items,
        nextCursor: encodeCursor(
          JSON.stringify([toIso(last.created_at), last.id]),
        ),
      };
    }
    return { items };
  }

  async get(
    organization: string,
    deployment: string,
    id: string,
  ): Promise<DeployResource> {
    const record = await this.deployments.getRecord(organization, deployment);
    const row = await this.db.deploys.get(record.id, id);
    if (!row) {
      throw new NotFoundError(
        `Deploy ${id} not found for Deployment "${deployment}"`,
      );
    }
    return this.toApi(row, record);
  }

  /** An image deploy (JSON body). */
  async deployImage(
    deployer: Deployer,
    organization: string,
    deployment: string,
    request: ImageDeployRequest,
  ): Promise<DeployResource> {
    const record = await this.deployments.getRecord(organization, deployment);
    this.assertAccepts(record, deployer, 'IMAGE');
    validateImageReference(request.image, 'image');
    const airflowVersion = this.airflowVersionFor(
      record,
      request.airflowVersion,
    );
    return this.recordDeploy(deployer, organization, deployment, {
      type: 'IMAGE',
      image: {
        image: request.image,
        airflowVersion,
        registryCredentials: request.registryCredentials,
      },
      description: request.description ?? '',
      origin: request.origin ?? 'API',
    });
  }

  /**
   * A DAG or IMAGE_AND_DAG deploy: the bundle is checked completely before
   * anything is written, then stored, then the deploy recorded.
   */
  async deployBundle(
    deployer: Deployer,
    organization: string,
    deployment: string,
    query: BundleDeployQuery,
    bytes: Buffer,
  ): Promise<DeployResource> {
    const type = query.type ?? 'DAG';
    const record = await this.deployments.getRecord(organization, deployment);
    this.assertAccepts(record, deployer, type);
    let image: DeploySpec['image'];
    if (type === 'DAG') {
      if (query.image !== undefined || query.airflowVersion !== undefined) {
        throw new InputError(
          `${
            query.image !== undefined ? 'query.image' : 'query.airflowVersion'
          }: only an IMAGE_AND_DAG deploy takes an image; a DAG deploy keeps the Deployment's`,
        );
      }
    } else {
      if (query.image === undefined) {
        throw new InputError(
          'query.image: is required for an IMAGE_AND_DAG deploy',
        );
      }
      validateImageReference(query.image, 'query.image');
      image = {
        image: query.image,
        airflowVersion: this.airflowVersionFor(
          record,
          query.airflowVersion,
          'query.airflowVersion',
        ),
      };
    }
    const bundle = await inspectBundle(
      bytes,
      query.checksum,
      this.options.limits,
    );
    await this.storeBundle(bundle, bytes);
    return this.recordDeploy(deployer, organization, deployment, {
      type,
      image,
      bundle,
      description: query.description ?? '',
      origin: query.origin ?? 'API',
    });
  }

  /**
   * A new deploy with the image and DAG bundle of an earlier one of the
   * retention period (the bundle that was current after it).
   */
  async rollback(
    deployer: Deployer,
    organization: string,
    deployment: string,
    deployId: string,
    request: RollbackRequest,
  ): Promise<DeployResource> {
    const record = await this.deployments.getRecord(organization, deployment);
    const target = await this.db.deploys.get(record.id, deployId);
    if (!target) {
      throw new NotFoundError(
        `Deploy ${deployId} not found for Deployment "${deployment}"`,
      );
    }
    const retainedSince = this.retainedSince();
    if (Date.parse(toIso(target.created_at)) < retainedSince.getTime()) {
      throw new ConflictError(
        `Deploy ${deployId} was made at ${toIso(
          target.created_at,
        )}, before the retention period of ${
          this.options.retentionDays
        } days (astro.deploys.retentionDays); only deploys since ${retainedSince.toISOString()} can be rolled back to`,
      );
    }
    const bundleVersion = target.state_bundle_version;
    const type: DeployType = bundleVersion ? 'IMAGE_AND_DAG' : 'IMAGE';
    this.assertAccepts(record, deployer, type);
    if (
      !this.deploymentOptions.runtimeReleases.some(
        r => r.airflowVersion === target.airflow_version,
      )
    ) {
      throw new ConflictError(
        `Deploy ${deployId} ran Airflow ${target.airflow_version}, which is no longer offered`,
      );
    }
    let bundle: InspectedBundle | undefined;
    if (bundleVersion) {
      const stored = await this.db.deploys.bundle(bundleVersion);
      if (!stored) {
        throw new ConflictError(
          `The DAG bundle ${bundleVersion} of deploy ${deployId} is no longer kept`,
        );
      }
      bundle = stored;
    }
    return this.recordDeploy(deployer, organization, deployment, {
      type,
      image: { image: target.image, airflowVersion: target.airflow_version },
      bundle,
      description: request.description ?? `Rollback to deploy ${target.id}`,
      origin: request.origin ?? 'API',
      rollbackOf: target.id,
    });
  }

  /** Deploys made before this are past retention. */
  retainedSince(now: Date = this.mutations.now()): Date {
    return new Date(now.getTime() - this.options.retentionDays * 86_400_000);
  }

  /**
   * Refuses deploys the Deployment does not take: while it is being
   * deleted, without an API token when CI/CD is enforced, and DAGs when
   * they come from Git.
   */
  private assertAccepts(
    record: DeploymentRecord,
    deployer: Deployer,
    type: DeployType,
  ) {
    if (record.deletion_requested_at) {
      throw new ConflictError(
        `Deployment "${record.name}" is being deleted and takes no deploys`,
      );
    }
    const settings = DeploymentStore.settingsOf(record);
    if (settings.isCicdEnforced && !deployer.viaApiToken) {
      throw new ConflictError(
        `isCicdEnforced: Deployment "${record.name}" takes deploys made with an API token only (CI/CD enforcement); deploy with a Deployment or workspace API token, or turn the setting off`,
      );
    }
    if (settings.gitDagBundle && type !== 'IMAGE') {
      throw new ConflictError(
        `gitDagBundle: Deployment "${record.name}" takes its DAGs from Git (${settings.gitDagBundle.repositoryUrl}); DAG deploys are refused while it does`,
      );
    }
  }

  private airflowVersionFor(
    record: DeploymentRecord,
    requested: string | undefined,
    field = 'airflowVersion',
  ): string {
    const version =
      requested ?? DeploymentStore.settingsOf(record).airflowVersion;
    const offered = this.deploymentOptions.runtimeReleases.map(
      r => r.airflowVersion,
    );
    if (!offered.includes(version)) {
      throw new InputError(
        `${field}: Airflow ${version} is not offered; choose one of ${offered.join(
          ', ',
        )} (GET /deployment-options)`,
      );
    }
    return version;
  }

  /**
   * Stores a checked bundle: its index row, then its bytes. A deploy that
   * fails after this leaves a bundle no deploy references, which the prune
   * removes.
   */
  private async storeBundle(bundle: InspectedBundle, bytes: Buffer) {
    await this.db.deploys.insertBundle(bundle, this.mutations.now());
    await this.bundles.put(bundle.version, bytes);
  }

  private async recordDeploy(
    deployer: Deployer,
    organization: string,
    deployment: string,
    spec: DeploySpec,
  ): Promise<DeployResource> {
    return this.mutations.run(async (tx, now) => {
      const record = await this.deployments.getRecord(
        organization,
        deployment,
        tx,
      );
      this.assertAccepts(record, deployer, spec.type);
      const id = randomUUID();
      const events: NewEvent[] = [];
      const superseded = await this.supersede(tx, record, spec, id, now);
      events.push(...superseded);

      const current = await tx.deploys.code(record.id);
      const code = this.deployments.codeOf(record);
      let generation = record.generation;
      let image = code.image;
      let airflowVersion = DeploymentStore.settingsOf(record).airflowVersion;
      if (spec.image) {
        const settings = DeploymentStore.settingsOf(record);
        const versionChanged =
          spec.image.airflowVersion !== settings.airflowVersion;
        if (versionChanged) {
          // A deploy cannot force: a downgrade across a migration (or a
          // move to an end-of-life release) goes through the settings.
          try {
            checkAirflowVersionChange({
              releases: this.deploymentOptions.runtimeReleases,
              target: spec.image.airflowVersion,
              current: settings.airflowVersion,
              migrated: (await tx.engineState.get(record.id)).databaseMigration
                ?.airflowVersion,
            });
          } catch (error) {
            assertError(error);
            throw new InputError(
              `airflowVersion: ${error.message.replace(
                /^settings\.airflowVersion: /,
                '',
              )}${
                /force=true/.test(error.message)
                  ? " (a deploy cannot force: change the Deployment's settings.airflowVersion first)"
                  : ''
              }`,
            );
          }
        }
        if (versionChanged || spec.image.image !== code.image) {
          generation = record.generation + 1;
          await tx.deployments.update(
            record,
            undefined,
            {
              generation,
              ...(versionChanged
                ? {
                    settings: JSON.stringify({
                      ...JSON.parse(record.settings),
                      airflowVersion: spec.image.airflowVersion,
                    }),
                  }
                : {}),
            },
            deployer.actor,
            now,
          );
        }
        image = spec.image.image;
        airflowVersion = spec.image.airflowVersion;
        const credentials = spec.image.registryCredentials;
        if (credentials) {
          await tx.deploys.putRegistryCredentials(
            record.id,
            {
              registry: registryOf(spec.image.image),
              username: credentials.username,
              password_ciphertext: this.secrets.encrypt(credentials.password),
            },
            now,
          );
        }
      }
      const row: DeployRow = {
        id,
        deployment_id: record.id,
        type: spec.type,
        status: 'INITIALIZED',
        status_reason: spec.bundle
          ? 'Waiting for the components to serve the bundle'
          : 'Waiting for the components to run the image',
        image,
        airflow_version: airflowVersion,
        bundle_version: spec.bundle?.version ?? null,
        bundle_size: spec.bundle?.size ?? null,
        bundle_files: spec.bundle?.files ?? null,
        state_bundle_version:
          spec.bundle?.version ?? current.bundle?.version ?? null,
        generation: spec.image ? generation : null,
        description: spec.description,
        origin: spec.origin,
        created_by: deployer.actor,
        created_at: now,
        deployed_at: null,
        finished_at: null,
        rollback_of: spec.rollbackOf ?? null,
      };
      await tx.deploys.insert(row);
      await tx.deploys.setCode(record.id, {
        ...(spec.image
          ? {
              image: {
                image: spec.image.image,
                airflowVersion: spec.image.airflowVersion,
                deployId: id,
              },
            }
          : {}),
        ...(spec.bundle
          ? {
              bundle: {
                version: spec.bundle.version,
                size: spec.bundle.size,
                deployId: id,
              },
            }
          : {}),
      });
      const deploy = this.toApi(row, record);
      events.push(
        this.event(record, {
          action: spec.rollbackOf ? 'deploy-rollback' : 'deploy-created',
          actor: deployer.actor,
          message: this.describe(deploy),
          after: deploy,
        }),
      );
      return {
        result: deploy,
        events,
        changes: [
          {
            kind: 'deployment' as const,
            organization: record.organization_name,
            name: record.name,
            id: record.id,
            action: 'updated' as const,
          },
        ],
      };
    });
  }

  /**
   * Fails the Deployment's pending deploys that the new one replaces: a
   * pending deploy whose image or bundle a newer deploy replaces can never
   * be what the components run.
   */
  private async supersede(
    tx: AstroStores,
    record: DeploymentRecord,
    spec: DeploySpec,
    newId: string,
    now: Date,
  ): Promise<NewEvent[]> {
    const events: NewEvent[] = [];
    for (const pending of await tx.deploys.pending(record.id)) {
      const pendingImage = pending.type !== 'DAG';
      const pendingBundle = pending.type !== 'IMAGE';
      if ((pendingImage && spec.image) || (pendingBundle && spec.bundle)) {
        const reason = `Superseded by deploy ${newId} before it was deployed`;
        if (
          await tx.deploys.finish(pending.id, { status: 'FAILED', reason }, now)
        ) {
          events.push(
            this.event(record, {
              action: 'deploy-failed',
              actor: 'system:astro',
              message: `Deploy ${pending.id} failed: ${reason}`,
            }),
          );
        }
      }
    }
    return events;
  }

  private describe(deploy: DeployResource): string {
    const parts = [
      deploy.type === 'DAG' ? undefined : `image ${deploy.image}`,
      deploy.bundle
        ? `DAG bundle ${deploy.bundle.version.slice(0, 19)}… (${
            deploy.bundle.files
          } files)`
        : undefined,
    ].filter(Boolean);
    const what = deploy.rollbackOf
      ? `Rollback to deploy ${deploy.rollbackOf}`
      : `${deploy.type} deploy`;
    return `${what}: ${parts.join(' and ')}${
      deploy.description ? ` — ${deploy.description}` : ''
    }`;
  }

  private event(
    record: DeploymentRecord,
    event: Pick<NewEvent, 'action' | 'actor' | 'message' | 'after'>,
  ): NewEvent {
    return {
      organization: record.organization_name,
      resourceType: 'deployment',
      resourceName: `${record.organization_name}/${record.name}`,
      deploymentId: record.id,
      ...event,
    };
  }

  private toApi(row: DeployRow, record: DeploymentRecord): DeployResource {
    return DeployStore.toApi(row, {
      organization: record.organization_name,
      deployment: record.name,
    });
  }
}
