/**
 * The API server's service proxy
 * (`/api/v1/namespaces/{ns}/services/{name}[:port]/proxy/{path}`): finds
 * the Service and its Ready endpoints like a real API server, then answers
 * as the simulated application behind it, which is Airflow's API server
 * (3.x, component `api-server`) or webserver (2.x, component `webserver`):
 * health, version, and the DAGs and import errors of the bundle the
 * DAG-parsing pods serve.
 */
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import { statusErrors } from '../api/status';
import { isPodReady } from '../controllers/context';
import { matchesMapSelector } from '../store/labelSelector';
import { ObjectStore } from '../store/ObjectStore';
import {
  arr,
  at,
  isRecord,
  labelsOf,
  num,
  str,
  stringMap,
} from '../store/objects';
import { AirflowDags, AirflowRelease } from './AirflowDags';
import { AirflowHealth } from './AirflowHealth';

const SERVICE = ResourceCatalog.kind('Service');
const POD = ResourceCatalog.kind('Pod');

/** An answer of the proxied application. */
export interface ProxiedResponse {
  status: number;
  body: unknown;
}

function parseServiceSegment(segment: string): { name: string; port?: string } {
  const parts = segment.split(':');
  if (parts.length >= 3) {
    return { name: parts[1], port: parts[2] || undefined };
  }
  return { name: parts[0], port: parts[1] || undefined };
}

const NOT_FOUND: ProxiedResponse = {
  status: 404,
  body: { detail: 'Not Found' },
};

function releaseOf(version: string): AirflowRelease {
  const [major, minor] = version.split('.').map(Number);
  return { major: major || 0, minor: minor || 0 };
}

/**
 * The DAG endpoints of Airflow's REST API under `prefix` (`/api/v2` or
 * `/api/v1`), or `undefined` when `route` is none of them.
 */
function dagRoutes(
  dags: AirflowDags,
  namespace: string,
  release: AirflowRelease,
  prefix: string,
  route: string,
  query: URLSearchParams,
): ProxiedResponse | undefined {
  if (route === `${prefix}/dags`) {
    return dags.listDags(namespace, release, query);
  }
  if (route === `${prefix}/importErrors`) {
    return dags.listImportErrors(namespace, release, query);
  }
  const single = new RegExp(`^${prefix}/dags/([^/]+)$`).exec(route);
  if (single) {
    let dagId: string;
    try {
      dagId = decodeURIComponent(single[1]);
    } catch {
      return NOT_FOUND;
    }
    return dags.getDag(namespace, release, dagId);
  }
  return undefined;
}

/** Answers a GET through the service proxy, or throws a `Status`. */
export function proxyGet(
  store: ObjectStore,
  airflow: { health: AirflowHealth; dags: AirflowDags },
  namespace: string,
  serviceSegment: string,
  path: string,
  query: URLSearchParams = new URLSearchParams(),
): ProxiedResponse {
  const { name, port } = parseServiceSegment(serviceSegment);
  const service = store.get(SERVICE, namespace, name);
  if (!service) {
    throw statusErrors.notFound('', 'services', name);
  }
  const ports = arr(at(service, 'spec', 'ports')).filter(isRecord);
  if (
    port !== undefined &&
    !ports.some(p => str(p.name) === port || String(num(p.port)) === port)
  ) {
    throw statusErrors.serviceUnavailable(
      `no service port "${port}" found for service "${name}"`,
    );
  }
  const selector = stringMap(at(service, 'spec', 'selector'));
  const ready = store
    .list(POD, { namespace })
    .filter(
      pod => matchesMapSelector(selector, labelsOf(pod)) && isPodReady(pod),
    );
  if (ready.length === 0) {
    throw statusErrors.serviceUnavailable(
      `no endpoints available for service "${name}"`,
    );
  }
  const component = labelsOf(service)[ASTRO_LABELS.component];
  const route =
    `/${path.replace(/^\/+/, '').split('?')[0]}`.replace(/\/+$/, '') || '/';
  const { health, dags } = airflow;
  if (component === 'api-server') {
    const version = health.version(namespace, component) ?? '3.0.0';
    if (route === '/api/v2/monitor/health') {
      return { status: 200, body: health.health(namespace) };
    }
    if (route === '/api/v2/version') {
      return { status: 200, body: { version, git_version: null } };
    }
    return (
      dagRoutes(dags, namespace, releaseOf(version), '/api/v2', route, query) ??
      NOT_FOUND
    );
  }
  if (component === 'webserver') {
    const version = health.version(namespace, component) ?? '2.10.0';
    if (route === '/health' || route === '/api/v1/health') {
      return { status: 200, body: health.health(namespace) };
    }
    if (route === '/api/v1/version') {
      return { status: 200, body: { version, git_version: null } };
    }
    return (
      dagRoutes(dags, namespace, releaseOf(version), '/api/v1', route, query) ??
      NOT_FOUND
    );
  }
  throw statusErrors.serviceUnavailable(
    `error trying to reach service: the simulator runs no application behind service "${name}"`,
  );
}
