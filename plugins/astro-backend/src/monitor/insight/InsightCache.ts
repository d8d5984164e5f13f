/**
 * Answers of Deployments' Airflows, kept for a few seconds and shared:
 * while an answer is being read, every caller asking for the same key
 * waits for that one read; a settled answer is served until it expires.
 * Failures are not kept (the next caller tries again).
 */
export class InsightCache {
  private readonly entries = new Map<
    string,
    { value: Promise<unknown>; expiresAt: number }
  >();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached answer of `deploymentId`'s `section`, read with `load` when missing. */
  get<T>(
    deploymentId: string,
    section: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const key = `${deploymentId}\u0000${section}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) {
      return entry.value as Promise<T>;
    }
    this.prune();
    const value = load();
    // In flight: shared by concurrent callers, whatever the TTL.
    const fresh = { value, expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, fresh);
    value.then(
      () => {
        if (this.entries.get(key) === fresh) {
          fresh.expiresAt = this.now() + this.ttlMs;
          if (this.ttlMs <= 0) {
            this.entries.delete(key);
          }
        }
      },
      () => {
        if (this.entries.get(key) === fresh) {
          this.entries.delete(key);
        }
      },
    );
    return value;
  }

  /** Forgets expired answers, so that idle Deployments hold no memory. */
  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
      }
    }
  }

  /** Drops every cached answer of a Deployment (after it changed). */
  invalidate(deploymentId: string): void {
    const prefix = `${deploymentId}\u0000`;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
      }
    }
  }

  /** How many answers are held. */
  get size(): number {
    return this.entries.size;
  }
}
