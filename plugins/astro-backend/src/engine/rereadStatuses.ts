import { LoggerService } from '@backstage/backend-plugin-api';
import { AstroDatabase } from '../store';
import { StatusWriter } from './StatusWriter';
import { WatchedClusters } from './WatchedClusters';

/**
 * Makes the stored statuses honest after a backend start, before it serves
 * requests: reads every cluster with Deployments into its watch cache
 * (waiting at most `timeoutMs`), evaluates the Deployments of the clusters
 * that synced from what they hold now, and turns the others `UNKNOWN`
 * ("re-reading the state of cluster …") rather than leaving a stored
 * `HEALTHY` that the cluster may no longer back. Returns how many
 * Deployments were marked as re-reading.
 */
export async function rereadStatuses(options: {
  db: AstroDatabase;
  watched: WatchedClusters;
  status: StatusWriter;
  logger: LoggerService;
  timeoutMs: number;
  concurrency: number;
}): Promise<number> {
  const { db, watched, status, logger } = options;
  const clusters = await db.clusters.list();
  const work: Array<{ id: string; rereading: boolean }> = [];
  await Promise.all(
    clusters.map(async cluster => {
      const ids = await db.deployments.listIdsOnCluster(cluster.name);
      if (ids.length === 0) {
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const synced = await Promise.race([
        watched.get(cluster.name).then(
          () => true,
          () => false,
        ),
        new Promise<boolean>(resolve => {
          timer = setTimeout(() => resolve(false), options.timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!synced) {
        logger.warn(
          `Cluster ${cluster.name} was not read within ${options.timeoutMs} ms of the start; its ${ids.length} Deployment(s) are UNKNOWN until it is`,
        );
      }
      work.push(...ids.map(id => ({ id, rereading: !synced })));
    }),
  );
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const item = work[next++];
      await status
        .update(item.id, { rereading: item.rereading })
        .catch(error =>
          logger.warn(
            `Could not re-evaluate deployment ${item.id} at start: ${error}`,
          ),
        );
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency) }, worker),
  );
  return work.filter(item => item.rereading).length;
}
