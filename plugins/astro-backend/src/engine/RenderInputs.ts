import { DeploymentOptions } from '@airflow-portal/plugin-astro-common';
import { ClusterCapabilities } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase, DeploymentRecord, DeploymentStore } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { RenderInput } from '../render';
import { EngineError } from './errors';
import { MetadataDatabases } from '../metadataDatabases';

/**
 * Gathers everything one Deployment's objects are rendered from: its
 * settings with decrypted variable values, its credentials, its Airflow
 * image, its database and the cluster's capabilities.
 */
export class RenderInputs {
  constructor(
    private readonly db: AstroDatabase,
    private readonly secrets: SecretBox,
    private readonly options: DeploymentOptions,
    private readonly databases: MetadataDatabases,
  ) {}

  async build(
    record: DeploymentRecord,
    capabilities: ClusterCapabilities,
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
      runtime: { airflowVersion: release.airflowVersion, image: release.image },
      capabilities,
      credentials: {
        fernetKey: credential('fernetKey'),
        jwtSecret: credential('jwtSecret'),
        apiSecretKey: credential('apiSecretKey'),
        redisPassword: credential('redisPassword'),
      },
      database: await this.databases.resolve(
        { deploymentId: record.id, name: record.name },
        credential('databasePassword'),
      ),
      sizes: {
        schedulerSizes: this.options.schedulerSizes,
        workerMachines: this.options.workerMachines,
      },
    };
  }
}
