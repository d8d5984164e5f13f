import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterCapabilities,
  ClusterClient,
  KubernetesObject,
  ObjectRef,
} from '@airflow-portal/plugin-astro-node';
import { RuntimeRelease } from '@airflow-portal/plugin-astro-common';
import {
  AppliedObject,
  AstroDatabase,
  DatabaseMigrationState,
  DeploymentRecord,
  EngineState,
} from '../store';
import { ChangeFeed } from '../service';
import { SYSTEM_ACTOR } from '../service/actor';
import {
  RENDER_PHASES,
  renderDeployment,
  RenderedObject,
  renderedObjectKey,
  RenderResult,
  RenderRuntime,
} from '../render';
import {
  DatabaseMove,
  jobFailureReason,
  migrationLogTail,
  planDatabaseMigration,
  uiObjectsToKeep,
} from '../upgrades';
import { WatchedClusters } from './WatchedClusters';
import { EngineError } from './errors';
import { jobState } from './evaluateStatus';
import { MetadataDatabases } from '../metadataDatabases';
import { RenderInputs } from './RenderInputs';
import { EngineHibernation, hibernateRender } from '../hibernation';
import { appliedSignature } from './appliedSignature';
import { ClusterObjectCache } from './ClusterObjectCache';
import { leaseGuardedClient } from './DeploymentLease';
import {
  PassInputs,
  resourceVersionsOf,
  SettledDeployments,
} from './SettledDeployments';

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
 * A Deployment whose last pass found it in sync, with nothing it is
 * rendered from changed and every cached object at the same resource
 * version since, is not checked again object by object (see
 * {@link DeploymentReconciler.settled}).
 * Deletion removes the namespace and the metadata database, then the record.
 */
export class DeploymentReconciler {
  private readonly renders = new Map<
    string,
    { key: string; result: RenderResult }
  >();
  /** What the last pass of each Deployment applied. */
  private readonly planned = new Map<string, RenderResult>();
  private readonly settledPasses = new SettledDeployments();

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
      /** The runtime catalog: which releases share a database schema. */
      runtimeReleases?: readonly RuntimeRelease[];
      clock?: () => Date;
      /** Plans hibernation and calls back at its next transition. */
      hibernation?: EngineHibernation;
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
    override: { runtime?: RenderRuntime; databaseDowngradeTo?: string } = {},
    hibernating?: boolean,
  ): Promise<RenderResult> {
    const asleep =
      hibernating ??
      Boolean(
        (
          await this.deps.hibernation?.planner.plan(record, undefined, {
            upcoming: 0,
          })
        )?.plan.hibernating,
      );
    const key = JSON.stringify([
      record.generation,
      capabilities.keda,
      capabilities.serverVersion.gitVersion,
      await this.deps.inputs.clusterDigest(record.cluster_name),
      override,
      asleep,
    ]);
    const variant = override.runtime ? 'migrating' : 'wanted';
    const cacheKey = `${record.id}/${variant}`;
    const cached = this.renders.get(cacheKey);
    if (cached?.key === key) {
      return cached.result;
    }
    const awake = renderDeployment(
      await this.deps.inputs.build(record, capabilities, override),
    );
    const result = asleep ? hibernateRender(awake) : awake;
    this.renders.set(cacheKey, { key, result });
    return result;
  }

  /** What the last pass of a Deployment applied (during an upgrade: the old release's objects and the new Job). */
  lastRender(deploymentId: string): RenderResult | undefined {
    return (
      this.planned.get(deploymentId) ??
      this.renders.get(`${deploymentId}/wanted`)?.result
    );
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

  /**
   * What a pass over a Deployment that is not being deleted works from:
   * its hibernation plan (arming the timer of its next transition), its
   * target release and what it renders.
   */
  private async prepare(
    record: DeploymentRecord,
    cache: ClusterObjectCache,
    state: EngineState,
  ) {
    // Look again exactly when the hibernation plan may change.
    const hibernation = await this.deps.hibernation?.planner.plan(
      record,
      undefined,
      { upcoming: 0 },
    );
    this.deps.hibernation?.timers.arm(
      record.id,
      hibernation?.plan.nextEvaluationAt,
    );
    const asleep = hibernation?.plan.hibernating ?? false;
    const capabilities = await cache.capabilities();
    const target = this.deps.inputs.runtimeOf(record);
    const plan = await planDatabaseMigration({
      migrated: state.databaseMigration,
      target,
      releases: this.deps.runtimeReleases ?? [],
      render: override => this.render(record, capabilities, override, asleep),
    });
    const inputs: PassInputs = {
      generation: record.generation,
      rendered: plan.rendered,
      cacheInstance: cache.instance,
      state,
    };
    return { plan, target, inputs };
  }

  /**
   * Whether a pass would find the Deployment as its last pass left it:
   * that pass found every object in sync and wrote nothing, and since
   * then its render inputs (generation, cluster capabilities, hibernation,
   * release), its watch cache, its stored state and every cached object's
   * resource version are unchanged, with no object added or gone. Costs
   * no request and no write; the periodic pass leaves such a Deployment
   * alone. An object edited or deleted out of band makes this false.
   */
  async settled(deploymentId: string, state: EngineState): Promise<boolean> {
    if (!this.settledPasses.has(deploymentId)) {
      return false;
    }
    const record = await this.deps.db.deployments.getById(deploymentId);
    if (!record || record.deletion_requested_at) {
      return false;
    }
    const cache = await this.deps.watched.get(record.cluster_name);
    const { plan, inputs } = await this.prepare(record, cache, state);
    return (
      !plan.move &&
      this.settledPasses.unchanged(
        record.id,
        inputs,
        cache.objectsOf(record.id),
      )
    );
  }

  /**
   * One pass over a Deployment. With a lease's `signal`, every cluster
   * write (and the drop of the metadata database) first checks that the
   * lease is still held, and the pass ends with the signal's reason when
   * it is not.
   */
  async reconcile(
    deploymentId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<ReconcileOutcome> {
    this.settledPasses.forget(deploymentId);
    const record = await this.deps.db.deployments.getById(deploymentId);
    if (!record || record.deletion_requested_at) {
      this.deps.hibernation?.timers.arm(deploymentId, undefined);
    }
    if (!record) {
      return { deleted: true, writes: 0 };
    }
    const cache = await this.deps.watched.get(record.cluster_name);
    const { signal } = options;
    const client = signal
      ? leaseGuardedClient(cache.client, signal)
      : cache.client;
    if (record.deletion_requested_at) {
      return this.finalizeDeletion(record, client, signal);
    }

    const state = await this.deps.db.engineState.get(record.id);
    const live = cache.objectsOf(record.id);
    const versions = resourceVersionsOf(live);
    const { plan, target, inputs } = await this.prepare(record, cache, state);
    const rendered = plan.rendered;
    this.planned.set(record.id, rendered);
    const applied: Record<string, AppliedObject> = { ...state.appliedObjects };
    let writes = 0;
    let waitingForMove = false;

    for (const phase of RENDER_PHASES) {
      for (const object of rendered.objects.filter(o => o.phase === phase)) {
        const key = renderedObjectKey(object.object);
        if (await this.upToDate(client, object, live.get(key), applied[key])) {
          continue;
        }
        const result = await client.apply(object.object, {
          fieldManager: this.deps.fieldManager,
          force: this.deps.forceConflicts || object.force === true,
        });
        writes += 1;
        applied[key] = {
          hash: object.hash,
          signature: this.signatureOf(result),
        };
        // Recorded at once: if the pass ends here (a failed apply further
        // on, a crash), whoever reconciles next knows this one is applied
        // and does not send it again.
        await this.deps.db.engineState.recordObjects(record.id, applied);
      }

      if (phase === 'migration' && plan.move) {
        const move = await this.moveDatabase(
          record,
          client,
          plan.move,
          applied,
          state.databaseMigration!,
        );
        writes += move.writes;
        if (move.migrated) {
          // The database is at the new release: the next pass rolls the
          // components to it.
          await this.deps.db.engineState.recordObjects(record.id, applied);
          return { requeueAfterMs: 0, writes };
        }
        // Meanwhile the old release's components keep being applied.
        waitingForMove = true;
      } else if (phase === 'migration') {
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
          await this.recordMigrated(record.id, target, state);
        }
      }
    }

    if (waitingForMove) {
      await this.deps.db.engineState.recordObjects(record.id, applied);
      const held =
        (await this.deps.db.engineState.get(record.id)).databaseMigration
          ?.failure !== undefined;
      return held ? { writes } : { requeueAfterMs: GATE_RECHECK_MS, writes };
    }

    const keep = uiObjectsToKeep(rendered, live);
    writes += await this.prune(client, rendered, live, applied, keep);
    await this.deps.db.engineState.recordConverged(
      record.id,
      { hash: rendered.hash, generation: record.generation, objects: applied },
      this.now(),
    );
    if (writes === 0 && keep.size === 0) {
      // In sync as the pass found it: the state it leaves is what the
      // next pass would start from.
      this.settledPasses.record(
        record.id,
        {
          ...inputs,
          state: {
            ...state,
            appliedHash: rendered.hash,
            appliedGeneration: record.generation,
            appliedObjects: applied,
            lastError: undefined,
          },
        },
        versions,
      );
    }
    // The old UI component goes once the new one serves.
    return keep.size > 0
      ? { requeueAfterMs: GATE_RECHECK_MS, writes }
      : { writes };
  }

  /** Records that the metadata database is at `runtime`, dropping a held failure. */
  private async recordMigrated(
    deploymentId: string,
    runtime: RenderRuntime,
    state: EngineState,
  ): Promise<void> {
    const current = state.databaseMigration;
    if (
      current?.airflowVersion === runtime.airflowVersion &&
      current.image === runtime.image &&
      !current.failure
    ) {
      return;
    }
    await this.deps.db.engineState.recordDatabaseMigration(deploymentId, {
      airflowVersion: runtime.airflowVersion,
      image: runtime.image,
    });
  }

  /**
   * Follows the migration Job of a move between releases. Done: records
   * the database at the new release. Failed: holds the failure (reason and
   * log tail) with the old components running, until a retry deletes the
   * Job so that the next pass creates it again, or a revert of
   * `airflowVersion` ends the move.
   */
  private async moveDatabase(
    record: DeploymentRecord,
    client: ClusterClient,
    move: DatabaseMove,
    applied: Record<string, AppliedObject>,
    migration: DatabaseMigrationState,
  ): Promise<{ migrated: boolean; writes: number }> {
    const { engineState } = this.deps.db;
    const key = renderedObjectKey(move.job.object);
    // Fresh, not from the watch cache: a Job deleted for a retry and
    // created again must not be mistaken for the failed one.
    const current = await client.get(refOf(move.job.object));
    const jobStatus = jobState(current);
    const jobName = move.job.object.metadata.name;
    if (jobStatus === 'complete') {
      await engineState.recordDatabaseMigration(record.id, {
        airflowVersion: move.to.airflowVersion,
        image: move.to.image,
      });
      await this.recordEvent(
        record,
        `Metadata database ${
          move.direction === 'upgrade' ? 'migrated' : 'downgraded'
        } from Airflow ${move.from.airflowVersion} to ${
          move.to.airflowVersion
        } (Job ${jobName}); rolling the components`,
      );
      return { migrated: true, writes: 0 };
    }
    if (jobStatus !== 'failed') {
      return { migrated: false, writes: 0 };
    }
    const held = migration.failure;
    if (held?.jobName === jobName && !held.retryRequested) {
      return { migrated: false, writes: 0 };
    }
    if (held?.jobName === jobName && held.retryRequested) {
      // Jobs are immutable: the next pass creates it again.
      await client.delete(refOf(move.job.object), {
        propagationPolicy: 'Background',
      });
      delete applied[key];
      await engineState.recordDatabaseMigration(record.id, {
        airflowVersion: migration.airflowVersion,
        image: migration.image,
      });
      return { migrated: false, writes: 1 };
    }
    const failure = {
      targetVersion: move.to.airflowVersion,
      jobName,
      reason: jobFailureReason(current),
      logTail: await migrationLogTail(client, record.namespace, jobName),
      failedAt: this.now().toISOString(),
    };
    await engineState.recordDatabaseMigration(record.id, {
      airflowVersion: migration.airflowVersion,
      image: migration.image,
      failure,
    });
    await this.recordEvent(
      record,
      `Moving to Airflow ${move.to.airflowVersion} failed: migration Job ${jobName} failed (${failure.reason}); Airflow ${migration.airflowVersion} keeps running`,
    );
    this.deps.logger.warn(
      `Deployment ${record.organization_name}/${record.name}: migration Job ${jobName} to Airflow ${move.to.airflowVersion} failed (${failure.reason}); holding Airflow ${migration.airflowVersion}`,
    );
    return { migrated: false, writes: 0 };
  }

  private async recordEvent(record: DeploymentRecord, message: string) {
    await this.deps.db.events.insert(
      {
        organization: record.organization_name,
        resourceType: 'deployment',
        resourceName: `${record.organization_name}/${record.name}`,
        deploymentId: record.id,
        action: 'migration',
        actor: SYSTEM_ACTOR,
        message,
      },
      this.now(),
    );
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
    keep: ReadonlySet<string> = new Set(),
  ): Promise<number> {
    const wanted = new Set(
      rendered.objects.map(o => renderedObjectKey(o.object)),
    );
    let writes = 0;
    for (const [key, object] of live) {
      if (
        wanted.has(key) ||
        keep.has(key) ||
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
      if (!wanted.has(key) && !keep.has(key)) {
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
    signal: AbortSignal | undefined,
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
    signal?.throwIfAborted();
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
    this.renders.delete(`${record.id}/wanted`);
    this.renders.delete(`${record.id}/migrating`);
    this.planned.delete(record.id);
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
