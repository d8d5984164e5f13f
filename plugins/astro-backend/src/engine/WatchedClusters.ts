import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isClusterError,
  KubernetesObject,
} from '@airflow-portal/plugin-astro-node';
import { ClusterRegistry } from '../clusters';
import { BackoffOptions } from '../lib/backoff';
import { EngineFailure } from '../store';
import { ClusterObjectCache } from './ClusterObjectCache';
import { ClusterAvailability, ClusterOutage } from './ClusterAvailability';
import { describeFailure } from './describeFailure';

/** Whether an error says the whole cluster cannot be used now. */
export function isClusterWide(error: unknown): boolean {
  return (
    isClusterError(error) &&
    (error.reason === 'Unreachable' ||
      error.reason === 'Unauthorized' ||
      error.reason === 'Forbidden')
  );
}

/**
 * Probes of a cluster that does not answer: from 0.5 s up to 5 s apart
 * (one request at a time per cluster, whatever its number of Deployments),
 * so that an outage's end is noticed within 5 s.
 */
export const DEFAULT_PROBE_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 5_000,
};

/**
 * The clusters the engine watches: one started {@link ClusterObjectCache}
 * per cluster, created on first use, and which of them do not answer
 * ({@link ClusterAvailability}). A cache that fails to start (cluster
 * unreachable) is forgotten, so the next use tries again. A watch or
 * request failing with a cluster-wide error marks the cluster down; it is
 * then probed (a discovery read, and a new list from each informer that
 * failed), and the first probe that succeeds marks it up again.
 */
export class WatchedClusters {
  private readonly caches = new Map<string, Promise<ClusterObjectCache>>();
  private readonly listeners = new Set<(deploymentId: string) => void>();
  private readonly availabilityListeners = new Set<
    (cluster: string, up: boolean) => void
  >();
  readonly availability: ClusterAvailability;

  constructor(
    private readonly registry: Pick<
      ClusterRegistry,
      'getClient' | 'getCluster'
    >,
    private readonly logger: LoggerService,
    /** The engine's field manager (see `ClusterObjectCache`). */
    private readonly fieldManager: string,
    options: { probeBackoff?: BackoffOptions } = {},
  ) {
    this.availability = new ClusterAvailability({
      probe: cluster => this.probe(cluster),
      onDown: cluster => this.announce(cluster, false),
      onAnswered: cluster => this.announce(cluster, true),
      backoff: options.probeBackoff ?? DEFAULT_PROBE_BACKOFF,
      logger,
    });
  }

  /**
   * Receives the id of every Deployment whose objects changed; returns a
   * function that stops it.
   */
  onChange(listener: (deploymentId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Receives clusters going down (`false`) and answering again (`true`). */
  onAvailability(listener: (cluster: string, up: boolean) => void): () => void {
    this.availabilityListeners.add(listener);
    return () => this.availabilityListeners.delete(listener);
  }

  /** Since when a cluster does not answer, and why; undefined when it does. */
  outageOf(cluster: string): ClusterOutage | undefined {
    return this.availability.outageOf(cluster);
  }

  /** The failure of a cluster that does not answer. */
  failureOf(cluster: string): EngineFailure | undefined {
    return this.availability.failureOf(cluster);
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
      cache.catch(error => {
        if (this.caches.get(clusterName) === cache) {
          this.caches.delete(clusterName);
        }
        this.reportIfClusterWide(clusterName, error);
      });
    }
    return cache;
  }

  /**
   * Forgets a cluster's cache (its connection changed): the next use reads
   * it again through a fresh client, and an outage ends.
   */
  reset(clusterName: string): void {
    const cache = this.caches.get(clusterName);
    this.caches.delete(clusterName);
    cache?.then(c => c.stop()).catch(() => undefined);
    this.availability.markAnswered(clusterName);
  }

  /**
   * Records a request's failure when it is cluster-wide: the cluster
   * refused the connection or the credentials. A timeout is not taken as
   * one (a slow answer to one request says little about the others); its
   * Deployment backs off on its own.
   */
  reportIfClusterWide(clusterName: string, error: unknown): void {
    if (isClusterWide(error)) {
      this.availability.reportFailure(
        clusterName,
        describeFailure(error, clusterName),
      );
    }
  }

  /**
   * Asks a cluster that does not answer whether it answers again. A cache
   * that started recovers in place (a discovery read, then a new list only
   * from the informers that failed); without one, or when its informers
   * cannot list on demand, the cluster is read again into a fresh cache.
   */
  private async probe(clusterName: string): Promise<void> {
    const current = this.caches.get(clusterName);
    const started = await current?.catch(() => undefined);
    if (started?.recoverable && this.caches.get(clusterName) === current) {
      await started.recover();
      return;
    }
    const stale = this.caches.get(clusterName);
    this.caches.delete(clusterName);
    stale?.then(c => c.stop()).catch(() => undefined);
    await this.get(clusterName);
  }

  private announce(cluster: string, up: boolean) {
    for (const listener of this.availabilityListeners) {
      listener(cluster, up);
    }
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
      onError: error => this.reportIfClusterWide(clusterName, error),
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
    this.availability.stop();
    const caches = [...this.caches.values()];
    this.caches.clear();
    for (const cache of caches) {
      (await cache.catch(() => undefined))?.stop();
    }
  }
}
