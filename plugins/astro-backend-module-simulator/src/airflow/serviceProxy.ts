/**
 * The API server's service proxy
 * (`/api/v1/namespaces/{ns}/services/{name}[:port]/proxy/{path}`): finds
 * the Service and its Ready endpoints like a real API server, then answers
 * as the simulated application behind it, which is Airflow's API server
 * (3.x, component `api-server`) or webserver (2.x, component `webserver`):
 * see {@link answerAirflowApi}. Any method passes, with its JSON body. The API server consumes `Authorization`
 * (it carries the caller's Kubernetes credential), so the Airflow API token
 * travels in {@link AIRFLOW_ACCESS.proxyTokenHeader}, which the rendered
 * Airflow treats like `Authorization: Bearer`.
 */
import {
  AIRFLOW_ACCESS,
  ASTRO_LABELS,
} from '@airflow-portal/plugin-astro-common';
import { ResourceCatalog } from '../api/resources';
import { statusErrors } from '../api/status';
import { arr, at, isRecord, labelsOf, num, str } from '../store/objects';
import {
  AirflowApiDeps,
  answerAirflowApi,
  NOT_FOUND,
  ProxiedResponse,
} from './airflowApi';
import { readyEndpoints } from './endpoints';

const SERVICE = ResourceCatalog.kind('Service');

function parseServiceSegment(segment: string): { name: string; port?: string } {
  const parts = segment.split(':');
  if (parts.length >= 3) {
    return { name: parts[1], port: parts[2] || undefined };
  }
  return { name: parts[0], port: parts[1] || undefined };
}

/** A request through the service proxy. */
export interface ProxiedRequest {
  method: string;
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, if one came. */
  body?: unknown;
}

/**
 * Answers a request through the service proxy (any method, with its
 * body), or throws a `Status`. `onRoute` learns which Airflow route was
 * asked for, for the request counters.
 */
export async function proxyRequest(
  airflow: AirflowApiDeps,
  namespace: string,
  serviceSegment: string,
  request: ProxiedRequest,
  onRoute?: (method: string, route: string) => void,
): Promise<ProxiedResponse> {
  const { path, headers = {} } = request;
  const query = request.query ?? new URLSearchParams();
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const { name, port } = parseServiceSegment(serviceSegment);
  const service = airflow.store.get(SERVICE, namespace, name);
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
  if (readyEndpoints(airflow.store, service).length === 0) {
    throw statusErrors.serviceUnavailable(
      `no endpoints available for service "${name}"`,
    );
  }
  const component = labelsOf(service)[ASTRO_LABELS.component];
  if (component !== 'api-server' && component !== 'webserver') {
    throw statusErrors.serviceUnavailable(
      `error trying to reach service: the simulator runs no application behind service "${name}"`,
    );
  }
  const route =
    `/${path.replace(/^\/+/, '').split('?')[0]}`.replace(/\/+$/, '') || '/';
  const header = headers[AIRFLOW_ACCESS.proxyTokenHeader];
  const token = (Array.isArray(header) ? header[0] : header)?.trim();
  onRoute?.(method, route);
  return (
    (await answerAirflowApi(
      airflow,
      namespace,
      component,
      { method, route, query, body: request.body },
      token || undefined,
    )) ?? NOT_FOUND
  );
}
