/**
 * Parses request paths of the Kubernetes API into routes.
 */
import {
  ACCESS_REVIEW_RESOURCES,
  AUTHORIZATION_GROUP,
} from '../api/accessReviews';
import { ResourceCatalog, ResourceType } from '../api/resources';

/** What a request path addresses. */
export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'coreVersions' }
  | { kind: 'groups' }
  | { kind: 'resources'; group: string; version: string }
  | { kind: 'collection'; type: ResourceType; namespace?: string }
  | {
      kind: 'object';
      type: ResourceType;
      namespace?: string;
      name: string;
      subresource?: string;
    }
  | { kind: 'proxy'; namespace: string; service: string; path: string }
  | { kind: 'accessReview'; plural: string }
  | { kind: 'openapiV2' }
  | { kind: 'openapiV3'; path: string }
  | { kind: 'control'; segments: string[] }
  | { kind: 'airflowUi'; namespace: string; path: string }
  | { kind: 'unknown' };

function resourceRoute(
  catalog: ResourceCatalog,
  group: string,
  version: string,
  rest: string[],
  rawRest: string[],
): Route {
  if (rest.length === 0) {
    return { kind: 'resources', group, version };
  }
  const namespaces =
    group === '' ? catalog.byPath('', 'v1', 'namespaces') : undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespace = rest[1];
    const type = catalog.byPath(group, version, rest[2]);
    if (!type && rest.length === 3 && namespaces) {
      // A subresource of the namespace itself, e.g. /namespaces/x/status.
      return {
        kind: 'object',
        type: namespaces,
        name: namespace,
        subresource: rest[2],
      };
    }
    if (!type || !type.namespaced) {
      return { kind: 'unknown' };
    }
    if (rest.length === 3) {
      return { kind: 'collection', type, namespace };
    }
    if (type.plural === 'services' && rest.length >= 5 && rest[4] === 'proxy') {
      return {
        kind: 'proxy',
        namespace,
        service: rest[3],
        path: `/${rawRest.slice(5).join('/')}`,
      };
    }
    return {
      kind: 'object',
      type,
      namespace,
      name: rest[3],
      subresource: rest[4],
    };
  }
  const type = catalog.byPath(group, version, rest[0]);
  if (!type) {
    return { kind: 'unknown' };
  }
  if (rest.length === 1) {
    return { kind: 'collection', type };
  }
  if (type.namespaced) {
    return { kind: 'unknown' };
  }
  return { kind: 'object', type, name: rest[1], subresource: rest[2] };
}

/** Parses a request path (without the query). */
export function parseRoute(catalog: ResourceCatalog, pathname: string): Route {
  const rawSegments = pathname.split('/').filter(segment => segment !== '');
  let segments: string[];
  try {
    segments = rawSegments.map(segment => decodeURIComponent(segment));
  } catch {
    return { kind: 'unknown' };
  }
  const [first, second, third] = segments;
  if (first === 'simulator' && second === 'v1') {
    return { kind: 'control', segments: segments.slice(2) };
  }
  if (segments.length >= 2 && first === 'airflow') {
    return {
      kind: 'airflowUi',
      namespace: second,
      path: `/${segments.slice(2).join('/')}`,
    };
  }
  if (first === 'openapi' && second === 'v2' && segments.length === 2) {
    return { kind: 'openapiV2' };
  }
  if (first === 'openapi' && second === 'v3') {
    return { kind: 'openapiV3', path: segments.slice(2).join('/') };
  }
  if (segments.length === 1 && first === 'version') {
    return { kind: 'version' };
  }
  if (
    segments.length === 1 &&
    (first === 'healthz' || first === 'livez' || first === 'readyz')
  ) {
    return { kind: 'health' };
  }
  if (first === 'api') {
    if (segments.length === 1) {
      return { kind: 'coreVersions' };
    }
    if (second !== 'v1') {
      return { kind: 'unknown' };
    }
    return resourceRoute(
      catalog,
      '',
      'v1',
      segments.slice(2),
      rawSegments.slice(2),
    );
  }
  if (first === 'apis') {
    if (segments.length === 1) {
      return { kind: 'groups' };
    }
    if (segments.length === 2 || third === undefined) {
      return { kind: 'unknown' };
    }
    if (
      second === AUTHORIZATION_GROUP &&
      third === 'v1' &&
      segments.length === 4 &&
      ACCESS_REVIEW_RESOURCES.some(review => review.plural === segments[3])
    ) {
      return { kind: 'accessReview', plural: segments[3] };
    }
    return resourceRoute(
      catalog,
      second,
      third,
      segments.slice(3),
      rawSegments.slice(3),
    );
  }
  return { kind: 'unknown' };
}

function resourcePrefix(type: ResourceType): string {
  return type.group === ''
    ? `/api/${type.version}`
    : `/apis/${type.group}/${type.version}`;
}

/**
 * The class of a request path, for request statistics: namespaces, names
 * and proxied paths replaced by placeholders, so that the classes are as
 * few as the API's resources (e.g. `/api/v1/namespaces/{namespace}/pods`).
 */
export function pathClassOf(route: Route, pathname: string): string {
  switch (route.kind) {
    case 'collection':
      return `${resourcePrefix(route.type)}${
        route.namespace !== undefined ? '/namespaces/{namespace}' : ''
      }/${route.type.plural}`;
    case 'object':
      return `${resourcePrefix(route.type)}${
        route.namespace !== undefined ? '/namespaces/{namespace}' : ''
      }/${route.type.plural}/{name}${
        route.subresource ? `/${route.subresource}` : ''
      }`;
    case 'proxy':
      return '/api/v1/namespaces/{namespace}/services/{name}/proxy';
    case 'control':
      return '/simulator/v1';
    case 'airflowUi':
      return '/airflow/{namespace}';
    case 'unknown':
      return '(unknown path)';
    default:
      // Discovery, OpenAPI, version and health: a few fixed paths.
      return pathname;
  }
}
