import {
  ClusterCapabilitiesSummary,
  ClusterCapacity,
  ClusterReachability,
  parseCpuMillis,
  parseMemoryBytes,
} from '@airflow-portal/plugin-astro-common';
import {
  ClusterClient,
  KubernetesObject,
} from '@airflow-portal/plugin-astro-node';
import { ClusterOutage } from '../engine/ClusterAvailability';
import { describeFailure } from '../engine/describeFailure';

/** What the platform knows of a cluster's API right now. */
export interface ClusterStatus {
  reachable: boolean;
  reachability: ClusterReachability;
  capabilities?: ClusterCapabilitiesSummary;
  /** What the cluster's nodes offer; absent when they could not be read. */
  allocatable?: ClusterCapacity['allocatable'];
  /** Why the nodes could not be read although the cluster answered. */
  allocatableError?: string;
}

/** One answer of a cluster (or its absence). */
type Answer = Omit<ClusterStatus, 'reachability'> & {
  checkedAt: Date;
  lastError?: string;
};

interface CacheEntry {
  /** The cluster record's version the answer is for. */
  version?: number;
  expires: number;
  answer: Promise<Answer>;
}

/** The client calls the reader makes. */
export type StatusClient = Pick<ClusterClient, 'capabilities' | 'list'>;

const NODE = { apiVersion: 'v1', kind: 'Node' } as const;

/** Sums `status.allocatable` of nodes; quantities it cannot read count 0. */
export function sumAllocatable(
  nodes: KubernetesObject[],
): NonNullable<ClusterCapacity['allocatable']> {
  let cpuMillis = 0;
  let memoryBytes = 0;
  for (const node of nodes) {
    const status = node.status as
      | { allocatable?: { cpu?: unknown; memory?: unknown } }
      | undefined;
    const { cpu, memory } = status?.allocatable ?? {};
    cpuMillis += typeof cpu === 'string' ? parseCpuMillis(cpu) ?? 0 : 0;
    memoryBytes +=
      typeof memory === 'string' ? parseMemoryBytes(memory) ?? 0 : 0;
  }
  return { nodes: nodes.length, cpu: cpuMillis / 1000, memoryBytes };
}

/**
 * Asks clusters what they offer (KEDA, Kubernetes version) and what their
 * nodes can hold (allocatable CPU and memory) for the API's cluster views,
 * with a short timeout and a cache per cluster, so that listing clusters
 * stays fast when one of them does not answer and page loads do not
 * become requests to the clusters. A changed cluster record (a new
 * connection) is asked again at once.
 *
 * What the engine found wins over the cached answer: while it has a
 * cluster in an outage (a watch or a write refused, its probes failing)
 * the cluster is unreachable with the engine's reason. Since when a
 * cluster is in its state is tracked from the first answer this backend
 * got.
 */
export class ClusterStatusReader {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly states = new Map<
    string,
    { reachable: boolean; since: Date }
  >();

  constructor(
    private readonly clusters: {
      getClient(name: string): Promise<StatusClient>;
    },
    private readonly options: {
      /** How long an answer is reused. */
      ttlMs?: number;
      /** How long "did not answer" is reused; short, so recovery shows soon. */
      failureTtlMs?: number;
      timeoutMs?: number;
      /** The engine's view: the outage of a cluster it found not answering. */
      outageOf?: (cluster: string) => ClusterOutage | undefined;
      clock?: () => Date;
    } = {},
  ) {}

  async read(name: string, version?: number): Promise<ClusterStatus> {
    const outage = this.options.outageOf?.(name);
    if (outage) {
      this.observe(name, false, outage.since);
      return {
        reachable: false,
        reachability: {
          since: this.states.get(name)!.since.toISOString(),
          checkedAt: outage.checkedAt.toISOString(),
          lastError: outage.failure.message,
        },
      };
    }
    const { checkedAt, lastError, ...answer } = await this.answer(
      name,
      version,
    );
    const state = this.observe(name, answer.reachable, checkedAt);
    return {
      ...answer,
      reachability: {
        since: state.since.toISOString(),
        checkedAt: checkedAt.toISOString(),
        ...(lastError ? { lastError } : {}),
      },
    };
  }

  /** Records an observation; a change of state starts a new "since". */
  private observe(name: string, reachable: boolean, at: Date) {
    const state = this.states.get(name);
    if (state?.reachable === reachable) {
      if (at < state.since) {
        state.since = at;
      }
      return state;
    }
    const next = { reachable, since: at };
    this.states.set(name, next);
    return next;
  }

  private answer(name: string, version?: number): Promise<Answer> {
    const now = Date.now();
    const cached = this.cache.get(name);
    if (cached && cached.version === version && now < cached.expires) {
      return cached.answer;
    }
    const answer = this.ask(name);
    const entry: CacheEntry = {
      version,
      expires: now + (this.options.ttlMs ?? 60_000),
      answer,
    };
    this.cache.set(name, entry);
    answer.then(({ reachable }) => {
      if (!reachable) {
        entry.expires = now + (this.options.failureTtlMs ?? 5_000);
      }
    });
    return answer;
  }

  private async ask(name: string): Promise<Answer> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const now = () => (this.options.clock ?? (() => new Date()))();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Cluster ${name} did not answer within ${timeoutMs / 1000} s`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const client = await Promise.race([
        this.clusters.getClient(name),
        deadline,
      ]);
      const [capabilities, nodes] = await Promise.race([
        Promise.all([
          client.capabilities(),
          client.list(NODE).then(
            list => ({ items: list.items }),
            (error: unknown) => ({ error }),
          ),
        ]),
        deadline,
      ]);
      return {
        reachable: true,
        checkedAt: now(),
        capabilities: {
          keda: capabilities.keda,
          kubernetesVersion: capabilities.serverVersion.gitVersion,
        },
        ...('items' in nodes
          ? { allocatable: sumAllocatable(nodes.items) }
          : {
              allocatableError: `Nodes not readable: ${
                describeFailure(nodes.error, name).message
              }`,
            }),
      };
    } catch (error) {
      return {
        reachable: false,
        checkedAt: now(),
        lastError: describeFailure(error, name).message,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
