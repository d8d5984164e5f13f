/**
 * What the simulated controllers share: the store, the write path, the
 * event recorder, the simulation's knobs and timers; and small helpers for
 * owner references, readiness and conditions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ApiOperations } from '../api/ApiOperations';
import { groupVersionOf, ResourceType } from '../api/resources';
import { ObjectStore } from '../store/ObjectStore';
import {
  arr,
  at,
  conditionOf,
  isRecord,
  JsonObject,
  str,
} from '../store/objects';
import { EventRecorder } from './EventRecorder';
import { SimulationState } from './SimulationState';

/** Timing of the simulated cluster. */
export interface SimulationTimings {
  /** How long a pod takes from creation to Ready (and a Job to finish). */
  podReadyDelayMs: number;
  /** How often a crash-looping container restarts. */
  crashLoopRestartMs: number;
  /** How long a deleted namespace stays `Terminating`. */
  namespaceDeletionDelayMs: number;
}

/** Schedules callbacks that are all cancelled when the simulator stops. */
export class Timers {
  private readonly handles = new Set<NodeJS.Timeout>();

  after(ms: number, callback: () => void): void {
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, ms);
    handle.unref?.();
    this.handles.add(handle);
  }

  clear(): void {
    for (const handle of this.handles) {
      clearTimeout(handle);
    }
    this.handles.clear();
  }
}

/** Everything a controller needs. */
export interface ControllerContext {
  store: ObjectStore;
  api: ApiOperations;
  events: EventRecorder;
  state: SimulationState;
  timings: SimulationTimings;
  timers: Timers;
  /** Asks for a reconcile of one object of a kind, soon. */
  enqueue(kind: string, namespace: string | undefined, name: string): void;
  /** Whether KEDA is currently installed in the simulated cluster. */
  kedaEnabled(): boolean;
  /** Reports a controller failure (never fatal). */
  warn(message: string, error?: unknown): void;
}

/** The field manager of the simulated kube-controller-manager. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

/** An owner reference to `owner`, as a controller sets it. */
export function controllerRef(
  owner: KubernetesObject,
): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The controller owner reference of an object, if any. */
export function controllerOf(
  object: KubernetesObject,
): { kind: string; name: string; uid: string } | undefined {
  const owner = (object.metadata.ownerReferences ?? []).find(
    reference => reference.controller === true,
  );
  if (!owner) {
    return undefined;
  }
  return {
    kind: str(owner.kind) ?? '',
    name: str(owner.name) ?? '',
    uid: str(owner.uid) ?? '',
  };
}

/** Whether `object` is controlled by the object with `uid`. */
export function isControlledBy(
  object: KubernetesObject,
  uid: unknown,
): boolean {
  return controllerOf(object)?.uid === uid;
}

export function isPodReady(pod: KubernetesObject): boolean {
  return conditionOf(pod, 'Ready')?.status === 'True';
}

export function podPhase(pod: KubernetesObject): string | undefined {
  return str(at(pod, 'status', 'phase'));
}

/** Five characters like the suffix of a generated name. */
export function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)]
    .map(byte => alphabet[byte % alphabet.length])
    .join('');
}

/** Whether a value is what a typed client leaves for an unset field. */
function isZeroValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter(key => !isZeroValue(value[key]))
      .map(key => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stable hash of a pod template, as `pod-template-hash` labels carry.
 * Fields a typed client writes as zero values (`creationTimestamp: null`,
 * `resources: {}`) do not count, so that the template kubectl sends back
 * on `rollout undo` finds its ReplicaSet again, as on a real cluster.
 */
export function templateHash(template: unknown): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(canonical(template)).digest();
  return [...digest.subarray(0, 10)]
    .map(byte => alphabet[byte % alphabet.length])
    .join('');
}

/** `.spec.replicas`, defaulting to 1. */
export function desiredReplicas(object: KubernetesObject): number {
  const replicas = at(object, 'spec', 'replicas');
  return typeof replicas === 'number' ? replicas : 1;
}

/** The current time as Kubernetes timestamps carry it. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * `status.conditions` with one condition set; its transition time moves
 * only when its status changes.
 */
export function withCondition(
  object: KubernetesObject,
  condition: {
    type: string;
    status: 'True' | 'False';
    reason: string;
    message: string;
  },
  conditions: JsonObject[] = arr(at(object, 'status', 'conditions')).filter(
    isRecord,
  ),
): JsonObject[] {
  const existing = conditions.find(c => c.type === condition.type);
  const unchanged =
    existing &&
    existing.status === condition.status &&
    existing.reason === condition.reason &&
    existing.message === condition.message;
  if (unchanged) {
    return conditions;
  }
  const timestamp = now();
  const next: JsonObject = {
    ...condition,
    lastTransitionTime:
      existing && existing.status === condition.status
        ? existing.lastTransitionTime
        : timestamp,
    lastUpdateTime: timestamp,
  };
  return existing
    ? conditions.map(c => (c === existing ? next : c))
    : [...conditions, next];
}

/** `status.conditions` without a condition type. */
export function withoutCondition(
  object: KubernetesObject,
  type: string,
  conditions: JsonObject[] = arr(at(object, 'status', 'conditions')).filter(
    isRecord,
  ),
): JsonObject[] {
  return conditions.filter(condition => condition.type !== type);
}

/** Writes `status` if it changed. */
export function writeStatus(
  context: ControllerContext,
  type: ResourceType,
  object: KubernetesObject,
  status: JsonObject,
): void {
  context.api.controllerWrite(
    type,
    { ...object, status },
    CONTROLLER_MANAGER,
    'status',
  );
}

/** `apps/v1.Deployment`: how KEDA names a target's kind. */
export function gvkString(type: ResourceType): string {
  return `${groupVersionOf(type)}.${type.kind}`;
}
