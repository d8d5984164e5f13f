import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { patchSchemaOf } from '../apply/patchSchema';
import { applyPatch, PatchType } from '../apply/patches';
import { applyConfiguration, recordUpdate } from '../apply/serverSideApply';
import { ObjectStore, Selection } from '../store/ObjectStore';
import {
  at,
  clone,
  isKubernetesObject,
  isRecord,
  JsonObject,
  num,
  str,
} from '../store/objects';
import { applyDefaults, ClusterIpAllocator } from './defaults';
import { generatedName } from './generatedName';
import { immutableChanges } from './immutability';
import { checkPodQuota } from './quota';
import { groupVersionOf, ResourceCatalog, ResourceType } from './resources';
import { qualifiedResource, statusErrors } from './status';
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

export type { PatchType } from '../apply/patches';

/** What a `DELETE` is told (its query and `DeleteOptions` body). */
export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  dryRun?: boolean;
  /** The object must still have this uid / resource version (else `409`). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** The `autoscaling/v1` `Scale` of a workload. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: JsonObject;
  spec: { replicas: number };
  status: { replicas: number; selector?: string };
}

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
    const object = this.checkBody(type, namespace, undefined, body, true);
    if (!object.metadata.name) {
      const prefix = str(object.metadata.generateName);
      if (prefix) {
        object.metadata.name = this.freeName(type, namespace, prefix);
      }
    }
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

  /**
   * `PATCH` with a JSON merge patch (RFC 7386), a strategic merge patch (by
   * the Kubernetes merge keys of the kind) or a JSON patch (RFC 6902).
   * A `metadata.resourceVersion` in the result is a precondition, as on a
   * real server.
   */
  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions & { patchType: PatchType },
  ): KubernetesObject {
    const live = this.get(type, namespace, name);
    const patched = patchObject(type, live, patch, options.patchType);
    if (!isKubernetesObject(patched)) {
      throw statusErrors.unprocessable(
        'the patched object must keep apiVersion, kind and metadata',
      );
    }
    this.checkPatchedIdentity(type, live, patched);
    patched.apiVersion = live.apiVersion;
    patched.kind = live.kind;
    if (type.statusSubresource) {
      patched.status = live.status;
    }
    const next = recordUpdate({
      live,
      next: patched,
      manager: options.manager,
      takeManagedFields: true,
    });
    return this.persist(type, live, next, options);
  }

  /** `GET .../scale`: the `Scale` of a workload. */
  getScale(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Scale {
    return scaleOf(this.get(type, namespace, name));
  }

  /**
   * `PUT` or `PATCH` of `.../scale`: `change` turns the current `Scale`
   * into the wanted one, whose `spec.replicas` becomes the workload's
   * (recorded as an update of the `scale` subresource).
   */
  updateScale(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    change: (current: Scale) => unknown,
    options: WriteOptions,
  ): Scale {
    const live = this.get(type, namespace, name);
    const current = scaleOf(live);
    const wanted = change(clone(current));
    const expected = str(at(wanted, 'metadata', 'resourceVersion'));
    if (expected && expected !== live.metadata.resourceVersion) {
      throw conflictOnModified(type, name);
    }
    const replicas = at(wanted, 'spec', 'replicas');
    if (
      replicas !== undefined &&
      (typeof replicas !== 'number' ||
        !Number.isInteger(replicas) ||
        replicas < 0)
    ) {
      throw statusErrors.invalid('Scale', 'autoscaling', name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(
            replicas,
          )}: must be a non-negative integer`,
          field: 'spec.replicas',
        },
      ]);
    }
    const next = clone(live);
    next.spec = {
      ...(isRecord(live.spec) ? live.spec : {}),
      replicas: replicas ?? 0,
    };
    const recorded = recordUpdate({
      live,
      next,
      manager: options.manager,
      subresource: 'scale',
    });
    return scaleOf(this.persist(type, live, recorded, options));
  }

  /** `PUT`: replaces an object, checking `resourceVersion` when given. */
  replace(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions,
  ): KubernetesObject {
    const object = this.checkBody(type, namespace, name, body, true);
    const live = this.get(type, namespace, name);
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== live.metadata.resourceVersion) {
      throw conflictOnModified(type, name);
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
   * (`Background`, the default) or released (`Orphan`). Preconditions
   * that do not hold answer `409 Conflict`; a dry run checks everything and
   * answers what the object would become, changing nothing (no cascade).
   */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubernetesObject {
    const live = this.get(type, namespace, name);
    checkPreconditions(type, live, options.preconditions);
    if (type.kind === 'Namespace') {
      if (live.metadata.deletionTimestamp) {
        return live;
      }
      const terminating = clone(live);
      terminating.metadata.deletionTimestamp = new Date()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      terminating.status = {
        ...(isRecord(live.status) ? live.status : {}),
        phase: 'Terminating',
      };
      return options.dryRun
        ? this.store.prepareUpdate(live, terminating)
        : this.store.update(type, terminating);
    }
    if (options.dryRun) {
      return live;
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
    impliedTypeMeta = false,
  ): KubernetesObject {
    const typed =
      impliedTypeMeta && isRecord(body)
        ? {
            apiVersion: groupVersionOf(type),
            kind: type.kind,
            metadata: {},
            ...body,
          }
        : body;
    if (!isKubernetesObject(typed)) {
      throw statusErrors.badRequest(
        'the body must be a Kubernetes object with apiVersion, kind and metadata',
      );
    }
    const object = clone(typed);
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

  /** `generateName` plus a random suffix no object of the type has yet. */
  private freeName(
    type: ResourceType,
    namespace: string | undefined,
    prefix: string,
  ): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = generatedName(prefix);
      if (!this.store.get(type, namespace, name)) {
        return name;
      }
    }
    throw statusErrors.alreadyExists(type.group, type.plural, prefix);
  }

  private checkPatchedIdentity(
    type: ResourceType,
    live: KubernetesObject,
    patched: KubernetesObject,
  ): void {
    const name = live.metadata.name;
    if (patched.metadata.name !== name) {
      throw statusErrors.badRequest(
        `the name of the object (${String(
          patched.metadata.name ?? '',
        )}) does not match the name on the URL (${name})`,
      );
    }
    if (
      type.namespaced &&
      patched.metadata.namespace !== live.metadata.namespace
    ) {
      throw statusErrors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const expected = patched.metadata.resourceVersion;
    if (expected && expected !== live.metadata.resourceVersion) {
      throw conflictOnModified(type, name);
    }
    if (patched.metadata.uid && patched.metadata.uid !== live.metadata.uid) {
      throw statusErrors.conflict(
        `Operation cannot be fulfilled on ${qualifiedResource(
          type.group,
          type.plural,
        )} "${name}": Precondition failed: UID in precondition: ${String(
          patched.metadata.uid,
        )}, UID in object meta: ${live.metadata.uid ?? ''}`,
        [],
      );
    }
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

function conflictOnModified(type: ResourceType, name: string): Error {
  return statusErrors.conflict(
    `Operation cannot be fulfilled on ${qualifiedResource(
      type.group,
      type.plural,
    )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    [],
  );
}

function checkPreconditions(
  type: ResourceType,
  live: KubernetesObject,
  preconditions: DeleteOptions['preconditions'],
): void {
  const fail = (detail: string) =>
    statusErrors.conflict(
      `Operation cannot be fulfilled on ${qualifiedResource(
        type.group,
        type.plural,
      )} "${live.metadata.name}": Precondition failed: ${detail}`,
      [],
    );
  if (preconditions?.uid && preconditions.uid !== live.metadata.uid) {
    throw fail(
      `UID in precondition: ${preconditions.uid}, UID in object meta: ${
        live.metadata.uid ?? ''
      }`,
    );
  }
  if (
    preconditions?.resourceVersion &&
    preconditions.resourceVersion !== live.metadata.resourceVersion
  ) {
    throw fail(
      `ResourceVersion in precondition: ${
        preconditions.resourceVersion
      }, ResourceVersion in meta: ${live.metadata.resourceVersion ?? ''}`,
    );
  }
}

/** The patched form of `live`; throws the status a real server answers. */
function patchObject(
  type: ResourceType,
  live: KubernetesObject,
  patch: unknown,
  patchType: PatchType,
): unknown {
  if (patchType === 'strategic' && type.keda) {
    throw statusErrors.unsupportedMediaType(
      'application/strategic-merge-patch+json (strategic merge patch is not supported for custom resources)',
    );
  }
  return applyPatch(live, patch, patchType, patchSchemaOf(type.kind));
}

/** Label selector text of a workload, as `Scale.status.selector` shows it. */
function selectorText(selector: unknown): string | undefined {
  if (!isRecord(selector)) {
    return undefined;
  }
  const parts = Object.entries(
    isRecord(selector.matchLabels) ? selector.matchLabels : {},
  ).map(([key, value]) => `${key}=${String(value)}`);
  for (const expression of Array.isArray(selector.matchExpressions)
    ? selector.matchExpressions.filter(isRecord)
    : []) {
    const key = str(expression.key) ?? '';
    const values = Array.isArray(expression.values)
      ? expression.values.map(String).join(',')
      : '';
    switch (expression.operator) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
      default:
        break;
    }
  }
  return parts.join(',');
}

function scaleOf(object: KubernetesObject): Scale {
  const { name, namespace, uid, resourceVersion, creationTimestamp } =
    object.metadata;
  const selector = selectorText(at(object, 'spec', 'selector'));
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      uid,
      resourceVersion,
      creationTimestamp,
    },
    spec: { replicas: num(at(object, 'spec', 'replicas')) ?? 0 },
    status: {
      replicas: num(at(object, 'status', 'replicas')) ?? 0,
      ...(selector !== undefined ? { selector } : {}),
    },
  };
}
