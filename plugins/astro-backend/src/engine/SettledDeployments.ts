import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { AppliedObject, EngineState } from '../store';
import { RenderResult } from '../render';

/**
 * What a reconcile pass of one Deployment decides from, besides the cached
 * objects: what it renders (the reconciler's cached render result, which is
 * only replaced when the generation, the cluster's capabilities or what
 * its declaration gives the Deployment, the hibernation state or the
 * runtime override change), the watch cache it
 * reads the cluster from, and the engine's stored state.
 */
export interface PassInputs {
  generation: number;
  rendered: RenderResult;
  /** The watch cache the pass reads (a new one after a reset or an outage). */
  cacheInstance: number;
  state: EngineState;
}

/** Resource version of each cached object, by object key. */
export type ResourceVersions = ReadonlyMap<string, string | undefined>;

/**
 * The resource versions of a Deployment's cached objects now. Taken when a
 * pass starts: an object that changes while the pass runs then differs at
 * the next pass, which checks it again.
 */
export function resourceVersionsOf(
  live: ReadonlyMap<string, KubernetesObject>,
): ResourceVersions {
  const versions = new Map<string, string | undefined>();
  for (const [key, object] of live) {
    versions.set(key, object.metadata.resourceVersion);
  }
  return versions;
}

interface Settled {
  generation: number;
  rendered: RenderResult;
  cacheInstance: number;
  applied: Record<string, AppliedObject>;
  versions: ResourceVersions;
}

function sameApplied(
  a: Record<string, AppliedObject>,
  b: Record<string, AppliedObject>,
): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) {
    return false;
  }
  return keys.every(
    key =>
      a[key].hash === b[key]?.hash && a[key].signature === b[key].signature,
  );
}

/**
 * The Deployments whose last pass verified every object in sync without a
 * write, and what that pass saw. A later pass that sees the same inputs,
 * with every cached object at the resource version it had then (none
 * added, none gone), would reach the same verdict, so it can be skipped:
 * an object edited or deleted out of band has a new resource version or
 * is missing, and brings the full pass back.
 */
export class SettledDeployments {
  private readonly settled = new Map<string, Settled>();

  /**
   * Records a pass that found everything in sync and wrote nothing, with
   * the stored state it left and the cached objects' versions when it
   * started.
   */
  record(
    deploymentId: string,
    inputs: PassInputs,
    versions: ResourceVersions,
  ): void {
    this.settled.set(deploymentId, {
      generation: inputs.generation,
      rendered: inputs.rendered,
      cacheInstance: inputs.cacheInstance,
      applied: inputs.state.appliedObjects,
      versions,
    });
  }

  /** Forgets a Deployment: its next pass checks every object. */
  forget(deploymentId: string): void {
    this.settled.delete(deploymentId);
  }

  /** Whether a Deployment's last pass settled it. */
  has(deploymentId: string): boolean {
    return this.settled.has(deploymentId);
  }

  /**
   * Whether a pass with these inputs and cached objects would find what
   * the settled one found.
   */
  unchanged(
    deploymentId: string,
    inputs: PassInputs,
    live: ReadonlyMap<string, KubernetesObject>,
  ): boolean {
    const settled = this.settled.get(deploymentId);
    const { state } = inputs;
    if (
      !settled ||
      settled.generation !== inputs.generation ||
      settled.rendered !== inputs.rendered ||
      settled.cacheInstance !== inputs.cacheInstance ||
      state.lastError !== undefined ||
      state.appliedGeneration !== inputs.generation ||
      state.appliedHash !== inputs.rendered.hash ||
      settled.versions.size !== live.size ||
      !sameApplied(settled.applied, state.appliedObjects)
    ) {
      return false;
    }
    for (const [key, object] of live) {
      const version = settled.versions.get(key);
      if (
        version === undefined ||
        version !== object.metadata.resourceVersion
      ) {
        return false;
      }
    }
    return true;
  }
}
