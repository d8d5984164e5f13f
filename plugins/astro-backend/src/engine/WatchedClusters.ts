import { LoggerService } from '@backstage/backend-plugin-api';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ClusterRegistry } from '../clusters';
import { ClusterObjectCache } from './ClusterObjectCache';

/**
 * The clusters the engine watches: one started {@link ClusterObjectCache}
 * per cluster, created on first use. A cache that fails to start (cluster
 * unreachable) is forgotten, so the next use tries again.
 */
export class WatchedClusters {
  private readonly caches = new Map<string, Promise<ClusterObjectCache>>();
  private readonly listeners = new Set<(deploymentId: string) => void>();

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly logger: LoggerService,
    /** The engine's field manager (see `ClusterObjectCache`). */
    private readonly fieldManager: string,
  ) {}

  /**
   * Receives the id of every Deployment whose objects changed; returns a
   * function that stops it.
   */
  onChange(listener: (deploymentId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The cached objects of a Deployment on its cluster, by object key. */
  async objectsOf(
    clusterName: string,
    deploymentId: string,
  ): Promise<ReadonlyMap<string, KubernetesObject>> {
    return (await this.get(clusterName)).objectsOf(deploymentId);
  }

  get(clusterName: string): Promise<ClusterObjectCache> {
    let cache = this.caches.get(clusterName);
    if (!cache) {
      cache = this.start(clusterName);
      this.caches.set(clusterName, cache);
      cache.catch(() => {
        if (this.caches.get(clusterName) === cache) {
          this.caches.delete(clusterName);
        }
      });
    }
    return cache;
  }

  private async start(clusterName: string): Promise<ClusterObjectCache> {
    const client = await this.registry.getClient(clusterName);
    const { airflowUrlTemplate, driver } = await this.registry.getCluster(
      clusterName,
    );
    const cache = new ClusterObjectCache(clusterName, client, {
      logger: this.logger,
      onChange: id => {
        for (const listener of this.listeners) {
          listener(id);
        }
      },
      airflowUrlTemplate,
      driver,
      fieldManager: this.fieldManager,
    });
    await cache.start();
    this.logger.info(
      `Watching cluster ${clusterName} with ${cache.watchCount} watches`,
    );
    return cache;
  }

  /** Watches held per cluster, for benchmarks and diagnostics. */
  async watchCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [name, cache] of this.caches) {
      counts[name] = (await cache.catch(() => undefined))?.watchCount ?? 0;
    }
    return counts;
  }

  async stop(): Promise<void> {
    const caches = [...this.caches.values()];
    this.caches.clear();
    for (const cache of caches) {
      (await cache.catch(() => undefined))?.stop();
    }
  }
}
