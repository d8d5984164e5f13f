import { AstroClock } from '../lib/clock';

/**
 * One pending wake-up call per Deployment: when its plan says the answer
 * may change at a given moment, the engine is asked to look at it exactly
 * then. Arming again replaces the pending call. Timers live in memory only;
 * after a restart the first pass of each Deployment arms its timer again.
 */
export class HibernationTimers {
  private readonly pending = new Map<
    string,
    { time: number; cancel: () => void }
  >();

  constructor(
    private readonly clock: AstroClock,
    private readonly onDue: (deploymentId: string) => void,
  ) {}

  /** Calls back at `time` for the Deployment; no time: cancels. */
  arm(deploymentId: string, time: Date | undefined): void {
    const existing = this.pending.get(deploymentId);
    if (existing && existing.time === time?.getTime()) {
      return;
    }
    existing?.cancel();
    this.pending.delete(deploymentId);
    if (!time) {
      return;
    }
    const cancel = this.clock.at(time, () => {
      this.pending.delete(deploymentId);
      this.onDue(deploymentId);
    });
    this.pending.set(deploymentId, { time: time.getTime(), cancel });
  }

  /** When the Deployment is next looked at for hibernation, if armed. */
  armedAt(deploymentId: string): Date | undefined {
    const pending = this.pending.get(deploymentId);
    return pending ? new Date(pending.time) : undefined;
  }

  stop(): void {
    for (const { cancel } of this.pending.values()) {
      cancel();
    }
    this.pending.clear();
  }
}
