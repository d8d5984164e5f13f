import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterConnection,
  ClusterDeclaration,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';
import { readClusterSettings } from './readClusterSettings';
import { declarationHash } from './declarationHash';
import { readImagePullCredentials } from '../lib/imagePullCredentials';

/** A copy without the keys whose value is undefined. */
function compact<T extends object>(value: T): T {
  const copy = { ...value };
  for (const key in copy) {
    if (copy[key] === undefined) {
      delete copy[key];
    }
  }
  return copy;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';

function readConnection(cluster: Config): ClusterConnection | undefined {
  const kubeconfig = cluster.getOptionalConfig('kubeconfig');
  const connection: ClusterConnection = {
    server: cluster.getOptionalString('url'),
    token: cluster.getOptionalString('serviceAccountToken'),
    caData: cluster.getOptionalString('caData'),
    caFile: cluster.getOptionalString('caFile'),
    skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
    inCluster: cluster.getOptionalBoolean('inCluster'),
    kubeconfig: kubeconfig
      ? {
          path: kubeconfig.getString('path'),
          context: kubeconfig.getOptionalString('context'),
        }
      : undefined,
  };
  const ways = [
    connection.server,
    connection.kubeconfig,
    connection.inCluster ? true : undefined,
  ].filter(way => way !== undefined);
  if (ways.length > 1) {
    throw new Error(
      `Cluster "${cluster.getString(
        'name',
      )}" in astro.clusters: give only one of url, kubeconfig and inCluster`,
    );
  }
  if (ways.length === 0) {
    return undefined;
  }
  return compact(connection);
}

function readDeclaration(cluster: Config): {
  declaration: Omit<ClusterDeclaration, 'connection'>;
  connection?: ClusterConnection;
} {
  const name = cluster.getString('name');
  if (!DNS1123_LABEL.test(name) || name.length > 63) {
    throw new Error(
      `Cluster name "${name}" in astro.clusters is not a DNS-1123 label (lowercase letters, digits and '-')`,
    );
  }
  const type = cluster.getOptionalString('type') ?? 'standard';
  if (type !== 'standard' && type !== 'dedicated') {
    throw new Error(
      `Cluster "${name}" in astro.clusters: type must be "standard" or "dedicated"`,
    );
  }
  const organization = cluster.getOptionalString('organization');
  if (type === 'dedicated' && !organization) {
    throw new Error(
      `Cluster "${name}" in astro.clusters: a dedicated cluster needs an organization`,
    );
  }
  return {
    declaration: {
      name,
      title: cluster.getOptionalString('title'),
      description: cluster.getOptionalString('description'),
      type,
      organization,
      provider: cluster.getOptionalString('provider') ?? 'kubernetes',
      region: cluster.getOptionalString('region') ?? 'unknown',
      driver: cluster.getOptionalString('driver') ?? 'kubernetes',
      airflowUrlTemplate: cluster.getOptionalString('airflowUrlTemplate'),
      imagePullCredentials: readImagePullCredentials(
        cluster.getOptionalConfigArray('imagePullCredentials'),
        `Cluster "${name}" in astro.clusters`,
      ),
      ...readClusterSettings(cluster, name),
    },
    connection: readConnection(cluster),
  };
}

/**
 * The clusters Backstage's Kubernetes plugin is configured with
 * (`kubernetes.clusterLocatorMethods` of type `config`), as far as they use
 * service-account credentials.
 */
function readKubernetesPluginClusters(
  config: Config,
  logger: LoggerService,
): Map<string, { title?: string; connection: ClusterConnection }> {
  const clusters = new Map<
    string,
    { title?: string; connection: ClusterConnection }
  >();
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    if (method.getString('type') !== 'config') {
      continue;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const authMetadata = cluster.getOptionalConfig('authMetadata');
      const authProvider =
        authMetadata?.getOptionalString(AUTH_PROVIDER_KEY) ??
        cluster.getOptionalString('authProvider');
      if (authProvider !== 'serviceAccount') {
        logger.warn(
          `Skipping cluster "${name}" of kubernetes.clusterLocatorMethods: the Astro backend supports its serviceAccount auth provider only, not "${authProvider}"`,
        );
        continue;
      }
      const token =
        cluster.getOptionalString('serviceAccountToken') ??
        authMetadata?.getOptionalString('serviceAccountToken');
      const connection: ClusterConnection = token
        ? {
            server: cluster.getString('url'),
            token,
            caData: cluster.getOptionalString('caData'),
            caFile: cluster.getOptionalString('caFile'),
            skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
          }
        : // A serviceAccount cluster without a token uses the pod's own.
          { inCluster: true };
      clusters.set(name, {
        title: cluster.getOptionalString('title'),
        connection: compact(connection),
      });
    }
  }
  return clusters;
}

/**
 * Cluster declarations from app config: `astro.clusters`, and, when
 * `astro.clustersFromKubernetesConfig` is true, the service-account
 * clusters of Backstage's Kubernetes plugin configuration, so that a portal
 * declares each cluster once. An `astro.clusters` entry without connection
 * settings whose name matches such a cluster adds Astro's metadata (type,
 * provider, region, title) to it.
 *
 * @public
 */
export class ConfigClusterSource implements ClusterSource {
  private constructor(
    private readonly clusters: ClusterDeclaration[],
    private readonly revisions: ReadonlyMap<string, number>,
  ) {}

  /**
   * The declarations with their `revision` (0 when not set) and hash: the
   * record of a cluster follows one declaration, and a backend with a
   * different one leaves the cluster alone (see `DeclarationOwnership`).
   */
  ownedDeclarations(): Array<{
    declaration: ClusterDeclaration;
    revision: number;
    hash: string;
  }> {
    return this.clusters.map(declaration => ({
      declaration: { ...declaration },
      revision: this.revisions.get(declaration.name) ?? 0,
      hash: declarationHash(declaration),
    }));
  }

  /** Reads and validates the declarations; throws on invalid config. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): ConfigClusterSource {
    const fromKubernetes = config.getOptionalBoolean(
      'astro.clustersFromKubernetesConfig',
    )
      ? readKubernetesPluginClusters(config, options.logger)
      : new Map();
    const declarations: ClusterDeclaration[] = [];
    const revisions = new Map<string, number>();
    const names = new Set<string>();
    for (const cluster of config.getOptionalConfigArray('astro.clusters') ??
      []) {
      const { declaration, connection } = readDeclaration(cluster);
      if (names.has(declaration.name)) {
        throw new Error(
          `Duplicate cluster name "${declaration.name}" in astro.clusters`,
        );
      }
      names.add(declaration.name);
      const revision = cluster.getOptionalNumber('revision') ?? 0;
      if (!Number.isInteger(revision) || revision < 0) {
        throw new Error(
          `Cluster "${declaration.name}" in astro.clusters: revision must be a whole number of 0 or more`,
        );
      }
      revisions.set(declaration.name, revision);
      const imported = fromKubernetes.get(declaration.name);
      const resolved = connection ?? imported?.connection;
      if (!resolved && declaration.driver === 'kubernetes') {
        throw new Error(
          `Cluster "${declaration.name}" in astro.clusters has no connection: set url, kubeconfig or inCluster`,
        );
      }
      declarations.push({
        ...declaration,
        title: declaration.title ?? imported?.title,
        ...(resolved ? { connection: resolved } : {}),
      });
    }
    for (const [name, imported] of fromKubernetes) {
      if (!names.has(name)) {
        names.add(name);
        declarations.push({
          name,
          title: imported.title,
          type: 'standard',
          provider: 'kubernetes',
          region: 'unknown',
          driver: 'kubernetes',
          connection: imported.connection,
        });
      }
    }
    return new ConfigClusterSource(declarations.map(compact), revisions);
  }

  async getClusters(): Promise<ClusterDeclaration[]> {
    return this.clusters.map(cluster => ({ ...cluster }));
  }
}
