/**
 * The knobs of the simulated world that are not Kubernetes objects: queue
 * depths of Airflow worker queues, crash-looping components and Jobs that
 * are to fail.
 */

/**
 * The depth of one Celery queue, as KEDA's query would read it from the
 * Airflow metadata database.
 *
 * @public
 */
export interface QueueDepth {
  /** Task instances waiting in the queue. */
  queued: number;
  /** Task instances running from the queue. */
  running: number;
}

/** What changed, so controllers know what to look at again. */
export type SimulationChange =
  | { type: 'queue'; namespace: string; queue: string }
  | { type: 'crashLoop'; namespace: string; component: string };

const key = (a: string, b: string) => `${a}\u0000${b}`;

/** Holds the simulation's knobs and tells listeners when they change. */
export class SimulationState {
  private readonly queues = new Map<string, QueueDepth>();
  private readonly crashLoops = new Set<string>();
  private readonly jobFailures: Array<{
    namespace?: string;
    component: string;
  }> = [];
  private readonly listeners = new Set<(change: SimulationChange) => void>();

  onChange(listener: (change: SimulationChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  queueDepth(namespace: string, queue: string): QueueDepth {
    return this.queues.get(key(namespace, queue)) ?? { queued: 0, running: 0 };
  }

  /** The queues of a namespace with a depth set, with their depths. */
  queuesOf(namespace: string): Array<{ queue: string } & QueueDepth> {
    const prefix = key(namespace, '');
    return [...this.queues.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, depth]) => ({ queue: k.slice(prefix.length), ...depth }));
  }

  setQueueDepth(namespace: string, queue: string, depth: QueueDepth): void {
    for (const [name, value] of Object.entries(depth)) {
      if (!Number.isInteger(value) || value < 0) {
        throw new TypeError(`${name} must be a non-negative integer`);
      }
    }
    this.queues.set(key(namespace, queue), {
      queued: depth.queued,
      running: depth.running,
    });
    this.emit({ type: 'queue', namespace, queue });
  }

  isCrashLooping(namespace: string, component: string | undefined): boolean {
    return (
      component !== undefined && this.crashLoops.has(key(namespace, component))
    );
  }

  setCrashLoop(namespace: string, component: string, enabled: boolean): void {
    if (enabled) {
      this.crashLoops.add(key(namespace, component));
    } else {
      this.crashLoops.delete(key(namespace, component));
    }
    this.emit({ type: 'crashLoop', namespace, component });
  }

  /** Makes the next Job of a component (in a namespace, or any) fail. */
  failNextJob(options: { namespace?: string; component: string }): void {
    this.jobFailures.push({ ...options });
  }

  /** Whether a new Job is to fail; consumes the request if so. */
  takeJobFailure(namespace: string, component: string | undefined): boolean {
    const index = this.jobFailures.findIndex(
      failure =>
        failure.component === component &&
        (failure.namespace === undefined || failure.namespace === namespace),
    );
    if (index < 0) {
      return false;
    }
    this.jobFailures.splice(index, 1);
    return true;
  }

  /** Forgets everything. */
  reset(): void {
    this.queues.clear();
    this.crashLoops.clear();
    this.jobFailures.length = 0;
  }

  private emit(change: SimulationChange): void {
    for (const listener of [...this.listeners]) {
      listener(change);
    }
  }
}
