/**
 * The defaults a real API server fills in on write, as far as the suite
 * reads them back.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { isRecord } from '../store/objects';

/** Hands out service cluster IPs from 10.96.0.0/16. */
export class ClusterIpAllocator {
  private next = 10;

  allocate(): string {
    const value = this.next++;
    return `10.96.${Math.floor(value / 250) % 256}.${(value % 250) + 1}`;
  }
}

/** Fills in server-side defaults; returns the same object, changed in place. */
export function applyDefaults(
  object: KubernetesObject,
  ips: ClusterIpAllocator,
): KubernetesObject {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  switch (object.kind) {
    case 'Namespace':
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      if (spec && spec.replicas === undefined) {
        spec.replicas = 1;
      }
      break;
    case 'Service':
      if (spec) {
        spec.type ??= 'ClusterIP';
        if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
          const ip = ips.allocate();
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
      }
      break;
    default:
      break;
  }
  return object;
}
