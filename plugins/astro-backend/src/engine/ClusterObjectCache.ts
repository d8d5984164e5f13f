import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ASTRO_LABELS,
  ASTRO_MANAGED_BY,
} from '@airflow-portal/plugin-astro-common';
import {
  ClusterCapabilities,
  ClusterClient,
  ClusterInformer,
  KindRef,
  KubernetesObject,
} from '@airflow-portal/plugin-astro-node';
import { renderedObjectKey } from '../render';
import { trimCachedObject } from './trimCachedObject';

/** Kinds the engine renders or reads, watched on every cluster. */
export const CORE_WATCHED_KINDS: KindRef[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'ResourceQuota' },
  { apiVersion: 'v1', kind: 'LimitRange' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
];

/** KEDA kinds, watched where the cluster serves them. */
export const KEDA_WATCHED_KINDS: KindRef[] = [
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication' },
];

/** Gateway API kinds, watched where the cluster serves them. */
export const GATEWAY_WATCHED_KINDS: KindRef[] = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
];

/** Label selector of everything the engine owns on a cluster. */
export const MANAGED_SELECTOR = `${ASTRO_LABELS.managedBy}=${ASTRO_MANAGED_BY}`;

/**
 * The objects the suite manages on one cluster, as the engine and the
 * monitor read them instead of asking the API server: an informer per kind,
 * cluster-wide, filtered to the objects this suite manages, and an index of
 * them by Deployment id. The number of watches per cluster is the number of
 * kinds, whatever the number of Deployments.
 */
export class ClusterObjectCache {
  private static created = 0;
  /** Tells this cache from the ones before it for the same cluster. */
  readonly instance = ++ClusterObjectCache.created;
  private readonly informers: ClusterInformer[] = [];
  private readonly byDeployment = new Map<
    string,
    Map<string, KubernetesObject>
  >();
  private capabilitiesValue?: ClusterCapabilities;
  private capabilitiesReadAt = 0;
  private started?: Promise<void>;

  constructor(
    readonly clusterName: string,
    readonly client: ClusterClient,
    private readonly options: {
      logger: LoggerService;
      /** Called when an object of a Deployment was added, changed or removed. */
      onChange: (deploymentId: string) => void;
      /** Called when a watch fails (it restarts with backoff). */
      onError?: (error: Error) => void;
      capabilitiesTtlMs?: number;
      now?: () => number;
      /** Where Deployments' Airflow UIs are, as the cluster declares it. */
      airflowUrlTemplate?: string;
      /** The cluster's driver id; the simulator's Airflow pages are served on loopback. */
      driver?: string;
      /** The engine's field manager: its managed-fields entries are kept in the cache. */
      fieldManager: string;
    },
  ) {}

  /** Where Deployments' Airflow UIs are, as the cluster declares it. */
  get airflowUrlTemplate(): string | undefined {
    return this.options.airflowUrlTemplate;
  }

  /** The cluster's driver id, as declared. */
  get driver(): string | undefined {
    return this.options.driver;
  }

  /** Starts the informers once; resolves when every cache holds its first list. */
  start(): Promise<void> {
    this.started ??= this.startInformers().catch(error => {
      this.started = undefined;
      this.stop();
      throw error;
    });
    return this.started;
  }

  private async startInformers() {
    const capabilities = await this.capabilities();
    const kinds = [
      ...CORE_WATCHED_KINDS,
      ...(capabilities.keda ? KEDA_WATCHED_KINDS : []),
      ...(capabilities.apiGroupVersions.includes('gateway.networking.k8s.io/v1')
        ? GATEWAY_WATCHED_KINDS
        : []),
    ];
    for (const kind of kinds) {
      const informer = this.client.informer(kind, {
        labelSelector: MANAGED_SELECTOR,
        transform: object =>
          trimCachedObject(object, this.options.fieldManager),
      });
      informer.on('add', object => this.put(object));
      informer.on('update', object => this.put(object));
      informer.on('delete', object => this.remove(object));
      informer.on('synced', () => this.resync(kind, informer));
      informer.on('error', error => {
        this.options.logger.warn(
          `Watch of ${kind.kind} on cluster ${this.clusterName} failed; it restarts with backoff: ${error.message}`,
        );
        this.options.onError?.(error);
      });
      this.informers.push(informer);
    }
    await Promise.all(this.informers.map(informer => informer.start()));
    kinds.forEach((kind, index) => this.resync(kind, this.informers[index]));
  }

  /** The cluster's capabilities, re-read after a while. */
  async capabilities(): Promise<ClusterCapabilities> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.capabilitiesTtlMs ?? 5 * 60_000;
    if (!this.capabilitiesValue || now - this.capabilitiesReadAt > ttl) {
      this.capabilitiesValue = await this.client.capabilities();
      this.capabilitiesReadAt = now;
    }
    return this.capabilitiesValue;
  }

  /**
   * Whether {@link ClusterObjectCache.recover} can bring this cache back
   * after an outage: it started, and every informer can list again on
   * demand.
   */
  get recoverable(): boolean {
    return (
      this.informers.length > 0 &&
      this.informers.every(informer => informer.recover !== undefined)
    );
  }

  /**
   * Brings the cache back after the cluster did not answer: one discovery
   * read (its capabilities, re-read), then every informer whose list or
   * watch failed lists again at once instead of after its backoff. An
   * informer whose watch stayed open is left alone, so recovering costs
   * what the outage broke, not a read of the whole cluster. Resolves when
   * each of them holds a fresh list; rejects with the first failure.
   */
  async recover(): Promise<void> {
    this.capabilitiesValue = await this.client.capabilities();
    this.capabilitiesReadAt = (this.options.now ?? Date.now)();
    await Promise.all(this.informers.map(informer => informer.recover?.()));
  }

  /** Number of watches this cluster holds. */
  get watchCount(): number {
    return this.informers.length;
  }

  /** The cached objects of a Deployment, by object key. */
  objectsOf(deploymentId: string): ReadonlyMap<string, KubernetesObject> {
    return this.byDeployment.get(deploymentId) ?? new Map();
  }

  stop(): void {
    for (const informer of this.informers) {
      informer.stop();
    }
    this.informers.length = 0;
  }

  private static deploymentIdOf(object: KubernetesObject) {
    return object.metadata.labels?.[ASTRO_LABELS.deploymentId];
  }

  private put(object: KubernetesObject) {
    const id = ClusterObjectCache.deploymentIdOf(object);
    if (!id) {
      return;
    }
    let objects = this.byDeployment.get(id);
    if (!objects) {
      objects = new Map();
      this.byDeployment.set(id, objects);
    }
    objects.set(renderedObjectKey(object), object);
    this.options.onChange(id);
  }

  private remove(object: KubernetesObject) {
    const id = ClusterObjectCache.deploymentIdOf(object);
    if (!id) {
      return;
    }
    const objects = this.byDeployment.get(id);
    if (objects?.delete(renderedObjectKey(object))) {
      if (objects.size === 0) {
        this.byDeployment.delete(id);
      }
      this.options.onChange(id);
    }
  }

  /** Replaces one kind in the index with its informer's fresh list. */
  private resync(kind: KindRef, informer: ClusterInformer) {
    const listed = informer.list();
    const fresh = new Set(listed.map(renderedObjectKey));
    for (const [id, objects] of this.byDeployment) {
      for (const [key, object] of objects) {
        if (
          object.kind === kind.kind &&
          object.apiVersion === kind.apiVersion &&
          !fresh.has(key)
        ) {
          objects.delete(key);
          this.options.onChange(id);
        }
      }
    }
    for (const object of listed) {
      this.put(object);
    }
  }
}
