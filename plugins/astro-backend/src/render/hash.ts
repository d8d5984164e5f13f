import { createHash } from 'node:crypto';
import { ASTRO_ANNOTATIONS } from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(item => (item === undefined ? null : canonicalize(item)));
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) {
        sorted[key] = canonicalize(record[key]);
      }
    }
    return sorted;
  }
  return value;
}

/**
 * JSON with object keys sorted at every level, so that equal values give
 * equal strings whatever order their keys were set in.
 *
 * @public
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'null';
}

/**
 * SHA-256 (hex) of a value's canonical JSON.
 *
 * @public
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * Content hash of a rendered object, ignoring its generation annotation: a
 * new generation that leaves an object as it was does not change its hash.
 *
 * @public
 */
export function objectContentHash(object: KubernetesObject): string {
  const annotations = { ...object.metadata.annotations };
  delete annotations[ASTRO_ANNOTATIONS.generation];
  return contentHash({
    ...object,
    metadata: { ...object.metadata, annotations },
  });
}

/**
 * Identifies an object across renders: `apiVersion/kind/namespace/name`,
 * with an empty namespace for cluster-scoped objects
 * (`v1/Namespace//astro-prod`).
 *
 * @public
 */
export function renderedObjectKey(object: {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${object.apiVersion}/${object.kind}/${
    object.metadata.namespace ?? ''
  }/${object.metadata.name}`;
}
