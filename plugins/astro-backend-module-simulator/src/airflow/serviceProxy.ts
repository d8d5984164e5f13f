/**
 * The API server's service proxy
 * (`/api/v1/namespaces/{ns}/services/{name}[:port]/proxy/{path}`): finds
 * the Service and its Ready endpoints like a real API server, then answers
 * as the simulated application behind it, which is Airflow's API server
 * (3.x, component `api-server`) or webserver (2.x, component `webserver`).
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

/** Answers a GET through the service proxy, or throws a `Status`. */
export function proxyGet(
  store: ObjectStore,
  airflow: AirflowHealth,
  namespace: string,
  serviceSegment: string,
  path: string,
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
  if (component === 'api-server') {
    if (route === '/api/v2/monitor/health') {
      return { status: 200, body: airflow.health(namespace) };
    }
    if (route === '/api/v2/version') {
      return {
        status: 200,
        body: {
          version: airflow.version(namespace, component) ?? '3.0.0',
          git_version: null,
        },
      };
    }
    return NOT_FOUND;
  }
  if (component === 'webserver') {
    if (route === '/health' || route === '/api/v1/health') {
      return { status: 200, body: airflow.health(namespace) };
    }
    if (route === '/api/v1/version') {
      return {
        status: 200,
        body: {
          version: airflow.version(namespace, component) ?? '2.10.0',
          git_version: null,
        },
      };
    }
    return NOT_FOUND;
  }
  throw statusErrors.serviceUnavailable(
    `error trying to reach service: the simulator runs no application behind service "${name}"`,
  );
}
