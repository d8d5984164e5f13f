/**
 * The resource types the simulator serves: what discovery advertises and
 * what the routes accept.
 */

/** One served resource type. */
export interface ResourceType {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The path segment, e.g. `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Whether writes to the main resource ignore `.status`. */
  statusSubresource: boolean;
  /** Whether the resource has a `scale` subresource. */
  scaleSubresource?: boolean;
  /** Only served while the simulated cluster has KEDA installed. */
  keda?: boolean;
}

const core = (
  kind: string,
  plural: string,
  namespaced: boolean,
  statusSubresource: boolean,
  shortNames?: string[],
): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  statusSubresource,
  shortNames,
});

const grouped = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  statusSubresource: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced: true,
  statusSubresource,
  ...extra,
});

/** Every resource type the simulator knows. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  core('Namespace', 'namespaces', false, true, ['ns']),
  core('Node', 'nodes', false, true, ['no']),
  core('Pod', 'pods', true, true, ['po']),
  core('Service', 'services', true, true, ['svc']),
  core('ConfigMap', 'configmaps', true, false, ['cm']),
  core('Secret', 'secrets', true, false),
  core('ServiceAccount', 'serviceaccounts', true, false, ['sa']),
  core('ResourceQuota', 'resourcequotas', true, true, ['quota']),
  core('LimitRange', 'limitranges', true, false, ['limits']),
  core('Event', 'events', true, false, ['ev']),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, true, ['pvc']),
  grouped('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    scaleSubresource: true,
  }),
  grouped('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    scaleSubresource: true,
  }),
  grouped('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    scaleSubresource: true,
  }),
  grouped('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
  }),
  grouped('batch', 'v1', 'Job', 'jobs', true),
  grouped('batch', 'v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'] }),
  grouped('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
  }),
  grouped(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    true,
    { shortNames: ['hpa'] },
  ),
  grouped('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, {
    shortNames: ['netpol'],
  }),
  grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
  }),
  grouped('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', false),
  grouped(
    'rbac.authorization.k8s.io',
    'v1',
    'RoleBinding',
    'rolebindings',
    false,
  ),
  grouped('keda.sh', 'v1alpha1', 'ScaledObject', 'scaledobjects', true, {
    shortNames: ['so'],
    keda: true,
  }),
  grouped(
    'keda.sh',
    'v1alpha1',
    'TriggerAuthentication',
    'triggerauthentications',
    true,
    { shortNames: ['ta', 'triggerauth'], keda: true },
  ),
];

/** `apps/v1`, or `v1` for the core group. */
export function groupVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** A stable key for a resource type, e.g. `apps/deployments`. */
export function resourceKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}

/** Looks resource types up by path or by apiVersion and kind. */
export class ResourceCatalog {
  private keda: boolean;

  constructor(options: { keda: boolean }) {
    this.keda = options.keda;
  }

  /** Whether KEDA's resources are served. */
  get kedaEnabled(): boolean {
    return this.keda;
  }

  setKeda(enabled: boolean): void {
    this.keda = enabled;
  }

  /** The resource types currently served. */
  served(): ResourceType[] {
    return RESOURCE_TYPES.filter(type => this.keda || !type.keda);
  }

  byPath(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.served().find(
      type =>
        type.group === group &&
        type.version === version &&
        type.plural === plural,
    );
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.served().find(
      type => groupVersionOf(type) === apiVersion && type.kind === kind,
    );
  }

  /** Every served type, also those KEDA adds, for the store's bookkeeping. */
  all(): readonly ResourceType[] {
    return RESOURCE_TYPES;
  }

  /** Looks up a type by kind among all types (served or not). */
  anyByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return RESOURCE_TYPES.find(
      type => groupVersionOf(type) === apiVersion && type.kind === kind,
    );
  }

  /** The type of a kind, by kind name only (for controllers). */
  static kind(kind: string): ResourceType {
    const type = RESOURCE_TYPES.find(t => t.kind === kind);
    if (!type) {
      throw new Error(`Unknown kind ${kind}`);
    }
    return type;
  }
}
