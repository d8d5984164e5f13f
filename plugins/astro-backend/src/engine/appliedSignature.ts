import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { contentHash } from '../render';

/**
 * Key under which a watch cache keeps the hash of the engine's own
 * `fieldsV1` instead of the fields themselves (see `trimCachedObject`).
 */
export const SIGNATURE_KEY = 'astro:signature';

/**
 * A hash of what a field manager owns of an object through server-side
 * apply: it changes when anyone else takes over or removes one of those
 * fields. Falls back to the resource version when the manager owns nothing.
 */
export function appliedSignature(
  object: KubernetesObject,
  fieldManager: string,
): string {
  const entry = object.metadata.managedFields?.find(
    field => field.manager === fieldManager && field.operation === 'Apply',
  );
  if (entry?.fieldsV1) {
    const fields = entry.fieldsV1 as Record<string, unknown>;
    const kept = fields[SIGNATURE_KEY];
    return typeof kept === 'string' ? kept : contentHash(entry.fieldsV1);
  }
  return `rv:${object.metadata.resourceVersion ?? ''}`;
}
