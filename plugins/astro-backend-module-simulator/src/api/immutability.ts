/**
 * Fields a real API server refuses to change after creation, for the kinds
 * where the suite depends on it (a changed migration Job must get a new
 * name, a workload's selector is fixed).
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { at, deepEqual } from '../store/objects';
import { StatusCause } from './status';

const IMMUTABLE: Record<string, string[][]> = {
  Deployment: [['spec', 'selector']],
  ReplicaSet: [['spec', 'selector']],
  DaemonSet: [['spec', 'selector']],
  StatefulSet: [
    ['spec', 'selector'],
    ['spec', 'serviceName'],
    ['spec', 'volumeClaimTemplates'],
    ['spec', 'podManagementPolicy'],
  ],
  Job: [
    ['spec', 'selector'],
    ['spec', 'template'],
    ['spec', 'completions'],
  ],
  Service: [['spec', 'clusterIP']],
};

/** The immutable fields an update would change. */
export function immutableChanges(
  live: KubernetesObject,
  next: KubernetesObject,
): StatusCause[] {
  return (IMMUTABLE[live.kind] ?? [])
    .filter(path => !deepEqual(at(live, ...path), at(next, ...path)))
    .map(path => ({
      reason: 'FieldValueInvalid',
      message: 'field is immutable',
      field: path.join('.'),
    }));
}
