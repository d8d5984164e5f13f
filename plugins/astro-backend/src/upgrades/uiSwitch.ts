import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { RenderResult, renderedObjectKey } from '../render';

/** The components that serve the Airflow UI: Airflow 3's and Airflow 2's. */
const UI_COMPONENTS = new Set(['api-server', 'webserver']);

interface DeploymentView {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
  };
}

function componentOf(object: KubernetesObject): string | undefined {
  return object.metadata.labels?.[ASTRO_LABELS.component];
}

/** Whether a Deployment rolled out its current spec and has every replica available. */
function isAvailable(object: KubernetesObject | undefined): boolean {
  const view = object as DeploymentView | undefined;
  if (!view) {
    return false;
  }
  const wanted = view.spec?.replicas ?? 1;
  return (
    (view.status?.observedGeneration ?? 0) >= (view.metadata.generation ?? 0) &&
    (view.status?.updatedReplicas ?? 0) >= wanted &&
    (view.status?.availableReplicas ?? 0) >= wanted
  );
}

/**
 * The live objects of the UI component a Deployment no longer renders
 * (the webserver after an upgrade to Airflow 3, the api-server after a
 * downgrade to 2) that must wait before they are pruned: until the
 * rendered UI component's Deployment is available, the old one keeps
 * serving the UI and the API.
 */
export function uiObjectsToKeep(
  rendered: RenderResult,
  live: ReadonlyMap<string, KubernetesObject>,
): Set<string> {
  const ui = rendered.objects.find(
    o =>
      o.object.kind === 'Deployment' &&
      UI_COMPONENTS.has(componentOf(o.object) ?? ''),
  );
  if (!ui || isAvailable(live.get(renderedObjectKey(ui.object)))) {
    return new Set();
  }
  const current = componentOf(ui.object);
  const keep = new Set<string>();
  for (const [key, object] of live) {
    const component = componentOf(object);
    if (
      component !== undefined &&
      component !== current &&
      UI_COMPONENTS.has(component) &&
      object.kind !== 'Pod'
    ) {
      keep.add(key);
    }
  }
  return keep;
}
