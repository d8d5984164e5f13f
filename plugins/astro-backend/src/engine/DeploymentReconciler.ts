import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterCapabilities,
  ClusterClient,
  KubernetesObject,
  ObjectRef,
} from '@airflow-portal/plugin-astro-node';
import { AppliedObject, AstroDatabase, DeploymentRecord } from '../store';
import { ChangeFeed } from '../service';
import { SYSTEM_ACTOR } from '../service/actor';
import {
  RENDER_PHASES,
  renderDeployment,
  RenderedObject,
  renderedObjectKey,
  RenderResult,
} from '../render';
import { WatchedClusters } from './WatchedClusters';
import { EngineError } from './errors';
import { jobState } from './evaluateStatus';
import { MetadataDatabases } from '../metadataDatabases';
import { RenderInputs } from './RenderInputs';
import { appliedSignature } from './appliedSignature';

/** What a pass asks of the loop. */
export interface ReconcileOutcome {
  /** Look again after this long: the pass waits for something (a Job, a deletion). */
  requeueAfterMs?: number;
  /** The Deployment is gone. */
  deleted?: boolean;
  /** Write requests this pass sent to the cluster. */
  writes: number;
}

/** How long to wait before re-checking a gate. */
const GATE_RECHECK_MS = 2000;

function refOf(object: KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
  };
}

/**
 * Converges one Deployment: renders its objects, applies the ones that
 * changed (or drifted) phase by phase with server-side apply, waits for the
 * migration Job before rolling components, prunes objects it no longer
 * renders, and records what it applied. A pass with nothing to do sends no
 * request to the cluster at all: drift is judged from the watch caches.
 * Deletion removes the namespace and the metadata database, then the record.
 */
export class DeploymentReconciler {
  private readonly renders = new Map<
    string,
    { key: string; result: RenderResult }
  >();

  constructor(
    private readonly deps: {
      db: AstroDatabase;
      watched: WatchedClusters;
      inputs: RenderInputs;
      databases: MetadataDatabases;
      changes: ChangeFeed;
      logger: LoggerService;
      fieldManager: string;
      forceConflicts: boolean;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /**
   * The objects of a Deployment's current generation on a cluster with
   * these capabilities; rendered once per generation.
   */
  async render(
    record: DeploymentRecord,
    capabilities: ClusterCapabilities,
  ): Promise<RenderResult> {
    const key = JSON.stringify([
      record.generation,
      capabilities.keda,
      capabilities.serverVersion.gitVersion,
    ]);
    const cached = this.renders.get(record.id);
    if (cached?.key === key) {
      return cached.result;
    }
    const result = renderDeployment(
      await this.deps.inputs.build(record, capabilities),
    );
    this.renders.set(record.id, { key, result });
    return result;
  }

  /** The last rendering of a Deployment, if any. */
  lastRender(deploymentId: string): RenderResult | undefined {
    return this.renders.get(deploymentId)?.result;
  }

  /** Hash of what our field manager owns of an object. */
  private signatureOf(object: KubernetesObject): string {
    return appliedSignature(object, this.deps.fieldManager);
  }

  /**
   * Whether an object needs no apply: same rendered content as last applied
   * and our fields untouched. The watch cache answers; a fresh read settles
   * it only when the cache disagrees (it may lag behind our own apply).
   */
  private async upToDate(
    client: ClusterClient,
    rendered: RenderedObject,
    cached: KubernetesObject | undefined,
    applied: AppliedObject | undefined,
  ): Promise<boolean> {
    if (!applied || applied.hash !== rendered.hash) {
      return false;
    }
    if (cached && this.signatureOf(cached) === applied.signature) {
      return true;
    }
    const fresh = await client.get(refOf(rendered.object));
    return fresh !== undefined && this.signatureOf(fresh) === applied.signature;
  }

  async reconcile(deploymentId: string): Promise<ReconcileOutcome> {
    const record = await this.deps.db.deployments.getById(deploymentId);
    if (!record) {
      return { deleted: true, writes: 0 };
    }
    const cache = await this.deps.watched.get(record.cluster_name);
    const client = cache.client;
    if (record.deletion_requested_at) {
      return this.finalizeDeletion(record, client);
    }

    const rendered = await this.render(record, await cache.capabilities());
    const state = await this.deps.db.engineState.get(record.id);
    const live = cache.objectsOf(record.id);
    const applied: Record<string, AppliedObject> = { ...state.appliedObjects };
    let writes = 0;

    for (const phase of RENDER_PHASES) {
      for (const object of rendered.objects.filter(o => o.phase === phase)) {
        const key = renderedObjectKey(object.object);
        if (await this.upToDate(client, object, live.get(key), applied[key])) {
          continue;
        }
        const result = await client.apply(object.object, {
          fieldManager: this.deps.fieldManager,
          force: this.deps.forceConflicts,
        });
        writes += 1;
        applied[key] = {
          hash: object.hash,
          signature: this.signatureOf(result),
        };
      }

      if (phase === 'migration') {
        const job = rendered.objects.find(
          o => o.phase === 'migration' && o.object.kind === 'Job',
        );
        if (job) {
          const current =
            live.get(renderedObjectKey(job.object)) ??
            (await client.get(refOf(job.object)));
          const jobStatus = jobState(current);
          if (jobStatus === 'failed') {
            // Jobs are immutable: delete the failed one so that the retry
            // (after the loop's backoff) runs the migration again.
            await client.delete(refOf(job.object), {
              propagationPolicy: 'Background',
            });
            delete applied[renderedObjectKey(job.object)];
            await this.deps.db.engineState.recordObjects(record.id, applied);
            throw new EngineError(
              'MigrationFailed',
              `The database migration Job ${job.object.metadata.name} failed; it is retried with backoff (see its pod logs)`,
            );
          }
          if (jobStatus !== 'complete') {
            // Components roll only once the schema is migrated.
            await this.deps.db.engineState.recordObjects(record.id, applied);
            return { requeueAfterMs: GATE_RECHECK_MS, writes };
          }
        }
      }
    }

    writes += await this.prune(client, rendered, live, applied);
    await this.deps.db.engineState.recordConverged(
      record.id,
      { hash: rendered.hash, generation: record.generation, objects: applied },
      this.now(),
    );
    return { writes };
  }

  /**
   * Deletes what this Deployment owns but no longer renders (an old
   * migration Job, a removed queue's workers). Objects a controller owns
   * (pods, KEDA's HPAs) go with their owners.
   */
  private async prune(
    client: ClusterClient,
    rendered: RenderResult,
    live: ReadonlyMap<string, KubernetesObject>,
    applied: Record<string, AppliedObject>,
  ): Promise<number> {
    const wanted = new Set(
      rendered.objects.map(o => renderedObjectKey(o.object)),
    );
    let writes = 0;
    for (const [key, object] of live) {
      if (
        wanted.has(key) ||
        object.kind === 'Pod' ||
        (object.metadata.ownerReferences?.length ?? 0) > 0 ||
        object.metadata.deletionTimestamp
      ) {
        continue;
      }
      await client.delete(refOf(object), { propagationPolicy: 'Background' });
      writes += 1;
      delete applied[key];
    }
    for (const key of Object.keys(applied)) {
      if (!wanted.has(key)) {
        delete applied[key];
      }
    }
    return writes;
  }

  /**
   * Removes the namespace (its contents go with it), waits until the
   * cluster has removed it, drops the metadata database, then deletes the
   * record. Each step is idempotent, so an interrupted deletion resumes.
   */
  private async finalizeDeletion(
    record: DeploymentRecord,
    client: ClusterClient,
  ): Promise<ReconcileOutcome> {
    const namespace: ObjectRef = {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: record.namespace,
    };
    const existing = await client.get(namespace);
    if (existing) {
      let writes = 0;
      if (!existing.metadata.deletionTimestamp) {
        await client.delete(namespace, { propagationPolicy: 'Background' });
        writes = 1;
      }
      return { requeueAfterMs: GATE_RECHECK_MS, writes };
    }
    await this.deps.databases.drop({
      deploymentId: record.id,
      name: record.name,
    });
    const now = this.now();
    await this.deps.db.transaction(async tx => {
      await tx.deployments.delete(record.id);
      await tx.events.insert(
        {
          organization: record.organization_name,
          resourceType: 'deployment',
          resourceName: `${record.organization_name}/${record.name}`,
          deploymentId: record.id,
          action: 'deleted',
          actor: SYSTEM_ACTOR,
          message: `Deployment ${record.name} deleted: namespace ${record.namespace} and its metadata database are gone`,
        },
        now,
      );
    });
    this.renders.delete(record.id);
    await this.deps.changes.publish([
      {
        kind: 'deployment',
        organization: record.organization_name,
        name: record.name,
        action: 'deleted',
      },
    ]);
    this.deps.logger.info(
      `Deleted deployment ${record.organization_name}/${record.name}`,
    );
    return { deleted: true, writes: 0 };
  }
}
