import { ClusterCapabilitiesSummary } from '@airflow-portal/plugin-astro-common';
import { ClusterClient } from '@airflow-portal/plugin-astro-node';

/** What the platform knows of a cluster's API right now. */
export interface ClusterStatus {
  reachable: boolean;
  capabilities?: ClusterCapabilitiesSummary;
}

/**
 * Asks clusters what they offer (KEDA, Kubernetes version) for the API's
 * cluster views, with a short timeout and a cache, so that listing
 * clusters stays fast when one of them does not answer.
 */
export class ClusterStatusReader {
  private readonly cache = new Map<
    string,
    { expires: number; status: Promise<ClusterStatus> }
  >();

  constructor(
    private readonly clusters: {
      getClient(name: string): Promise<Pick<ClusterClient, 'capabilities'>>;
    },
    private readonly options: {
      /** How long an answer is reused. */
      ttlMs?: number;
      /** How long "did not answer" is reused; short, so recovery shows soon. */
      failureTtlMs?: number;
      timeoutMs?: number;
    } = {},
  ) {}

  read(name: string): Promise<ClusterStatus> {
    const now = Date.now();
    const cached = this.cache.get(name);
    if (cached && now < cached.expires) {
      return cached.status;
    }
    const status = this.ask(name);
    const entry = { expires: now + (this.options.ttlMs ?? 60_000), status };
    this.cache.set(name, entry);
    status.then(({ reachable }) => {
      if (!reachable) {
        entry.expires = now + (this.options.failureTtlMs ?? 5_000);
      }
    });
    return status;
  }

  private async ask(name: string): Promise<ClusterStatus> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const capabilities = await Promise.race([
        this.clusters.getClient(name).then(client => client.capabilities()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
        }),
      ]);
      return {
        reachable: true,
        capabilities: {
          keda: capabilities.keda,
          kubernetesVersion: capabilities.serverVersion.gitVersion,
        },
      };
    } catch {
      return { reachable: false };
    } finally {
      clearTimeout(timer);
    }
  }
}
