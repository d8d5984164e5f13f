/**
 * The simulated scheduler and kubelet: pods are scheduled at once, become
 * Ready after the configured delay, crash-loop while the simulation says
 * their component does, and Job pods run to completion.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import {
  arr,
  at,
  isRecord,
  num,
  record,
  str,
  stringMap,
} from '../store/objects';
import {
  ControllerContext,
  controllerOf,
  isPodReady,
  now,
  podPhase,
} from './context';
import { EXIT_CODE_ANNOTATION } from './jobs';

const POD = ResourceCatalog.kind('Pod');
const NODE_NAME = 'simulator-node-1';

interface ContainerInfo {
  name: string;
  image: string;
}

function containersOf(pod: KubernetesObject): ContainerInfo[] {
  return arr(at(pod, 'spec', 'containers'))
    .filter(isRecord)
    .map(container => ({
      name: str(container.name) ?? 'main',
      image: str(container.image) ?? '',
    }));
}

function condition(type: string, status: boolean, reason?: string) {
  return {
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now(),
    ...(reason ? { reason } : {}),
  };
}

function restartCountOf(pod: KubernetesObject): number {
  return (
    num(at(arr(at(pod, 'status', 'containerStatuses'))[0], 'restartCount')) ?? 0
  );
}

/** Drives pod status. */
export class Kubelet {
  private nextIp = 10;

  constructor(private readonly context: ControllerContext) {}

  /** A new pod: scheduled now, started after the ready delay. */
  podAdded(pod: KubernetesObject): void {
    if (podPhase(pod)) {
      return;
    }
    const ip = this.allocateIp();
    this.writeStatus(pod, {
      phase: 'Pending',
      conditions: [condition('PodScheduled', true)],
      hostIP: '10.0.0.10',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now(),
      qosClass: 'Burstable',
      containerStatuses: containersOf(pod).map(container => ({
        name: container.name,
        image: container.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    });
    this.context.events.normal(
      pod,
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${NODE_NAME}`,
      'default-scheduler',
    );
    this.later(pod, this.context.timings.podReadyDelayMs, fresh =>
      this.run(fresh),
    );
  }

  /**
   * A pod found in the store at start (restored state): its pending timers
   * did not survive, so a pod that was still starting starts again after
   * the ready delay, and one that is running keeps running.
   */
  resume(pod: KubernetesObject): void {
    const phase = podPhase(pod);
    if (!phase) {
      this.podAdded(pod);
    } else if (
      phase === 'Pending' ||
      (phase === 'Running' && !isPodReady(pod))
    ) {
      this.later(pod, this.context.timings.podReadyDelayMs, fresh =>
        this.run(fresh),
      );
    }
  }

  /** The crash-loop setting of a component changed: apply it to its pods. */
  crashLoopChanged(namespace: string, component: string): void {
    for (const pod of this.context.store.list(POD, { namespace })) {
      if (
        stringMap(pod.metadata.labels)[ASTRO_LABELS.component] === component &&
        podPhase(pod) === 'Running'
      ) {
        if (this.isCrashLooping(pod)) {
          this.crash(pod);
        } else {
          this.later(pod, this.context.timings.podReadyDelayMs, fresh =>
            this.run(fresh),
          );
        }
      }
    }
  }

  private isCrashLooping(pod: KubernetesObject): boolean {
    return this.context.state.isCrashLooping(
      pod.metadata.namespace ?? '',
      stringMap(pod.metadata.labels)[ASTRO_LABELS.component],
    );
  }

  private run(pod: KubernetesObject): void {
    if (controllerOf(pod)?.kind === 'Job') {
      this.finish(pod);
    } else if (this.isCrashLooping(pod)) {
      this.crash(pod);
    } else {
      this.ready(pod);
    }
  }

  private ready(pod: KubernetesObject): void {
    const restartCount = restartCountOf(pod);
    const startedAt = now();
    this.writeStatus(pod, {
      ...record(pod.status),
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', true),
        condition('ContainersReady', true),
        condition('PodScheduled', true),
      ],
      containerStatuses: containersOf(pod).map(container => ({
        name: container.name,
        image: container.image,
        imageID: `${container.image}@sha256:simulated`,
        containerID: `containerd://simulated-${pod.metadata.uid}`,
        ready: true,
        started: true,
        restartCount,
        state: { running: { startedAt } },
      })),
    });
    this.context.events.normal(
      pod,
      'Started',
      `Started container ${containersOf(pod)[0]?.name ?? 'main'}`,
      'kubelet',
    );
  }

  private crash(pod: KubernetesObject): void {
    const restartCount = restartCountOf(pod) + 1;
    const container = containersOf(pod)[0]?.name ?? 'main';
    this.writeStatus(pod, {
      ...record(pod.status),
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', false, 'ContainersNotReady'),
        condition('ContainersReady', false, 'ContainersNotReady'),
        condition('PodScheduled', true),
      ],
      containerStatuses: containersOf(pod).map(info => ({
        name: info.name,
        image: info.image,
        imageID: `${info.image}@sha256:simulated`,
        containerID: `containerd://simulated-${pod.metadata.uid}`,
        ready: false,
        started: false,
        restartCount,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 10s restarting failed container=${info.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: now(),
            finishedAt: now(),
          },
        },
      })),
    });
    this.context.events.warning(
      pod,
      'BackOff',
      `Back-off restarting failed container ${container} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      'kubelet',
    );
    this.later(pod, this.context.timings.crashLoopRestartMs, fresh => {
      if (this.isCrashLooping(fresh)) {
        this.crash(fresh);
      }
    });
  }

  private finish(pod: KubernetesObject): void {
    const exitCode = Number(
      stringMap(pod.metadata.annotations)[EXIT_CODE_ANNOTATION] ?? '0',
    );
    const finishedAt = now();
    this.writeStatus(pod, {
      ...record(pod.status),
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions: [
        condition('PodReadyToStartContainers', false),
        condition('Initialized', true, 'PodCompleted'),
        condition('Ready', false, 'PodCompleted'),
        condition('ContainersReady', false, 'PodCompleted'),
        condition('PodScheduled', true),
      ],
      containerStatuses: containersOf(pod).map(info => ({
        name: info.name,
        image: info.image,
        imageID: `${info.image}@sha256:simulated`,
        containerID: `containerd://simulated-${pod.metadata.uid}`,
        ready: false,
        started: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode,
            reason: exitCode === 0 ? 'Completed' : 'Error',
            startedAt: str(at(pod, 'status', 'startTime')) ?? finishedAt,
            finishedAt,
          },
        },
      })),
    });
  }

  /** Runs `action` on the pod's current state after `ms`, if it still exists. */
  private later(
    pod: KubernetesObject,
    ms: number,
    action: (fresh: KubernetesObject) => void,
  ): void {
    const { namespace, name, uid } = pod.metadata;
    this.context.timers.after(ms, () => {
      const fresh = this.context.store.get(POD, namespace, name);
      if (fresh && fresh.metadata.uid === uid) {
        try {
          action(fresh);
        } catch (error) {
          this.context.warn(
            `kubelet failed on pod ${namespace}/${name}`,
            error,
          );
        }
      }
    });
  }

  private writeStatus(pod: KubernetesObject, status: Record<string, unknown>) {
    this.context.api.controllerWrite(
      POD,
      { ...pod, status },
      'kubelet',
      'status',
    );
  }

  private allocateIp(): string {
    const value = this.nextIp++;
    return `10.244.${Math.floor(value / 250) % 256}.${(value % 250) + 1}`;
  }
}
