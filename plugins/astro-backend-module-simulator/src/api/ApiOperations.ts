import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { applyConfiguration, recordUpdate } from '../apply/serverSideApply';
import { ObjectStore, Selection } from '../store/ObjectStore';
import { clone, isKubernetesObject, isRecord } from '../store/objects';
import { applyDefaults, ClusterIpAllocator } from './defaults';
import { immutableChanges } from './immutability';
import { checkPodQuota } from './quota';
import { groupVersionOf, ResourceCatalog, ResourceType } from './resources';
import { statusErrors } from './status';
import { validateObject } from './validation';

/** How a write is made. */
export interface WriteOptions {
  /** The field manager recorded in managed fields. */
  manager: string;
  /** Compute and return the result without storing it. */
  dryRun?: boolean;
}

/** Whether and how dependents go with a deleted object. */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

const NAMESPACE = ResourceCatalog.kind('Namespace');

/**
 * The API server's write path: request checks, namespace lifecycle,
 * defaulting, validation, quota admission, server-side apply and
 * deletion with owner-reference propagation. The HTTP routes and the
 * simulated controllers both write through it.
 */
export class ApiOperations {
  private readonly ips = new ClusterIpAllocator();

  constructor(private readonly store: ObjectStore) {}

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject {
    const object = this.store.get(type, namespace, name);
    if (!object) {
      throw statusErrors.notFound(type.group, type.plural, name);
    }
    return object;
  }

  list(
    type: ResourceType,
    selection: Selection,
  ): { items: KubernetesObject[]; resourceVersion: string } {
    const resourceVersion = this.store.resourceVersion;
    return { items: this.store.list(type, selection), resourceVersion };
  }

  /** `POST`: creates an object; `409 AlreadyExists` if it exists. */
  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions,
  ): KubernetesObject {
    const object = this.checkBody(type, namespace, undefined, body);
    if (this.store.get(type, namespace, object.metadata.name)) {
      throw statusErrors.alreadyExists(
        type.group,
        type.plural,
        object.metadata.name,
      );
    }
    const next = recordUpdate({
      live: undefined,
      next: object,
      manager: options.manager,
    });
    return this.persist(type, undefined, next, options);
  }

  /** `PATCH` with `application/apply-patch+yaml`: server-side apply. */
  apply(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions & { force?: boolean },
  ): { object: KubernetesObject; created: boolean } {
    if (!options.manager) {
      throw statusErrors.invalid('PatchOptions', 'meta.k8s.io', '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: is required for apply patch',
          field: 'fieldManager',
        },
      ]);
    }
    const config = this.checkBody(type, namespace, name, body);
    const live = this.store.get(type, namespace, name);
    const next = applyConfiguration({
      live,
      config,
      manager: options.manager,
      force: options.force ?? false,
      statusSubresource: type.statusSubresource,
    });
    return {
      object: this.persist(type, live, next, options),
      created: !live,
    };
  }

  /** `PATCH` with a JSON merge patch (strategic merge is treated alike). */
  mergePatch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions,
  ): KubernetesObject {
    if (!isRecord(patch)) {
      throw statusErrors.badRequest('the patch must be a JSON object');
    }
    const live = this.get(type, namespace, name);
    const patched = mergePatchInto(clone(live), patch);
    if (!isKubernetesObject(patched)) {
      throw statusErrors.badRequest('the patch removed required fields');
    }
    patched.metadata.name = name;
    if (namespace) {
      patched.metadata.namespace = namespace;
    }
    if (type.statusSubresource) {
      patched.status = live.status;
    }
    const next = recordUpdate({
      live,
      next: patched,
      manager: options.manager,
    });
    return this.persist(type, live, next, options);
  }

  /** `PUT`: replaces an object, checking `resourceVersion` when given. */
  replace(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions,
  ): KubernetesObject {
    const object = this.checkBody(type, namespace, name, body);
    const live = this.get(type, namespace, name);
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== live.metadata.resourceVersion) {
      throw statusErrors.conflict(
        `Operation cannot be fulfilled on ${type.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        [],
      );
    }
    if (type.statusSubresource) {
      object.status = live.status;
    }
    object.metadata.managedFields = live.metadata.managedFields;
    const next = recordUpdate({ live, next: object, manager: options.manager });
    return this.persist(type, live, next, options);
  }

  /**
   * Writes an object a controller changed, recording the manager's
   * ownership; `subresource` is `status` for status writes and `scale` for
   * replica changes. No admission checks: controllers are trusted.
   */
  controllerWrite(
    type: ResourceType,
    next: KubernetesObject,
    manager: string,
    subresource?: 'status' | 'scale',
  ): KubernetesObject | undefined {
    const live = this.store.get(
      type,
      next.metadata.namespace,
      next.metadata.name,
    );
    if (!live) {
      return undefined;
    }
    const recorded = recordUpdate({ live, next, manager, subresource });
    return this.store.update(type, recorded);
  }

  /**
   * `DELETE`: a namespace becomes `Terminating` (its controller removes its
   * contents, then it); other objects are removed at once, with dependents
   * removed first (`Foreground`), afterwards by the garbage collector
   * (`Background`, the default) or released (`Orphan`).
   */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: { propagationPolicy?: PropagationPolicy; dryRun?: boolean } = {},
  ): KubernetesObject {
    const live = this.get(type, namespace, name);
    if (options.dryRun) {
      return live;
    }
    if (type.kind === 'Namespace') {
      if (live.metadata.deletionTimestamp) {
        return live;
      }
      const terminating = clone(live);
      terminating.metadata.deletionTimestamp = new Date().toISOString();
      terminating.status = {
        ...(isRecord(live.status) ? live.status : {}),
        phase: 'Terminating',
      };
      return this.store.update(type, terminating);
    }
    const policy = options.propagationPolicy ?? 'Background';
    const uid = live.metadata.uid;
    if (uid && policy === 'Foreground') {
      for (const dependent of this.store.dependentsOf(uid)) {
        this.deleteIfPresent(
          dependent.resource,
          dependent.object,
          'Foreground',
        );
      }
    }
    if (uid && policy === 'Orphan') {
      for (const dependent of this.store.dependentsOf(uid)) {
        const released = clone(dependent.object);
        released.metadata.ownerReferences = (
          released.metadata.ownerReferences ?? []
        ).filter(owner => owner.uid !== uid);
        this.store.update(dependent.resource, released);
      }
    }
    return this.store.remove(type, namespace, name) ?? live;
  }

  /** Deletes an object if it still exists (for controllers and cascades). */
  deleteIfPresent(
    type: ResourceType,
    object: KubernetesObject,
    propagationPolicy: PropagationPolicy = 'Background',
  ): void {
    if (this.store.get(type, object.metadata.namespace, object.metadata.name)) {
      this.delete(type, object.metadata.namespace, object.metadata.name, {
        propagationPolicy,
      });
    }
  }

  private checkBody(
    type: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
    body: unknown,
  ): KubernetesObject {
    if (!isKubernetesObject(body)) {
      throw statusErrors.badRequest(
        'the body must be a Kubernetes object with apiVersion, kind and metadata',
      );
    }
    const object = clone(body);
    if (
      object.apiVersion !== groupVersionOf(type) ||
      object.kind !== type.kind
    ) {
      throw statusErrors.badRequest(
        `the API version in the data (${object.apiVersion}) and kind (${
          object.kind
        }) do not match the request (${groupVersionOf(type)}, ${type.kind})`,
      );
    }
    if (name !== undefined) {
      if (object.metadata.name === undefined) {
        object.metadata.name = name;
      } else if (object.metadata.name !== name) {
        throw statusErrors.badRequest(
          `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
    }
    if (type.namespaced) {
      if (
        object.metadata.namespace !== undefined &&
        object.metadata.namespace !== namespace
      ) {
        throw statusErrors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = namespace;
    } else {
      delete object.metadata.namespace;
    }
    return object;
  }

  private persist(
    type: ResourceType,
    live: KubernetesObject | undefined,
    next: KubernetesObject,
    options: WriteOptions,
  ): KubernetesObject {
    const name = next.metadata.name;
    if (type.namespaced) {
      const namespace = this.store.get(
        NAMESPACE,
        undefined,
        next.metadata.namespace ?? '',
      );
      if (!namespace) {
        throw statusErrors.notFound(
          '',
          'namespaces',
          next.metadata.namespace ?? '',
        );
      }
      if (!live && namespace.metadata.deletionTimestamp) {
        throw statusErrors.forbidden(
          type.group,
          type.plural,
          name,
          `unable to create new content in namespace ${namespace.metadata.name} because it is being terminated`,
        );
      }
    }
    applyDefaults(next, this.ips);
    const causes = [
      ...validateObject(type, next),
      ...(live ? immutableChanges(live, next) : []),
    ];
    if (causes.length > 0) {
      throw statusErrors.invalid(type.kind, type.group, name, causes);
    }
    if (!live && type.kind === 'Pod') {
      const exceeded = checkPodQuota(this.store, next);
      if (exceeded) {
        throw exceeded;
      }
    }
    if (options.dryRun) {
      return live
        ? this.store.prepareUpdate(live, next)
        : this.store.prepareNew(type, next);
    }
    return live ? this.store.update(type, next) : this.store.create(type, next);
  }
}

/** RFC 7386 JSON merge patch. */
function mergePatchInto(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isRecord(value)) {
      const existing = target[key];
      target[key] = mergePatchInto(isRecord(existing) ? existing : {}, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}
