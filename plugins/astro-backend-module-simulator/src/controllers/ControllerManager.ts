import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ApiOperations } from '../api/ApiOperations';
import { ResourceCatalog } from '../api/resources';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import {
  reconcileHorizontalPodAutoscaler,
  reconcileScaledObject,
} from './autoscaling';
import {
  ControllerContext,
  controllerOf,
  SimulationTimings,
  Timers,
} from './context';
import { EventRecorder } from './EventRecorder';
import { reconcileJob } from './jobs';
import { Kubelet } from './kubelet';
import { collectGarbage, namespaceChanged } from './namespaces';
import { reconcileQuotas } from './quotas';
import { SimulationChange, SimulationState } from './SimulationState';
import {
  reconcileDeployment,
  reconcileReplicaSet,
  reconcileStatefulSet,
} from './workloads';

type Reconciler = (
  context: ControllerContext,
  namespace: string,
  name: string,
) => void;

const RECONCILERS: Record<string, Reconciler> = {
  Deployment: reconcileDeployment,
  ReplicaSet: reconcileReplicaSet,
  StatefulSet: reconcileStatefulSet,
  Job: reconcileJob,
  ScaledObject: reconcileScaledObject,
  HorizontalPodAutoscaler: reconcileHorizontalPodAutoscaler,
  ResourceQuota: (context, namespace) => reconcileQuotas(context, namespace),
};

/**
 * Runs the simulated controllers. Store changes and simulation changes put
 * object keys on a queue; the queue is drained asynchronously, and each
 * reconcile reads the current state (level-triggered, like real
 * controllers), so writes made while reconciling never re-enter a
 * reconcile.
 */
export class ControllerManager {
  private readonly queue = new Map<string, [string, string, string]>();
  private readonly context: ControllerContext;
  private readonly kubelet: Kubelet;
  private readonly timers = new Timers();
  private unsubscribe: Array<() => void> = [];
  private scheduled = false;
  private running = false;

  constructor(options: {
    store: ObjectStore;
    api: ApiOperations;
    state: SimulationState;
    timings: SimulationTimings;
    catalog: ResourceCatalog;
    warn: (message: string, error?: unknown) => void;
  }) {
    this.context = {
      store: options.store,
      api: options.api,
      state: options.state,
      timings: options.timings,
      timers: this.timers,
      events: new EventRecorder(options.store),
      enqueue: (kind, namespace, name) =>
        this.enqueue(kind, namespace ?? '', name),
      kedaEnabled: () => options.catalog.kedaEnabled,
      warn: options.warn,
    };
    this.kubelet = new Kubelet(this.context);
  }

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.unsubscribe = [
      this.context.store.subscribe(event => this.onStoreEvent(event)),
      this.context.state.onChange(change => this.onSimulationChange(change)),
    ];
  }

  stop(): void {
    this.running = false;
    for (const unsubscribe of this.unsubscribe) {
      unsubscribe();
    }
    this.unsubscribe = [];
    this.timers.clear();
    this.queue.clear();
  }

  /**
   * Picks up every stored object again, as controllers re-list when they
   * start: after the store was restored from a state file, nothing emitted
   * the events the controllers and the kubelet usually react to.
   */
  resyncAll(): void {
    for (const namespace of this.context.store.list(
      ResourceCatalog.kind('Namespace'),
    )) {
      namespaceChanged(this.context, namespace);
    }
    for (const kind of Object.keys(RECONCILERS)) {
      if (kind === 'ResourceQuota') {
        continue;
      }
      for (const object of this.context.store.list(
        ResourceCatalog.kind(kind),
      )) {
        this.enqueue(
          kind,
          object.metadata.namespace ?? '',
          object.metadata.name,
        );
      }
    }
    for (const pod of this.context.store.list(ResourceCatalog.kind('Pod'))) {
      this.kubelet.resume(pod);
    }
  }

  /** Re-evaluates the autoscalers (e.g. after KEDA was switched on). */
  resyncAutoscalers(): void {
    for (const kind of ['ScaledObject', 'HorizontalPodAutoscaler']) {
      for (const object of this.context.store.list(
        ResourceCatalog.kind(kind),
      )) {
        this.enqueue(
          kind,
          object.metadata.namespace ?? '',
          object.metadata.name,
        );
      }
    }
  }

  private enqueue(kind: string, namespace: string, name: string): void {
    if (!this.running || !RECONCILERS[kind]) {
      return;
    }
    this.queue.set(`${kind}/${namespace}/${name}`, [kind, namespace, name]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    const batch = [...this.queue.values()];
    this.queue.clear();
    for (const [kind, namespace, name] of batch) {
      if (!this.running) {
        return;
      }
      try {
        RECONCILERS[kind](this.context, namespace, name);
      } catch (error) {
        this.context.warn(
          `simulated ${kind} controller failed on ${namespace}/${name}`,
          error,
        );
      }
    }
  }

  private enqueueAll(kinds: string[], namespace: string): void {
    for (const kind of kinds) {
      for (const object of this.context.store.list(ResourceCatalog.kind(kind), {
        namespace,
      })) {
        this.enqueue(kind, namespace, object.metadata.name);
      }
    }
  }

  private onStoreEvent(event: StoreEvent): void {
    const { object, type } = event;
    const kind = object.kind;
    const namespace = object.metadata.namespace ?? '';
    if (kind === 'Event') {
      return;
    }
    if (type === 'DELETED') {
      collectGarbage(this.context, object);
    }
    if (kind === 'Namespace') {
      if (type !== 'DELETED') {
        namespaceChanged(this.context, object);
      }
      return;
    }
    this.enqueue(kind, namespace, object.metadata.name);
    this.enqueueOwner(object);
    switch (kind) {
      case 'Pod':
        if (type === 'ADDED') {
          this.kubelet.podAdded(object);
        }
        this.enqueue('ResourceQuota', namespace, '');
        if (type === 'DELETED') {
          this.enqueueAll(['ReplicaSet', 'StatefulSet', 'Job'], namespace);
        }
        break;
      case 'ResourceQuota':
        this.enqueueAll(['ReplicaSet', 'StatefulSet', 'Job'], namespace);
        break;
      case 'Deployment':
      case 'StatefulSet':
        this.enqueueAll(['ScaledObject', 'HorizontalPodAutoscaler'], namespace);
        break;
      default:
        break;
    }
  }

  private enqueueOwner(object: KubernetesObject): void {
    const owner = controllerOf(object);
    if (owner) {
      this.enqueue(owner.kind, object.metadata.namespace ?? '', owner.name);
    }
  }

  private onSimulationChange(change: SimulationChange): void {
    if (change.type === 'queue') {
      this.enqueueAll(
        ['ScaledObject', 'HorizontalPodAutoscaler'],
        change.namespace,
      );
    } else {
      this.kubelet.crashLoopChanged(change.namespace, change.component);
    }
  }
}
