import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterDeclaration } from '@airflow-portal/plugin-astro-node';
import { ClusterService } from './ClusterService';

/** A cluster declaration of this backend's app config. */
export interface OwnedDeclaration {
  declaration: ClusterDeclaration;
  revision: number;
  hash: string;
}

/**
 * Keeps this backend off the clusters whose record follows another
 * declaration than its app config's. Config owns the clusters it declares:
 * the record stores the hash and revision of the declaration it follows,
 * and a backend whose declaration differs neither overwrites the record
 * nor reconciles the cluster's Deployments (which it would turn UNKNOWN
 * with wrong credentials); it logs an error and reports the difference on
 * the record, visible in the API as the cluster's condition
 * `DeclarationInSync` False. A declaration with a higher `revision` is
 * adopted, which is how a rolling restart changes a declaration: the new
 * replicas carry the higher revision, the old ones see it and step back.
 */
export class DeclarationOwnership {
  private readonly leftAlone = new Map<string, string>();

  constructor(
    private readonly clusters: ClusterService,
    private readonly owned: OwnedDeclaration[],
    private readonly logger: LoggerService,
    private readonly options: { staleConflictMs: number } = {
      staleConflictMs: 3 * 60_000,
    },
  ) {}

  /** Compares every owned declaration with its record (at start and each pass). */
  async check(): Promise<void> {
    for (const { declaration, revision, hash } of this.owned) {
      const outcome = await this.clusters.syncOwnedDeclaration(
        declaration,
        { hash, revision },
        this.options,
      );
      const name = declaration.name;
      if (outcome.state === 'conflict' || outcome.state === 'superseded') {
        if (this.leftAlone.get(name) !== outcome.message) {
          this.logger.error(
            `Cluster "${name}": ${outcome.message}. This backend does not reconcile its Deployments.`,
          );
        }
        this.leftAlone.set(name, outcome.message);
      } else if (this.leftAlone.delete(name)) {
        this.logger.info(
          `Cluster "${name}": the record follows this backend's declaration again; reconciling its Deployments`,
        );
      }
    }
  }

  /** Whether this backend may reconcile Deployments on the cluster. */
  drives(clusterName: string): boolean {
    return !this.leftAlone.has(clusterName);
  }

  /** Whether some cluster is left alone (a fast path for the loop). */
  get leavesAny(): boolean {
    return this.leftAlone.size > 0;
  }
}
