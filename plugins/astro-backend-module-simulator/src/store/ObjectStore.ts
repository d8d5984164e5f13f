import { randomUUID } from 'node:crypto';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceType, resourceKey } from '../api/resources';
import { statusErrors } from '../api/status';
import { LabelSelector } from './labelSelector';
import { clone, deepEqual, labelsOf } from './objects';
import { OwnerIndex, TypeBucket } from './ObjectIndex';

/** The type of a change, as watch streams name it. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to the store. Listeners must not modify its objects. */
export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  object: KubernetesObject;
  /** The object before a `MODIFIED` change. */
  previous?: KubernetesObject;
  resourceVersion: number;
}

/** An object and its resource type. */
export interface TypedObject {
  resource: ResourceType;
  object: KubernetesObject;
}

/** What a list or watch selects. */
export interface Selection {
  /** Limits to one namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: LabelSelector;
  /** `metadata.name` from a field selector. */
  name?: string;
  /** A parsed field selector. */
  fields?: (object: KubernetesObject) => boolean;
}

const SPEC_LIKE_EXCLUDED = new Set([
  'metadata',
  'status',
  'apiVersion',
  'kind',
]);

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function specPart(object: KubernetesObject): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(([key]) => !SPEC_LIKE_EXCLUDED.has(key)),
  );
}

function selects(selection: Selection, object: KubernetesObject): boolean {
  if (
    selection.namespace !== undefined &&
    object.metadata.namespace !== selection.namespace
  ) {
    return false;
  }
  if (selection.name !== undefined && object.metadata.name !== selection.name) {
    return false;
  }
  if (selection.fields && !selection.fields(object)) {
    return false;
  }
  return selection.labelSelector
    ? selection.labelSelector(labelsOf(object))
    : true;
}

/**
 * The simulated cluster's state: objects by type, one global resource
 * version that every write increments, and a bounded history of changes
 * from which watches resume. A watch asking for a version older than the
 * history is answered `410 Gone`, as etcd compaction does on a real cluster.
 */
export class ObjectStore {
  private revision = 0;
  private compactedRevision = 0;
  private lastCompaction = 0;
  private readonly buckets = new Map<string, TypeBucket>();
  private readonly owners = new OwnerIndex();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly historyLimit: number;
  private readonly pending: StoreEvent[] = [];
  private dispatching = false;

  constructor(options: { historyLimit?: number } = {}) {
    this.historyLimit = options.historyLimit ?? 5000;
  }

  /** The current resource version. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The oldest resource version a watch can still resume from. */
  get oldestResumableVersion(): number {
    return this.compactedRevision;
  }

  /**
   * The resource version of the last compaction ({@link ObjectStore.compact}),
   * as etcd's periodic one: list continue tokens from before it expire. The
   * bounded change history only limits how far back watches resume.
   */
  get lastCompactionVersion(): number {
    return this.lastCompaction;
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    const found = this.bucket(type).get(objectKey(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Objects of a type, sorted by namespace and name. */
  list(type: ResourceType, selection: Selection = {}): KubernetesObject[] {
    return [...this.bucket(type).values(selection.namespace)]
      .filter(object => selects(selection, object))
      .sort((a, b) =>
        objectKey(a.metadata.namespace, a.metadata.name).localeCompare(
          objectKey(b.metadata.namespace, b.metadata.name),
        ),
      )
      .map(object => clone(object));
  }

  /** Every object in a namespace, of any type. */
  listNamespace(namespace: string): TypedObject[] {
    const result: TypedObject[] = [];
    for (const bucket of this.buckets.values()) {
      for (const object of bucket.values(namespace)) {
        result.push({ resource: bucket.type, object: clone(object) });
      }
    }
    return result;
  }

  /** Objects that name `uid` among their owner references. */
  dependentsOf(uid: string): TypedObject[] {
    return this.owners.of(uid).flatMap(({ bucket, key }) => {
      const object = bucket.get(key);
      return object ? [{ resource: bucket.type, object: clone(object) }] : [];
    });
  }

  private allWhere(
    predicate: (object: KubernetesObject) => boolean,
  ): TypedObject[] {
    const result: TypedObject[] = [];
    for (const bucket of this.buckets.values()) {
      for (const object of bucket.values()) {
        if (predicate(object)) {
          result.push({ resource: bucket.type, object: clone(object) });
        }
      }
    }
    return result;
  }

  /**
   * Stores a new object: assigns uid, resource version, creation timestamp
   * and (for types with a spec) generation.
   */
  create(type: ResourceType, object: KubernetesObject): KubernetesObject {
    const bucket = this.bucket(type);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (bucket.has(key)) {
      throw statusErrors.alreadyExists(
        type.group,
        type.plural,
        object.metadata.name,
      );
    }
    const stored = this.prepareNew(type, object);
    stored.metadata.resourceVersion = String(++this.revision);
    this.put(bucket, key, stored);
    this.record({
      type: 'ADDED',
      resource: type,
      object: stored,
      resourceVersion: this.revision,
    });
    return clone(stored);
  }

  /**
   * What {@link ObjectStore.create} would store, without storing it (for
   * dry runs).
   */
  prepareNew(type: ResourceType, object: KubernetesObject): KubernetesObject {
    const stored = clone(object);
    stored.metadata = {
      ...stored.metadata,
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    delete stored.metadata.resourceVersion;
    if (type.statusSubresource && type.kind !== 'Namespace') {
      stored.metadata.generation = 1;
    }
    return stored;
  }

  /**
   * Replaces an existing object; identity fields (uid, creation timestamp)
   * are kept and the generation moves when anything but metadata and status
   * changed. Returns the stored object unchanged (same resource version)
   * when nothing changed.
   */
  update(type: ResourceType, object: KubernetesObject): KubernetesObject {
    const bucket = this.bucket(type);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const current = bucket.get(key);
    if (!current) {
      throw statusErrors.notFound(
        type.group,
        type.plural,
        object.metadata.name,
      );
    }
    const next = this.prepareUpdate(current, object);
    if (deepEqual(next, current)) {
      return clone(current);
    }
    next.metadata.resourceVersion = String(++this.revision);
    this.put(bucket, key, next);
    this.record({
      type: 'MODIFIED',
      resource: type,
      object: next,
      previous: current,
      resourceVersion: this.revision,
    });
    return clone(next);
  }

  /** What {@link ObjectStore.update} would store, without storing it. */
  prepareUpdate(
    current: KubernetesObject,
    object: KubernetesObject,
  ): KubernetesObject {
    const next = clone(object);
    next.metadata = {
      ...next.metadata,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
    };
    if (current.metadata.generation !== undefined) {
      next.metadata.generation = deepEqual(specPart(current), specPart(next))
        ? current.metadata.generation
        : current.metadata.generation + 1;
    }
    if (current.metadata.deletionTimestamp) {
      next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    }
    return next;
  }

  /** Removes an object; returns it, or `undefined` if it did not exist. */
  remove(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    const bucket = this.bucket(type);
    const key = objectKey(namespace, name);
    const current = bucket.get(key);
    if (!current) {
      return undefined;
    }
    this.drop(bucket, key);
    const deleted = clone(current);
    deleted.metadata.resourceVersion = String(++this.revision);
    this.record({
      type: 'DELETED',
      resource: type,
      object: deleted,
      resourceVersion: this.revision,
    });
    return clone(deleted);
  }

  /**
   * Registers a listener for every change; returns its removal. Listeners
   * see changes in resource version order, also changes made by another
   * listener while it is being notified.
   */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * The recorded changes of a type after a resource version, for a watch to
   * replay. Throws a `410 Gone` status when that version was compacted.
   */
  changesSince(type: ResourceType, resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.compactedRevision) {
      throw statusErrors.gone(
        `too old resource version: ${resourceVersion} (${this.compactedRevision})`,
      );
    }
    const key = resourceKey(type);
    return this.history.filter(
      event =>
        event.resourceVersion > resourceVersion &&
        resourceKey(event.resource) === key,
    );
  }

  /** Forgets the change history, so that resuming any watch needs a re-list. */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
    this.lastCompaction = this.revision;
  }

  /**
   * Every stored object with its type and the current resource version: what
   * a state file keeps (see {@link ObjectStore.restore}).
   */
  snapshot(): { resourceVersion: number; objects: TypedObject[] } {
    return {
      resourceVersion: this.revision,
      objects: this.allWhere(() => true),
    };
  }

  /**
   * Replaces the contents with a snapshot, without events (nobody watches a
   * store being restored). Resource versions go on from the snapshot's, and
   * no change history is kept: a watch resuming from an older version gets
   * `410 Gone` and re-lists, as after an etcd compaction.
   */
  restore(snapshot: { resourceVersion: number; objects: TypedObject[] }): void {
    this.buckets.clear();
    this.owners.clear();
    for (const { resource, object } of snapshot.objects) {
      this.put(
        this.bucket(resource),
        objectKey(object.metadata.namespace, object.metadata.name),
        clone(object),
      );
    }
    this.revision = snapshot.resourceVersion;
    this.compact();
  }

  /** Removes every object and the history. */
  clear(): void {
    this.buckets.clear();
    this.owners.clear();
    this.compact();
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(
        0,
        this.history.length - this.historyLimit,
      );
      this.compactedRevision = dropped[dropped.length - 1].resourceVersion;
    }
    this.pending.push(event);
    if (this.dispatching) {
      return;
    }
    this.dispatching = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener(next);
          } catch {
            // A failing listener must not keep others from their events.
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  private bucket(type: ResourceType): TypeBucket {
    const key = resourceKey(type);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TypeBucket(type);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Stores an object, keeping the owner index in step. */
  private put(bucket: TypeBucket, key: string, object: KubernetesObject) {
    this.owners.update({ bucket, key }, bucket.get(key), object);
    bucket.set(key, object);
  }

  private drop(bucket: TypeBucket, key: string) {
    this.owners.update({ bucket, key }, bucket.get(key), undefined);
    bucket.delete(key);
  }
}

/** Whether a store object matches a selection (for watches). */
export function selectionMatches(
  selection: Selection,
  object: KubernetesObject,
): boolean {
  return selects(selection, object);
}
