/**
 * The Ready endpoints of a Service, as an API server's EndpointSlice
 * controller sees them: pods the selector matches that are Ready and not
 * terminating, sorted by name.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import { isPodReady } from '../controllers/context';
import { matchesMapSelector } from '../store/labelSelector';
import { ObjectStore } from '../store/ObjectStore';
import { at, labelsOf, stringMap } from '../store/objects';

const SERVICE = ResourceCatalog.kind('Service');
const POD = ResourceCatalog.kind('Pod');

/** The components that serve Airflow's UI and REST API. */
export type AirflowUiComponent = 'api-server' | 'webserver';

/** The Ready, non-terminating pods behind `service`. */
export function readyEndpoints(
  store: ObjectStore,
  service: KubernetesObject,
): KubernetesObject[] {
  const namespace = service.metadata.namespace;
  const selector = stringMap(at(service, 'spec', 'selector'));
  if (Object.keys(selector).length === 0) {
    return [];
  }
  return store
    .list(POD, { namespace })
    .filter(
      pod =>
        matchesMapSelector(selector, labelsOf(pod)) &&
        isPodReady(pod) &&
        !pod.metadata.deletionTimestamp,
    )
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

/**
 * The Service of a namespace's Airflow UI: the one labelled as the
 * api-server (Airflow 3) or, failing that, the webserver (Airflow 2).
 */
export function airflowUiService(
  store: ObjectStore,
  namespace: string,
): { service: KubernetesObject; component: AirflowUiComponent } | undefined {
  const services = store.list(SERVICE, { namespace });
  for (const component of ['api-server', 'webserver'] as const) {
    const service = services.find(
      s => labelsOf(s)[ASTRO_LABELS.component] === component,
    );
    if (service) {
      return { service, component };
    }
  }
  return undefined;
}
