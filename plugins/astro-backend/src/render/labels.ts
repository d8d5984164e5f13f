import {
  AirflowComponent,
  ASTRO_ANNOTATIONS,
  ASTRO_LABELS,
  ASTRO_MANAGED_BY,
} from '@airflow-portal/plugin-astro-common';
import type { KubernetesObjectMetadata } from '@airflow-portal/plugin-astro-node';
import type { RenderDeploymentIdentity } from './types';

/** Value of {@link ASTRO_LABELS.partOf} on everything the renderer makes. */
export const PART_OF = 'airflow';

/**
 * Metadata of a rendered object.
 */
export interface RenderedMetadata extends KubernetesObjectMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * The label selector that finds every object the engine owns for one
 * Deployment, e.g. to prune objects a new render no longer contains.
 *
 * @public
 */
export function ownedSelector(deploymentId: string): string {
  return `${ASTRO_LABELS.managedBy}=${ASTRO_MANAGED_BY},${ASTRO_LABELS.deploymentId}=${deploymentId}`;
}

/** Labels naming the Deployment, without the engine's ownership. */
export function identityLabels(
  deployment: RenderDeploymentIdentity,
): Record<string, string> {
  return {
    [ASTRO_LABELS.partOf]: PART_OF,
    [ASTRO_LABELS.organization]: deployment.organization,
    [ASTRO_LABELS.workspace]: deployment.workspace,
    [ASTRO_LABELS.deployment]: deployment.name,
    [ASTRO_LABELS.deploymentId]: deployment.id,
    [ASTRO_LABELS.kubernetesId]: deployment.namespace,
  };
}

/** What distinguishes an object within its Deployment. */
export interface LabelScope {
  component?: AirflowComponent;
  /** Worker queue, on worker Deployments, their pods and autoscalers. */
  queue?: string;
}

/** Every label of an owned object or pod template. */
export function ownedLabels(
  deployment: RenderDeploymentIdentity,
  scope: LabelScope = {},
): Record<string, string> {
  const labels: Record<string, string> = {
    [ASTRO_LABELS.managedBy]: ASTRO_MANAGED_BY,
    ...identityLabels(deployment),
  };
  if (scope.component) {
    labels[ASTRO_LABELS.component] = scope.component;
  }
  if (scope.queue) {
    labels[ASTRO_LABELS.queue] = scope.queue;
  }
  return labels;
}

/**
 * The immutable selector of a workload: the Deployment id, the component and
 * (for workers) the queue.
 */
export function selectorLabels(
  deployment: RenderDeploymentIdentity,
  scope: Required<Pick<LabelScope, 'component'>> & LabelScope,
): Record<string, string> {
  const labels: Record<string, string> = {
    [ASTRO_LABELS.deploymentId]: deployment.id,
    [ASTRO_LABELS.component]: scope.component,
  };
  if (scope.queue) {
    labels[ASTRO_LABELS.queue] = scope.queue;
  }
  return labels;
}

/**
 * Metadata of an owned object: labels and the generation annotation. The
 * namespace is set unless `clusterScoped`.
 */
export function objectMetadata(
  deployment: RenderDeploymentIdentity,
  name: string,
  scope: LabelScope & {
    annotations?: Record<string, string>;
    clusterScoped?: boolean;
  } = {},
): RenderedMetadata {
  return {
    name,
    ...(scope.clusterScoped ? {} : { namespace: deployment.namespace }),
    labels: ownedLabels(deployment, scope),
    annotations: {
      ...scope.annotations,
      [ASTRO_ANNOTATIONS.generation]: String(deployment.generation),
    },
  };
}
