/** The budget of a Deployment is spent for now. */
export class RequestBudgetSpent extends Error {
  constructor(deploymentId: string, perMinute: number) {
    super(
      `The Airflow request budget of Deployment ${deploymentId} (${perMinute} a minute) is spent`,
    );
    this.name = 'RequestBudgetSpent';
  }
}

const MINUTE_MS = 60_000;

/**
 * Bounds the requests the monitor sends to each Deployment's Airflow: at
 * most `perMinute` in any 60 s (a sliding window of request times). Real
 * time, not the plugin's clock: it bounds a real request rate.
 */
export class AirflowRequestBudget {
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly perMinute: number,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** Takes one request from a Deployment's budget; false when spent. */
  take(deploymentId: string): boolean {
    const now = this.monotonicMs();
    const recent = (this.sent.get(deploymentId) ?? []).filter(
      at => now - at < MINUTE_MS,
    );
    if (recent.length >= this.perMinute) {
      this.sent.set(deploymentId, recent);
      return false;
    }
    recent.push(now);
    this.sent.set(deploymentId, recent);
    return true;
  }

  /** Requests left in a Deployment's budget right now. */
  remaining(deploymentId: string): number {
    const now = this.monotonicMs();
    const recent = (this.sent.get(deploymentId) ?? []).filter(
      at => now - at < MINUTE_MS,
    );
    return Math.max(0, this.perMinute - recent.length);
  }

  /**
   * Milliseconds until `count` requests fit a Deployment's budget: 0 when
   * they do now, `Infinity` when they never can (more than `perMinute`).
   */
  msUntil(deploymentId: string, count: number): number {
    if (count > this.perMinute) {
      return Infinity;
    }
    const now = this.monotonicMs();
    const recent = (this.sent.get(deploymentId) ?? []).filter(
      at => now - at < MINUTE_MS,
    );
    const excess = recent.length + count - this.perMinute;
    // Sent times are in order: room for `count` once the oldest `excess`
    // have left the window.
    return excess <= 0 ? 0 : recent[excess - 1] + MINUTE_MS - now;
  }

  /** Forgets Deployments that are gone. */
  retain(deploymentIds: ReadonlySet<string>): void {
    for (const id of this.sent.keys()) {
      if (!deploymentIds.has(id)) {
        this.sent.delete(id);
      }
    }
  }
}
