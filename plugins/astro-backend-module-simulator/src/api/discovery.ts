/**
 * The discovery documents: `/version`, `/api`, `/apis` and the resource
 * list of each group version.
 */
import { accessReviewResourceList, AUTHORIZATION_GROUP } from './accessReviews';
import { groupVersionOf, ResourceCatalog } from './resources';

/** The Kubernetes version the simulator claims to be. */
export const SIMULATED_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-simulator',
};

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export function versionInfo(): Record<string, string> {
  return {
    ...SIMULATED_VERSION,
    gitCommit: 'simulator',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'simulator',
    compiler: 'simulator',
    platform: 'simulator/loopback',
  };
}

/** `GET /api`. */
export function coreApiVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' },
    ],
  };
}

/** `GET /apis`. */
export function apiGroupList(
  catalog: ResourceCatalog,
): Record<string, unknown> {
  const groups = new Map<string, Set<string>>();
  for (const type of catalog.served()) {
    if (type.group) {
      const versions = groups.get(type.group) ?? new Set<string>();
      versions.add(type.version);
      groups.set(type.group, versions);
    }
  }
  groups.set(AUTHORIZATION_GROUP, new Set(['v1']));
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([name, versions]) => {
      const list = [...versions].map(version => ({
        groupVersion: `${name}/${version}`,
        version,
      }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

/**
 * `GET /api/v1` or `/apis/{group}/{version}`; `undefined` for a group
 * version the simulator does not serve.
 */
export function apiResourceList(
  catalog: ResourceCatalog,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  if (group === AUTHORIZATION_GROUP && version === 'v1') {
    return accessReviewResourceList();
  }
  const types = catalog
    .served()
    .filter(type => type.group === group && type.version === version);
  if (types.length === 0) {
    return undefined;
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf(types[0]),
    resources: types.flatMap(type => [
      {
        name: type.plural,
        singularName: type.singular,
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: VERBS,
        ...(type.shortNames ? { shortNames: type.shortNames } : {}),
      },
      ...(type.statusSubresource
        ? [
            {
              name: `${type.plural}/status`,
              singularName: '',
              namespaced: type.namespaced,
              kind: type.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
      ...(type.scaleSubresource
        ? [
            {
              name: `${type.plural}/scale`,
              singularName: '',
              namespaced: type.namespaced,
              group: 'autoscaling',
              version: 'v1',
              kind: 'Scale',
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
      ...(type.kind === 'Pod'
        ? [
            {
              name: 'pods/log',
              singularName: '',
              namespaced: true,
              kind: 'Pod',
              verbs: ['get'],
            },
          ]
        : []),
      ...(type.kind === 'Service'
        ? [
            {
              name: 'services/proxy',
              singularName: '',
              namespaced: true,
              kind: 'ServiceProxyOptions',
              verbs: ['create', 'delete', 'get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}
