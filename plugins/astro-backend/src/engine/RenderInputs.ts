import { createHash } from 'node:crypto';
import { DeploymentOptions } from '@airflow-portal/plugin-astro-common';
import {
  ClusterCapabilities,
  ClusterDeclaration,
  ImagePullCredential,
} from '@airflow-portal/plugin-astro-node';
import { AstroDatabase, DeploymentRecord, DeploymentStore } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { RenderInput, RenderPullSecret, RenderRuntime } from '../render';
import { generateBundleToken } from '../service/credentials';
import { EngineError } from './errors';
import { MetadataDatabases } from '../metadataDatabases';

/** How long a cluster's declaration digest is reused by passes. */
export const CLUSTER_DIGEST_TTL_MS = 5_000;

/** Name of the image pull Secret rendered for a Deployment's pods. */
export const PULL_SECRET_NAME = 'astro-image-pull';

/** The `auths` key Docker Hub credentials go under. */
const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** Where and how often a Deployment's DAG sync fetches bundles. */
export interface DagSyncOptions {
  /** Base URL of the backend's bundle endpoints (`…/api/astro`), as clusters reach it. */
  baseUrl: string;
  syncIntervalSeconds: number;
}

/** The per-cluster settings the renderer reads. */
export type ClusterRenderSettings = Pick<
  ClusterDeclaration,
  'airflowIngress' | 'airflowGateway' | 'remoteLogging' | 'keda'
>;

/** What code deploys and the platform's config add to the render inputs. */
export interface CodeInputOptions {
  dagSync?: DagSyncOptions;
  /**
   * The portal's frontend: `app.baseUrl` plus the path the Airflow pages
   * are mounted at; a Deployment's Airflow links to its page there.
   */
  portal?: { frontendBaseUrl: string };
  /** The registry credentials a cluster declares for every Deployment on it. */
  clusterPullCredentials?: (
    clusterName: string,
  ) => Promise<ImagePullCredential[]>;
  /** The registry credentials of each runtime release's image, by Airflow version. */
  runtimePullCredentials?: ReadonlyMap<string, ImagePullCredential[]>;
  /** A cluster's ingress or gateway, remote logging and KEDA location. */
  clusterSettings?: (clusterName: string) => Promise<ClusterRenderSettings>;
}

/**
 * A `.dockerconfigjson` document for registry credentials; later entries
 * of a registry replace earlier ones.
 */
export function dockerConfigJson(credentials: ImagePullCredential[]): string {
  const auths: Record<
    string,
    { username: string; password: string; auth: string }
  > = {};
  for (const { registry, username, password } of credentials) {
    const key = registry === 'docker.io' ? DOCKER_HUB_AUTH_KEY : registry;
    auths[key] = {
      username,
      password,
      auth: Buffer.from(`${username}:${password}`, 'utf8').toString('base64'),
    };
  }
  return JSON.stringify({ auths });
}

/**
 * Gathers everything one Deployment's objects are rendered from: its
 * settings with decrypted variable values, its credentials, its Airflow
 * image, its database and the cluster's capabilities.
 */
export class RenderInputs {
  private readonly digests = new Map<
    string,
    { at: number; digest: Promise<string> }
  >();

  constructor(
    private readonly db: AstroDatabase,
    private readonly secrets: SecretBox,
    private readonly options: DeploymentOptions,
    private readonly databases: MetadataDatabases,
    private readonly code: CodeInputOptions = {},
  ) {}

  /**
   * The Deployment's bundle token, created (once) if it has none yet:
   * Deployments created before code deploys get theirs here.
   */
  private async bundleToken(deploymentId: string): Promise<string> {
    let ciphertext = (await this.db.deployments.credentials(deploymentId)).get(
      'bundleToken',
    );
    if (!ciphertext) {
      await this.db.deployments.insertCredentialIfMissing(
        deploymentId,
        'bundleToken',
        this.secrets.encrypt(generateBundleToken()),
      );
      ciphertext = (await this.db.deployments.credentials(deploymentId)).get(
        'bundleToken',
      );
    }
    return this.secrets.decrypt(ciphertext!);
  }

  /**
   * The cluster's, the runtime image's (when the Deployment runs the
   * release's image) and the image deploys' registry credentials, as one
   * pull Secret; a later one of a registry replaces an earlier one.
   */
  private async pullSecrets(
    record: DeploymentRecord,
    airflowVersion: string,
  ): Promise<RenderPullSecret[]> {
    const fromCluster =
      (await this.code.clusterPullCredentials?.(record.cluster_name)) ?? [];
    const fromRuntime = DeploymentStore.customImageOf(record)
      ? []
      : this.code.runtimePullCredentials?.get(airflowVersion) ?? [];
    const fromDeploys = (
      await this.db.deploys.registryCredentials(record.id)
    ).map(row => ({
      registry: row.registry,
      username: row.username,
      password: this.secrets.decrypt(row.password_ciphertext),
    }));
    const credentials = [...fromCluster, ...fromRuntime, ...fromDeploys];
    return credentials.length === 0
      ? []
      : [
          {
            name: PULL_SECRET_NAME,
            dockerConfigJson: dockerConfigJson(credentials),
          },
        ];
  }

  /**
   * A digest of what a Deployment's objects take from its cluster's
   * declaration: routing, remote logging, KEDA and the cluster's registry
   * credentials. A render made under another digest is stale (a cluster
   * source may change a declaration while the backend runs). Every pass
   * asks for it, so it is read once per cluster every
   * {@link CLUSTER_DIGEST_TTL_MS}, not once per Deployment (the API's
   * cluster source reads the database).
   */
  clusterDigest(clusterName: string): Promise<string> {
    const now = Date.now();
    const known = this.digests.get(clusterName);
    if (known && now - known.at < CLUSTER_DIGEST_TTL_MS) {
      return known.digest;
    }
    const digest = this.readClusterDigest(clusterName);
    this.digests.set(clusterName, { at: now, digest });
    digest.catch(() => this.digests.delete(clusterName));
    return digest;
  }

  private async readClusterDigest(clusterName: string): Promise<string> {
    const cluster = (await this.code.clusterSettings?.(clusterName)) ?? {};
    const pull = (await this.code.clusterPullCredentials?.(clusterName)) ?? [];
    return createHash('sha256')
      .update(
        JSON.stringify([
          cluster.airflowIngress ?? null,
          cluster.airflowGateway ?? null,
          cluster.remoteLogging ?? null,
          cluster.keda ?? null,
          pull,
        ]),
      )
      .digest('base64url');
  }

  /** The Airflow release and image a Deployment's settings ask for. */
  runtimeOf(record: DeploymentRecord): RenderRuntime {
    const stored = DeploymentStore.settingsOf(record);
    const release = this.options.runtimeReleases.find(
      r => r.airflowVersion === stored.airflowVersion,
    );
    return {
      airflowVersion: stored.airflowVersion,
      image:
        DeploymentStore.customImageOf(record) ??
        release?.image ??
        `apache/airflow:${stored.airflowVersion}`,
    };
  }

  /**
   * The render input of a Deployment. `override.runtime` renders it with
   * another release (the one its metadata database is at, during an
   * upgrade); `override.databaseDowngradeTo` makes its migration Job
   * downgrade the database.
   */
  async build(
    record: DeploymentRecord,
    capabilities: ClusterCapabilities,
    override: { runtime?: RenderRuntime; databaseDowngradeTo?: string } = {},
  ): Promise<RenderInput> {
    const stored = DeploymentStore.settingsOf(record);
    const release = this.options.runtimeReleases.find(
      r => r.airflowVersion === stored.airflowVersion,
    );
    if (!release) {
      throw new EngineError(
        'InvalidSpec',
        `Airflow ${
          stored.airflowVersion
        } is no longer offered; choose one of ${this.options.runtimeReleases
          .map(r => r.airflowVersion)
          .join(', ')}`,
      );
    }
    const variables =
      (await this.db.deployments.variables([record.id])).get(record.id) ?? [];
    const credentials = await this.db.deployments.credentials(record.id);
    const credential = (name: string) => {
      const ciphertext = credentials.get(name);
      if (!ciphertext) {
        throw new EngineError(
          'InvalidSpec',
          `Credential ${name} of deployment ${record.name} is missing`,
        );
      }
      return this.secrets.decrypt(ciphertext);
    };
    const cluster =
      (await this.code.clusterSettings?.(record.cluster_name)) ?? {};
    let exposure: RenderInput['exposure'];
    if (cluster.airflowIngress) {
      exposure = { kind: 'ingress', ...cluster.airflowIngress };
    } else if (cluster.airflowGateway) {
      exposure = { kind: 'gateway', ...cluster.airflowGateway };
    }

    return {
      deployment: {
        id: record.id,
        organization: record.organization_name,
        workspace: record.workspace_name,
        name: record.name,
        namespace: record.namespace,
        generation: record.generation,
      },
      settings: {
        ...stored,
        environmentVariables: variables.map(v => ({
          key: v.key,
          secret: Boolean(v.secret),
          value: v.secret
            ? this.secrets.decrypt(v.value_ciphertext ?? '')
            : v.value ?? '',
        })),
      },
      runtime: override.runtime ?? {
        airflowVersion: release.airflowVersion,
        image: DeploymentStore.customImageOf(record) ?? release.image,
      },
      ...(override.databaseDowngradeTo
        ? { databaseDowngradeTo: override.databaseDowngradeTo }
        : {}),
      capabilities,
      credentials: {
        fernetKey: credential('fernetKey'),
        jwtSecret: credential('jwtSecret'),
        apiSecretKey: credential('apiSecretKey'),
        redisPassword: credential('redisPassword'),
        bundleToken: await this.bundleToken(record.id),
      },
      database: await this.databases.resolve(
        { deploymentId: record.id, name: record.name },
        credential('databasePassword'),
      ),
      sizes: {
        schedulerSizes: this.options.schedulerSizes,
        workerMachines: this.options.workerMachines,
      },
      ...(this.code.dagSync
        ? {
            dagSync: {
              url: `${this.code.dagSync.baseUrl.replace(/\/+$/, '')}/bundles/${
                record.id
              }`,
              syncIntervalSeconds: this.code.dagSync.syncIntervalSeconds,
            },
          }
        : {}),
      pullSecrets: await this.pullSecrets(
        record,
        override.runtime?.airflowVersion ?? release.airflowVersion,
      ),
      ...(exposure ? { exposure } : {}),
      ...(cluster.remoteLogging
        ? { remoteLogging: cluster.remoteLogging }
        : {}),
      ...(cluster.keda ? { keda: cluster.keda } : {}),
      ...(this.code.portal
        ? {
            portal: {
              deploymentUrl: `${this.code.portal.frontendBaseUrl.replace(
                /\/+$/,
                '',
              )}/organizations/${encodeURIComponent(
                record.organization_name,
              )}/deployments/${encodeURIComponent(record.name)}`,
            },
          }
        : {}),
    };
  }
}
