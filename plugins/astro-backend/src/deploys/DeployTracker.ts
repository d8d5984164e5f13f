import { LoggerService } from '@backstage/backend-plugin-api';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  AstroDatabase,
  BundleReport,
  DeploymentRecord,
  DeployRow,
  toIso,
} from '../store';
import { SYSTEM_ACTOR } from '../service/actor';

/** Components whose pods serve the DAG bundle (each runs the DAG sync). */
export const DAG_SERVING_COMPONENTS = [
  'scheduler',
  'dag-processor',
  'triggerer',
  'worker',
] as const;

/** Default of `astro.deploys.timeoutSeconds`. */
export const DEFAULT_DEPLOY_TIMEOUT_SECONDS = 600;

/** Where the tracker reads a Deployment's pods from: the engine's watch caches. */
export interface PodSource {
  /** The cached objects of a Deployment on its cluster (by object key). */
  objectsOf(
    clusterName: string,
    deploymentId: string,
  ): Promise<ReadonlyMap<string, KubernetesObject>>;
}

/** A pod that serves DAGs and runs now: what a DAG deploy waits for. */
export interface ServingPod {
  name: string;
  component: string;
}

/** The running, ready pods of the DAG-serving components among cached objects. */
export function servingPods(objects: Iterable<KubernetesObject>): ServingPod[] {
  const pods: ServingPod[] = [];
  for (const object of objects) {
    if (object.kind !== 'Pod' || object.metadata.deletionTimestamp) {
      continue;
    }
    const component = object.metadata.labels?.[ASTRO_LABELS.component];
    if (
      !component ||
      !(DAG_SERVING_COMPONENTS as readonly string[]).includes(component)
    ) {
      continue;
    }
    const status = (object.status ?? {}) as {
      phase?: string;
      conditions?: Array<{ type?: string; status?: string }>;
    };
    const ready = status.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    );
    if (status.phase === 'Running' && ready) {
      pods.push({ name: object.metadata.name, component });
    }
  }
  return pods.sort((a, b) => a.name.localeCompare(b.name));
}

/** What became of a pending deploy. */
export type DeployVerdict =
  | { status: 'DEPLOYED'; reason: string }
  | { status: 'FAILED'; reason: string }
  | { status: 'INITIALIZED' };

const short = (version: string | null) =>
  version ? `${version.slice(0, 19)}…` : '';

function list(names: string[]): string {
  return names.length > 5
    ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`
    : names.join(', ');
}

/**
 * Judges one pending deploy, purely: an image deploy is deployed when the
 * Deployment observed the generation it produced and is HEALTHY; a DAG
 * deploy when every running, ready pod of its scheduler, DAG processor,
 * triggerer and workers (at least one) reported the deploy's bundle;
 * IMAGE_AND_DAG needs both. Past the timeout it failed, with a reason that
 * names the pods or the rollout problem.
 */
export function judgeDeploy(input: {
  deploy: DeployRow;
  deployment: Pick<
    DeploymentRecord,
    'status' | 'status_reason' | 'observed_generation' | 'generation'
  >;
  /** Undefined when the cluster's pods cannot be read. */
  pods: ServingPod[] | undefined;
  podsProblem?: string;
  reports: ReadonlyMap<string, BundleReport>;
  now: Date;
  timeoutMs: number;
}): DeployVerdict {
  const { deploy, deployment, pods, reports } = input;
  const wantsImage = deploy.type !== 'DAG';
  const wantsBundle = deploy.type !== 'IMAGE';

  const generation = deploy.generation ?? 0;
  const imageDone =
    !wantsImage ||
    (deployment.observed_generation >= generation &&
      deployment.status === 'HEALTHY');
  const waiting =
    wantsBundle && pods
      ? pods.filter(p => reports.get(p.name)?.version !== deploy.bundle_version)
      : [];
  const bundleDone =
    !wantsBundle ||
    (pods !== undefined && pods.length > 0 && waiting.length === 0);

  if (imageDone && bundleDone) {
    const parts = [
      wantsImage ? `the components run image ${deploy.image}` : undefined,
      wantsBundle
        ? `${pods!.length} pods serve DAG bundle ${short(
            deploy.bundle_version,
          )}`
        : undefined,
    ].filter(Boolean);
    return { status: 'DEPLOYED', reason: `Deployed: ${parts.join('; ')}` };
  }

  const age = input.now.getTime() - Date.parse(toIso(deploy.created_at));
  if (age < input.timeoutMs) {
    return { status: 'INITIALIZED' };
  }
  const seconds = Math.round(input.timeoutMs / 1000);
  const problems: string[] = [];
  if (!imageDone) {
    const state =
      deployment.observed_generation < generation
        ? `the Deployment observed generation ${deployment.observed_generation} of ${generation}`
        : `the Deployment is ${deployment.status}`;
    problems.push(
      `The rollout of image ${
        deploy.image
      } did not converge within ${seconds} s: ${state}${
        deployment.status_reason ? ` (${deployment.status_reason})` : ''
      }`,
    );
  }
  if (!bundleDone) {
    if (!pods) {
      problems.push(
        `The pods could not be read to check DAG bundle ${short(
          deploy.bundle_version,
        )}${input.podsProblem ? `: ${input.podsProblem}` : ''}`,
      );
    } else if (pods.length === 0) {
      problems.push(
        `No running and ready ${DAG_SERVING_COMPONENTS.join(
          ', ',
        )} pod served DAG bundle ${short(
          deploy.bundle_version,
        )} within ${seconds} s`,
      );
    } else {
      const errors = waiting
        .map(p => {
          const report = reports.get(p.name);
          return report?.error ? `${p.name}: ${report.error}` : undefined;
        })
        .filter((e): e is string => e !== undefined);
      problems.push(
        `Pods ${list(
          waiting.map(p => p.name),
        )} did not pick up DAG bundle ${short(
          deploy.bundle_version,
        )} within ${seconds} s${
          errors.length > 0 ? ` (${errors.slice(0, 5).join('; ')})` : ''
        }`,
      );
    }
  }
  return { status: 'FAILED', reason: problems.join('. ') };
}

/**
 * Moves deploys from INITIALIZED to DEPLOYED or FAILED from what the
 * engine's watch caches show (pods) and what pods report (bundles).
 * Evaluations run on pod reports, watch events and status changes (soon,
 * once per burst) and in a periodic pass scheduled once across replicas.
 * Any replica may evaluate: each transition is a conditional update, so
 * exactly one replica records it (and its event).
 */
export class DeployTracker {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly deps: {
      db: AstroDatabase;
      pods: PodSource;
      logger: LoggerService;
      timeoutMs: number;
      /** Called after a deploy of a Deployment finished. */
      onFinished?: (record: DeploymentRecord) => Promise<void> | void;
      debounceMs?: number;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? (() => new Date()))();
  }

  /** Evaluates a Deployment's pending deploys soon, once per burst. */
  schedule(deploymentId: string): void {
    if (this.stopped || this.pending.has(deploymentId)) {
      return;
    }
    this.pending.set(
      deploymentId,
      setTimeout(() => {
        this.pending.delete(deploymentId);
        this.evaluate(deploymentId).catch(error =>
          this.deps.logger.warn(
            `Could not track the deploys of deployment ${deploymentId}: ${error}`,
          ),
        );
      }, this.deps.debounceMs ?? 250),
    );
  }

  /** The periodic pass: every Deployment with a pending deploy. */
  async evaluateAll(): Promise<void> {
    const ids = new Set(
      (await this.deps.db.deploys.pending()).map(d => d.deployment_id),
    );
    for (const id of ids) {
      try {
        await this.evaluate(id);
      } catch (error) {
        this.deps.logger.warn(
          `Could not track the deploys of deployment ${id}: ${error}`,
        );
      }
    }
  }

  /** Evaluates the pending deploys of one Deployment now. */
  async evaluate(deploymentId: string): Promise<void> {
    const { db } = this.deps;
    const deploys = await db.deploys.pending(deploymentId);
    if (deploys.length === 0) {
      return;
    }
    const record = await db.deployments.getById(deploymentId);
    if (!record) {
      return;
    }
    const now = this.now();
    let pods: ServingPod[] | undefined;
    let podsProblem: string | undefined;
    try {
      pods = servingPods(
        (
          await this.deps.pods.objectsOf(record.cluster_name, deploymentId)
        ).values(),
      );
    } catch (error) {
      podsProblem = (error as Error).message;
    }
    const reports = await db.deploys.reports(deploymentId);
    let finished = false;
    for (const deploy of deploys) {
      const verdict: DeployVerdict = record.deletion_requested_at
        ? { status: 'FAILED', reason: 'The Deployment is being deleted' }
        : judgeDeploy({
            deploy,
            deployment: record,
            pods,
            podsProblem,
            reports,
            now,
            timeoutMs: this.deps.timeoutMs,
          });
      if (verdict.status === 'INITIALIZED') {
        continue;
      }
      const recorded = await db.transaction(async tx => {
        if (!(await tx.deploys.finish(deploy.id, verdict, now))) {
          return false;
        }
        await tx.events.insert(
          {
            organization: record.organization_name,
            resourceType: 'deployment',
            resourceName: `${record.organization_name}/${record.name}`,
            deploymentId,
            action:
              verdict.status === 'DEPLOYED'
                ? 'deploy-deployed'
                : 'deploy-failed',
            actor: SYSTEM_ACTOR,
            message: `Deploy ${deploy.id} ${
              verdict.status === 'DEPLOYED' ? 'deployed' : 'failed'
            }: ${verdict.reason}`,
          },
          now,
        );
        return true;
      });
      finished ||= recorded;
    }
    if (finished) {
      await this.deps.onFinished?.(record);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending.values()) {
      clearTimeout(timer);
    }
    this.pending.clear();
  }
}
