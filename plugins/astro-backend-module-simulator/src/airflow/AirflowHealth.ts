/**
 * The simulated Airflow health endpoint. Its answers follow the simulated
 * pods of the namespace: a component is healthy while one of its pods is
 * Ready; once none is, it is unhealthy and its latest heartbeat stays at
 * the moment the last one stopped; a component that never ran reports
 * `null`, as Airflow does for a triggerer it has never seen.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import { isPodReady } from '../controllers/context';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { arr, at, labelsOf, str } from '../store/objects';

const POD = ResourceCatalog.kind('Pod');

/** Components with a heartbeat, by their key in the health answer. */
const HEARTBEAT_COMPONENTS = {
  scheduler: 'scheduler',
  triggerer: 'triggerer',
  dag_processor: 'dag-processor',
} as const;

/** A component's health, as Airflow reports it. */
export interface ComponentHealth {
  status: 'healthy' | 'unhealthy' | null;
  [heartbeatField: string]: string | null;
}

/** Airflow's health answer. */
export interface AirflowHealthResponse {
  metadatabase: { status: 'healthy' | 'unhealthy' };
  scheduler: ComponentHealth;
  triggerer: ComponentHealth;
  dag_processor: ComponentHealth;
}

/** Python's `datetime.isoformat()` of an aware UTC time. */
function isoformat(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, '+00:00');
}

const key = (namespace: string, component: string) =>
  `${namespace}\u0000${component}`;

/**
 * Seconds after its last heartbeat that Airflow still reports a component
 * healthy (`scheduler_health_check_threshold` and its kin, 30 s by default).
 */
export const HEALTH_CHECK_THRESHOLD_MS = 30_000;

/** Tracks heartbeats from pod readiness and answers health checks. */
export class AirflowHealth {
  private readonly lastReady = new Map<string, Date>();
  private readonly seen = new Set<string>();
  /** Components whose heartbeat stopped while their pods stay Ready (hung). */
  private readonly frozen = new Map<string, Date>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: ObjectStore) {
    this.unsubscribe = store.subscribe(event => this.observe(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  /**
   * Stops (or restarts) the heartbeat of a namespace's component while its
   * pods stay Ready, as a hung scheduler does: the heartbeat stays at the
   * moment it froze, and Airflow calls the component unhealthy once that is
   * older than {@link HEALTH_CHECK_THRESHOLD_MS}.
   */
  freezeHeartbeat(namespace: string, component: string, frozen: boolean): void {
    if (frozen) {
      if (!this.frozen.has(key(namespace, component))) {
        this.frozen.set(key(namespace, component), new Date());
      }
    } else {
      this.frozen.delete(key(namespace, component));
    }
  }

  /** Forgets frozen heartbeats. */
  reset(): void {
    this.frozen.clear();
  }

  /** The health answer for the Airflow in a namespace. */
  health(namespace: string): AirflowHealthResponse {
    const pods = this.store.list(POD, { namespace });
    const component = (
      field: keyof typeof HEARTBEAT_COMPONENTS,
    ): ComponentHealth => {
      const name = HEARTBEAT_COMPONENTS[field];
      const heartbeatField = `latest_${field}_heartbeat`;
      const ready = pods.some(
        pod =>
          labelsOf(pod)[ASTRO_LABELS.component] === name && isPodReady(pod),
      );
      const frozenAt = this.frozen.get(key(namespace, name));
      if (ready && frozenAt) {
        return {
          status:
            Date.now() - frozenAt.getTime() < HEALTH_CHECK_THRESHOLD_MS
              ? 'healthy'
              : 'unhealthy',
          [heartbeatField]: isoformat(frozenAt),
        };
      }
      if (ready) {
        const beat = new Date(Math.floor(Date.now() / 5000) * 5000);
        return { status: 'healthy', [heartbeatField]: isoformat(beat) };
      }
      const last = this.lastReady.get(key(namespace, name));
      if (!this.seen.has(key(namespace, name)) && field !== 'scheduler') {
        return { status: null, [heartbeatField]: null };
      }
      return {
        status: 'unhealthy',
        [heartbeatField]: last ? isoformat(last) : null,
      };
    };
    return {
      metadatabase: { status: this.metadatabase(pods) },
      scheduler: component('scheduler'),
      triggerer: component('triggerer'),
      dag_processor: component('dag_processor'),
    };
  }

  /** The Airflow version of the pods behind a component, from their image tag. */
  version(namespace: string, component: string): string | undefined {
    const pod = this.store
      .list(POD, { namespace })
      .find(
        candidate => labelsOf(candidate)[ASTRO_LABELS.component] === component,
      );
    const images = arr(at(pod, 'spec', 'containers')).map(container =>
      str(at(container, 'image')),
    );
    for (const image of images) {
      const match = /airflow:(\d+\.\d+\.\d+)/.exec(image ?? '');
      if (match) {
        return match[1];
      }
    }
    return undefined;
  }

  private metadatabase(pods: KubernetesObject[]): 'healthy' | 'unhealthy' {
    for (const component of ['postgresql', 'pgbouncer']) {
      const mine = pods.filter(
        pod => labelsOf(pod)[ASTRO_LABELS.component] === component,
      );
      if (mine.length > 0 && !mine.some(isPodReady)) {
        return 'unhealthy';
      }
    }
    return 'healthy';
  }

  private observe(event: StoreEvent): void {
    if (event.resource.kind !== 'Pod') {
      return;
    }
    const component = labelsOf(event.object)[ASTRO_LABELS.component];
    if (!component) {
      return;
    }
    const namespace = event.object.metadata.namespace ?? '';
    this.seen.add(key(namespace, component));
    const wasReady =
      event.type === 'DELETED'
        ? isPodReady(event.object)
        : event.previous !== undefined && isPodReady(event.previous);
    const isReady = event.type !== 'DELETED' && isPodReady(event.object);
    if (wasReady || isReady) {
      this.lastReady.set(key(namespace, component), new Date());
    }
  }
}
