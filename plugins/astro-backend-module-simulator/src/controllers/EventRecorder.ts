import { randomBytes } from 'node:crypto';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { ObjectStore } from '../store/ObjectStore';
import { num } from '../store/objects';

const EVENT = ResourceCatalog.kind('Event');
const NAMESPACE = ResourceCatalog.kind('Namespace');

/**
 * Emits `v1 Event`s about objects, as controllers and the kubelet do.
 * Repeats of the same event on the same object increase its `count`, and
 * each namespace keeps at most a bounded number of events.
 */
export class EventRecorder {
  private readonly byKey = new Map<string, string>();
  private readonly order = new Map<string, string[]>();

  constructor(
    private readonly store: ObjectStore,
    private readonly maxPerNamespace = 300,
  ) {}

  normal(
    object: KubernetesObject,
    reason: string,
    message: string,
    component: string,
  ): void {
    this.record(object, 'Normal', reason, message, component);
  }

  warning(
    object: KubernetesObject,
    reason: string,
    message: string,
    component: string,
  ): void {
    this.record(object, 'Warning', reason, message, component);
  }

  private record(
    object: KubernetesObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    const namespace = object.metadata.namespace ?? 'default';
    const ns = this.store.get(NAMESPACE, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) {
      return;
    }
    const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const key = `${object.metadata.uid}|${type}|${reason}|${message}`;
    const existingName = this.byKey.get(key);
    const existing = existingName
      ? this.store.get(EVENT, namespace, existingName)
      : undefined;
    if (existing) {
      this.store.update(EVENT, {
        ...existing,
        count: (num(existing.count) ?? 1) + 1,
        lastTimestamp: timestamp,
      });
      return;
    }
    const name = `${object.metadata.name}.${randomBytes(8).toString('hex')}`;
    this.store.create(EVENT, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      source: { component },
      reportingComponent: component,
      reportingInstance: 'simulator',
    });
    this.byKey.set(key, name);
    const names = this.order.get(namespace) ?? [];
    names.push(name);
    this.order.set(namespace, names);
    while (names.length > this.maxPerNamespace) {
      const oldest = names.shift();
      if (oldest) {
        this.store.remove(EVENT, namespace, oldest);
      }
    }
  }

  /** Forgets the bookkeeping of a deleted namespace. */
  forgetNamespace(namespace: string): void {
    this.order.delete(namespace);
    for (const [key, name] of this.byKey) {
      if (!this.store.get(EVENT, namespace, name)) {
        this.byKey.delete(key);
      }
    }
  }
}
