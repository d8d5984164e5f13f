import {
  MetadataDatabaseConnection,
  MetadataDatabaseProvisioner,
} from '@airflow-portal/plugin-astro-node';
import { RenderDatabase } from '../render';

/** Identifies a Deployment's metadata database. */
export interface MetadataDatabaseRef {
  deploymentId: string;
  name: string;
}

/**
 * Where Deployments keep their Airflow metadata: on a PostgreSQL server a
 * provisioner administers (one database and role each), or, without a
 * provisioner, in a small PostgreSQL inside each Deployment's namespace.
 * Ensuring is idempotent but writes to the server, so it happens once per
 * Deployment and backend process.
 */
export class MetadataDatabases {
  private readonly ensured = new Map<
    string,
    Promise<MetadataDatabaseConnection>
  >();

  constructor(private readonly provisioner?: MetadataDatabaseProvisioner) {}

  /** Whether databases live outside the namespaces. */
  get external(): boolean {
    return this.provisioner !== undefined;
  }

  async resolve(
    ref: MetadataDatabaseRef,
    password: string,
  ): Promise<RenderDatabase> {
    if (!this.provisioner) {
      return { mode: 'in-namespace', password };
    }
    const provisioner = this.provisioner;
    let connection = this.ensured.get(ref.deploymentId);
    if (!connection) {
      connection = provisioner.ensure({ ...ref, password });
      this.ensured.set(ref.deploymentId, connection);
      connection.catch(() => this.ensured.delete(ref.deploymentId));
    }
    return { mode: 'external', ...(await connection) };
  }

  /** Drops a Deployment's database; nothing to do for in-namespace ones. */
  async drop(ref: MetadataDatabaseRef): Promise<void> {
    this.ensured.delete(ref.deploymentId);
    await this.provisioner?.drop(ref);
  }
}
