import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceType } from '../api/resources';

/**
 * The stored objects of one resource type, by `namespace/name` key, with
 * an index by namespace: a namespaced list (what the simulated controllers
 * ask for on every pod change) reads that namespace's objects only, not
 * every object of the type in the cluster.
 */
export class TypeBucket {
  private readonly objects = new Map<string, KubernetesObject>();
  private readonly namespaces = new Map<
    string,
    Map<string, KubernetesObject>
  >();

  constructor(readonly type: ResourceType) {}

  get(key: string): KubernetesObject | undefined {
    return this.objects.get(key);
  }

  has(key: string): boolean {
    return this.objects.has(key);
  }

  /** Stores an object under its key (its namespace is part of the key). */
  set(key: string, object: KubernetesObject): void {
    this.objects.set(key, object);
    const namespace = object.metadata.namespace ?? '';
    let inNamespace = this.namespaces.get(namespace);
    if (!inNamespace) {
      inNamespace = new Map();
      this.namespaces.set(namespace, inNamespace);
    }
    inNamespace.set(key, object);
  }

  delete(key: string): void {
    const object = this.objects.get(key);
    if (!object) {
      return;
    }
    this.objects.delete(key);
    const namespace = object.metadata.namespace ?? '';
    const inNamespace = this.namespaces.get(namespace);
    inNamespace?.delete(key);
    if (inNamespace?.size === 0) {
      this.namespaces.delete(namespace);
    }
  }

  /** The objects of one namespace, or all of them. */
  values(namespace?: string): IterableIterator<KubernetesObject> {
    if (namespace === undefined) {
      return this.objects.values();
    }
    return (this.namespaces.get(namespace) ?? new Map()).values();
  }
}

/** Where a stored object is: its type's bucket and its key there. */
export interface StoredRef {
  bucket: TypeBucket;
  key: string;
}

/**
 * The stored objects that name each uid among their owner references, so
 * that the garbage collector finds an owner's dependents without reading
 * every object of the cluster.
 */
export class OwnerIndex {
  private readonly dependents = new Map<string, Map<string, StoredRef>>();

  private static id(ref: StoredRef): string {
    return `${ref.bucket.type.group}/${ref.bucket.type.plural}/${ref.key}`;
  }

  private static ownersOf(object: KubernetesObject | undefined): string[] {
    return (object?.metadata.ownerReferences ?? []).flatMap(owner =>
      typeof owner.uid === 'string' ? [owner.uid] : [],
    );
  }

  /** Records that the object at `ref` changed from `before` to `after`. */
  update(
    ref: StoredRef,
    before: KubernetesObject | undefined,
    after: KubernetesObject | undefined,
  ): void {
    const id = OwnerIndex.id(ref);
    const next = new Set(OwnerIndex.ownersOf(after));
    for (const uid of OwnerIndex.ownersOf(before)) {
      if (!next.has(uid)) {
        const refs = this.dependents.get(uid);
        refs?.delete(id);
        if (refs?.size === 0) {
          this.dependents.delete(uid);
        }
      }
    }
    for (const uid of next) {
      let refs = this.dependents.get(uid);
      if (!refs) {
        refs = new Map();
        this.dependents.set(uid, refs);
      }
      refs.set(id, ref);
    }
  }

  /** Where the dependents of `uid` are stored. */
  of(uid: string): StoredRef[] {
    return [...(this.dependents.get(uid)?.values() ?? [])];
  }

  clear(): void {
    this.dependents.clear();
  }
}
