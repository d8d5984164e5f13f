import type { ResourceSize } from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { RenderedMetadata } from './labels';

/** The fields of a Kubernetes type besides its type and metadata. */
export type ObjectBody<T> = Omit<
  T,
  'apiVersion' | 'kind' | 'metadata' | 'status'
>;

/**
 * Builds an object whose body is checked at compile time against
 * `@kubernetes/client-node`'s model of its type `T` (no unknown fields).
 */
export function kubernetesObject<T>(
  apiVersion: string,
  kind: string,
  metadata: RenderedMetadata,
  body: ObjectBody<T>,
): KubernetesObject {
  const object: KubernetesObject = { apiVersion, kind, metadata };
  return Object.assign(object, body);
}

/** Requests equal to limits (the Guaranteed QoS class). */
export function guaranteedResources(
  size: ResourceSize,
): V1ResourceRequirements {
  return {
    requests: { cpu: size.cpu, memory: size.memory },
    limits: { cpu: size.cpu, memory: size.memory },
  };
}

/** Base64 of a UTF-8 string, as Secret `data` holds values. */
export function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}
