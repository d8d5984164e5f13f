/**
 * Namespace lifecycle and garbage collection: a new namespace becomes
 * `Active`; a deleted one stays `Terminating` for a moment, then loses all
 * its objects and disappears. Objects whose owner was deleted are deleted
 * after it (background propagation).
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { at, record } from '../store/objects';
import { ControllerContext, writeStatus } from './context';

const NAMESPACE = ResourceCatalog.kind('Namespace');
const SERVICE_ACCOUNT = ResourceCatalog.kind('ServiceAccount');

/** Reacts to namespace changes. */
export function namespaceChanged(
  context: ControllerContext,
  namespace: KubernetesObject,
): void {
  if (namespace.metadata.deletionTimestamp) {
    const name = namespace.metadata.name;
    context.timers.after(context.timings.namespaceDeletionDelayMs, () =>
      finalizeNamespace(context, name),
    );
    return;
  }
  if (at(namespace, 'status', 'phase') === undefined) {
    writeStatus(context, NAMESPACE, namespace, {
      ...record(namespace.status),
      phase: 'Active',
    });
    ensureDefaultServiceAccount(context, namespace.metadata.name);
  }
}

/** Every namespace gets a `default` ServiceAccount, as kube-controller-manager creates. */
function ensureDefaultServiceAccount(
  context: ControllerContext,
  namespace: string,
): void {
  if (context.store.get(SERVICE_ACCOUNT, namespace, 'default')) {
    return;
  }
  context.api.create(
    SERVICE_ACCOUNT,
    namespace,
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    },
    { manager: 'kube-controller-manager' },
  );
}

function finalizeNamespace(context: ControllerContext, name: string): void {
  const namespace = context.store.get(NAMESPACE, undefined, name);
  if (!namespace?.metadata.deletionTimestamp) {
    return;
  }
  for (const { resource, object } of context.store.listNamespace(name)) {
    context.store.remove(resource, name, object.metadata.name);
  }
  context.store.remove(NAMESPACE, undefined, name);
  context.events.forgetNamespace(name);
}

/** Deletes the dependents of a deleted object. */
export function collectGarbage(
  context: ControllerContext,
  deleted: KubernetesObject,
): void {
  const uid = deleted.metadata.uid;
  if (!uid) {
    return;
  }
  for (const dependent of context.store.dependentsOf(uid)) {
    const owners = dependent.object.metadata.ownerReferences ?? [];
    const otherOwnersAlive = owners.some(
      owner =>
        owner.uid !== uid && ownerExists(context, dependent.object, owner),
    );
    if (!otherOwnersAlive) {
      context.api.deleteIfPresent(dependent.resource, dependent.object);
    }
  }
}

function ownerExists(
  context: ControllerContext,
  dependent: KubernetesObject,
  owner: Record<string, unknown>,
): boolean {
  const kind = typeof owner.kind === 'string' ? owner.kind : '';
  const name = typeof owner.name === 'string' ? owner.name : '';
  try {
    const type = ResourceCatalog.kind(kind);
    const found = context.store.get(
      type,
      type.namespaced ? dependent.metadata.namespace : undefined,
      name,
    );
    return found?.metadata.uid === owner.uid;
  } catch {
    return false;
  }
}
