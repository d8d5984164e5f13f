import { LoggerService } from '@backstage/backend-plugin-api';
import { BackoffOptions, backoffDelay } from '../lib/backoff';
import { EngineFailure } from '../store';

interface Outage {
  failure: EngineFailure;
  attempts: number;
  since: Date;
  checkedAt: Date;
  timer?: NodeJS.Timeout;
}

/** An outage of a cluster as the engine sees it. */
export interface ClusterOutage {
  failure: EngineFailure;
  /** When the engine found the cluster not answering. */
  since: Date;
  /** When it last asked (a failed request or probe). */
  checkedAt: Date;
}

/**
 * Which clusters do not answer, and when to ask them again. A cluster-wide
 * failure (unreachable, credentials refused) puts the cluster, not each of
 * its Deployments, in backoff: one probe at a time with exponential
 * backoff and jitter, however many Deployments it runs. The first probe
 * that succeeds ends the outage at once, and the engine re-queues every
 * Deployment on the cluster instead of letting each wait out a backoff.
 */
export class ClusterAvailability {
  private readonly outages = new Map<string, Outage>();
  private stopped = false;

  constructor(
    private readonly options: {
      /** Asks the cluster again; resolves when it answered. */
      probe: (cluster: string) => Promise<void>;
      /** A cluster stopped answering. */
      onDown: (cluster: string) => void;
      /** A cluster that did not answer answers again. */
      onAnswered: (cluster: string) => void;
      backoff: BackoffOptions;
      logger: LoggerService;
    },
  ) {}

  /** The failure of a cluster that does not answer; undefined when it does. */
  failureOf(cluster: string): EngineFailure | undefined {
    return this.outages.get(cluster)?.failure;
  }

  /** The outage of a cluster that does not answer; undefined when it does. */
  outageOf(cluster: string): ClusterOutage | undefined {
    const outage = this.outages.get(cluster);
    return (
      outage && {
        failure: outage.failure,
        since: outage.since,
        checkedAt: outage.checkedAt,
      }
    );
  }

  isDown(cluster: string): boolean {
    return this.outages.has(cluster);
  }

  /** Whether some cluster does not answer (a fast path for the loop). */
  get anyDown(): boolean {
    return this.outages.size > 0;
  }

  /** Records a cluster-wide failure; starts probing when it is new. */
  reportFailure(cluster: string, failure: EngineFailure): void {
    if (this.stopped) {
      return;
    }
    const outage = this.outages.get(cluster);
    if (outage) {
      outage.failure = failure;
      outage.checkedAt = new Date();
      return;
    }
    this.options.logger.warn(
      `${failure.message}; its Deployments wait for it to answer again`,
    );
    const now = new Date();
    this.outages.set(cluster, {
      failure,
      attempts: 0,
      since: now,
      checkedAt: now,
    });
    this.scheduleProbe(cluster);
    this.options.onDown(cluster);
  }

  /** Ends an outage (a probe or a request succeeded). */
  markAnswered(cluster: string): void {
    const outage = this.outages.get(cluster);
    if (!outage) {
      return;
    }
    clearTimeout(outage.timer);
    this.outages.delete(cluster);
    this.options.logger.info(
      `Cluster ${cluster} answers again after ${outage.attempts} probe(s); re-queueing its Deployments`,
    );
    this.options.onAnswered(cluster);
  }

  stop(): void {
    this.stopped = true;
    for (const outage of this.outages.values()) {
      clearTimeout(outage.timer);
    }
    this.outages.clear();
  }

  private scheduleProbe(cluster: string) {
    const outage = this.outages.get(cluster);
    if (!outage || this.stopped) {
      return;
    }
    outage.attempts += 1;
    const delay = backoffDelay(outage.attempts, this.options.backoff);
    outage.timer = setTimeout(() => {
      this.options.probe(cluster).then(
        () => this.markAnswered(cluster),
        () => {
          outage.checkedAt = new Date();
          this.scheduleProbe(cluster);
        },
      );
    }, delay);
    outage.timer.unref?.();
  }
}
