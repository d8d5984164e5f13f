import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterRegistry } from '../clusters';
import { ClusterWatcher } from './ClusterWatcher';

/**
 * One started {@link ClusterWatcher} per cluster, created on first use. A
 * watcher that fails to start (cluster unreachable) is forgotten, so the
 * next use tries again.
 */
export class ClusterWatchers {
  private readonly watchers = new Map<string, Promise<ClusterWatcher>>();
  private listener: (deploymentId: string) => void = () => {};

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly logger: LoggerService,
  ) {}

  /** Receives the id of every Deployment whose objects changed. */
  onChange(listener: (deploymentId: string) => void): void {
    this.listener = listener;
  }

  get(clusterName: string): Promise<ClusterWatcher> {
    let watcher = this.watchers.get(clusterName);
    if (!watcher) {
      watcher = this.start(clusterName);
      this.watchers.set(clusterName, watcher);
      watcher.catch(() => {
        if (this.watchers.get(clusterName) === watcher) {
          this.watchers.delete(clusterName);
        }
      });
    }
    return watcher;
  }

  private async start(clusterName: string): Promise<ClusterWatcher> {
    const client = await this.registry.getClient(clusterName);
    const { airflowUrlTemplate } = await this.registry.getCluster(clusterName);
    const watcher = new ClusterWatcher(clusterName, client, {
      logger: this.logger,
      onChange: id => this.listener(id),
      airflowUrlTemplate,
    });
    await watcher.start();
    this.logger.info(
      `Watching cluster ${clusterName} with ${watcher.watchCount} watches`,
    );
    return watcher;
  }

  /** Watches held per cluster, for benchmarks and diagnostics. */
  async watchCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [name, watcher] of this.watchers) {
      counts[name] = (await watcher.catch(() => undefined))?.watchCount ?? 0;
    }
    return counts;
  }

  async stop(): Promise<void> {
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    for (const watcher of watchers) {
      (await watcher.catch(() => undefined))?.stop();
    }
  }
}
