import { LoggerService } from '@backstage/backend-plugin-api';
import { DagBundleStore } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase } from '../store';

/** A bundle accepted this recently may still be waiting for its deploy. */
const ACCEPTED_GRACE_MS = 60 * 60_000;

/** Pod reports older than this are of pods long gone. */
const REPORT_RETENTION_MS = 7 * 86_400_000;

/**
 * Deletes the DAG bundles nothing needs any more: those referenced only by
 * deploys older than the retention period (so no rollback can ask for
 * them), never one a Deployment serves now, and those no deploy
 * references at all (a deploy that failed after storing its bundle).
 * Runs once across replicas (scheduled with `scope: 'global'`).
 */
export class BundlePruner {
  constructor(
    private readonly deps: {
      db: AstroDatabase;
      bundles: DagBundleStore;
      retentionDays: number;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {}

  /** Prunes; resolves to the versions deleted. */
  async prune(): Promise<string[]> {
    const { db, bundles, logger } = this.deps;
    const now = (this.deps.clock ?? (() => new Date()))();
    const retainedSince = new Date(
      now.getTime() - this.deps.retentionDays * 86_400_000,
    );
    const versions = await db.deploys.unneededBundles(
      retainedSince,
      new Date(now.getTime() - ACCEPTED_GRACE_MS),
    );
    for (const version of versions) {
      await bundles.delete(version);
      await db.deploys.deleteBundle(version);
    }
    await db.deploys.deleteReportsOlderThan(
      new Date(now.getTime() - REPORT_RETENTION_MS),
    );
    if (versions.length > 0) {
      logger.info(`Pruned ${versions.length} DAG bundles past retention`);
    }
    return versions;
  }
}
