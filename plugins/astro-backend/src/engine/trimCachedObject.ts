import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { appliedSignature, SIGNATURE_KEY } from './appliedSignature';

/** Written by `kubectl apply` (client side): a second copy of the object. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What the watch caches keep of an object: everything the engine, the
 * status evaluation and the monitors read, without the parts they never
 * read. `managedFields` (a second description of every field, per
 * manager) is cut to the engine's own server-side-apply entry, and of that
 * entry only the hash of its fields is kept (all the engine compares, see
 * `appliedSignature`); pods, which it never applies, keep none. kubectl's
 * last-applied copy of the object goes too.
 */
export function trimCachedObject(
  object: KubernetesObject,
  fieldManager: string,
): KubernetesObject {
  const { managedFields, annotations } = object.metadata;
  const hasLastApplied =
    annotations !== undefined && LAST_APPLIED in annotations;
  if (!managedFields?.length && !hasLastApplied) {
    return object;
  }
  const metadata = { ...object.metadata };
  const own =
    object.kind === 'Pod'
      ? []
      : (managedFields ?? [])
          .filter(
            entry =>
              entry.manager === fieldManager && entry.operation === 'Apply',
          )
          .map(entry => ({
            ...entry,
            fieldsV1: {
              [SIGNATURE_KEY]: appliedSignature(object, fieldManager),
            },
          }));
  if (own.length > 0) {
    metadata.managedFields = own;
  } else {
    delete metadata.managedFields;
  }
  if (hasLastApplied) {
    const { [LAST_APPLIED]: _dropped, ...rest } = annotations!;
    metadata.annotations = rest;
  }
  return { ...object, metadata };
}
