import { http, HttpResponse } from 'msw';
import {
  Cluster,
  Deployment,
  Organization,
  Workspace,
} from '@airflow-portal/plugin-astro-common';

/** Where the fake discovery says the Astro API is. */
export const ASTRO_BASE_URL = 'http://astro.test/api/astro';

const AUDIT = {
  createdAt: '2026-11-26T10:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-11-26T10:00:00.000Z',
  updatedBy: 'user:default/jane',
  version: 1,
};

export function makeOrganization(name: string): Organization {
  return { name, title: name.toUpperCase(), description: '', ...AUDIT };
}

export function makeWorkspace(
  organization: string,
  name: string,
  owner?: string,
): Workspace {
  return {
    name,
    organization,
    title: name,
    description: `The ${name} workspace`,
    ...(owner ? { owner } : {}),
    clusterGrants: [],
    ...AUDIT,
  };
}

export function makeCluster(name: string, organization?: string): Cluster {
  return {
    name,
    title: name,
    description: '',
    type: organization ? 'dedicated' : 'standard',
    ...(organization ? { organization } : {}),
    provider: 'simulator',
    region: 'local',
    driver: 'simulator',
    source: 'declared',
    deploymentCount: 0,
    ...AUDIT,
  };
}

/** A Deployment with a secret and a plain environment variable. */
export function makeDeployment(
  organization: string,
  workspace: string,
  name: string,
  overrides: Partial<Deployment> = {},
): Deployment {
  return {
    name,
    organization,
    workspace,
    cluster: 'simulator',
    namespace: `astro-${name}-0a1b2c`,
    title: name,
    description: '',
    settings: {
      airflowVersion: '3.1.3',
      executor: 'CELERY',
      schedulerSize: 'SMALL',
      highAvailability: false,
      workerQueues: [
        {
          name: 'default',
          isDefault: true,
          workerSize: 'A5',
          minWorkers: 0,
          maxWorkers: 10,
          concurrency: 5,
        },
      ],
      environmentVariables: [
        { key: 'PLAIN_SETTING', value: 'plain-value-7f3a', secret: false },
        // The API never returns secret values; one that leaked must still
        // not reach the catalog.
        { key: 'DB_PASSWORD', value: 'hunter2-secret-9c1d', secret: true },
      ],
      resourceQuota: { cpu: '20', memory: '40Gi' },
      defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
      workerGracePeriodSeconds: 86400,
      hibernation: { schedules: [] },
      contactEmails: ['oncall@example.com'],
    },
    status: 'HEALTHY',
    statusChangedAt: '2026-11-26T10:05:00.000Z',
    conditions: [],
    generation: 1,
    observedGeneration: 1,
    airflowUrl: `https://airflow.example.com/${name}`,
    ...AUDIT,
    ...overrides,
  };
}

/**
 * An in-memory Astro API for msw, with the paging and 404s of the real one.
 * Records every request path and the Authorization header it came with.
 */
export class FakeAstroApi {
  organizations: Organization[] = [];
  workspaces: Workspace[] = [];
  deployments: Deployment[] = [];
  clusters: Cluster[] = [];
  readonly requests: { path: string; authorization: string | null }[] = [];
  /** Status every request fails with, while set. */
  failWith?: number;
  /** Number of coming requests that fail with 503. */
  failNext = 0;

  handlers() {
    const notFound = () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'not found' } },
        { status: 404 },
      );
    const record = (request: Request) => {
      const url = new URL(request.url);
      this.requests.push({
        path: `${url.pathname.replace('/api/astro', '')}${url.search}`,
        authorization: request.headers.get('authorization'),
      });
      const status = this.failWith ?? (this.failNext > 0 ? 503 : undefined);
      if (status) {
        this.failNext = Math.max(0, this.failNext - 1);
        return HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status },
        );
      }
      return undefined;
    };
    const org = (name: string) => this.organizations.find(o => o.name === name);
    return [
      http.get(`${ASTRO_BASE_URL}/organizations`, ({ request }) => {
        return (
          record(request) ?? HttpResponse.json({ items: this.organizations })
        );
      }),
      http.get(
        `${ASTRO_BASE_URL}/organizations/:org`,
        ({ request, params }) => {
          const found = org(String(params.org));
          return (
            record(request) ?? (found ? HttpResponse.json(found) : notFound())
          );
        },
      ),
      http.get(
        `${ASTRO_BASE_URL}/organizations/:org/workspaces`,
        ({ request, params }) =>
          record(request) ??
          (org(String(params.org))
            ? HttpResponse.json({
                items: this.workspaces.filter(
                  w => w.organization === params.org,
                ),
              })
            : notFound()),
      ),
      http.get(
        `${ASTRO_BASE_URL}/organizations/:org/workspaces/:ws`,
        ({ request, params }) => {
          const found = this.workspaces.find(
            w => w.organization === params.org && w.name === params.ws,
          );
          return (
            record(request) ?? (found ? HttpResponse.json(found) : notFound())
          );
        },
      ),
      http.get(
        `${ASTRO_BASE_URL}/organizations/:org/deployments`,
        ({ request, params }) => {
          const failure = record(request);
          if (failure) {
            return failure;
          }
          if (!org(String(params.org))) {
            return notFound();
          }
          const query = new URL(request.url).searchParams;
          const limit = Number(query.get('limit') ?? 50);
          const after = query.get('cursor') ?? '';
          const workspace = query.get('workspace');
          const matching = this.deployments
            .filter(
              d =>
                d.organization === params.org &&
                (!workspace || d.workspace === workspace) &&
                d.name > after,
            )
            .sort((a, b) => a.name.localeCompare(b.name));
          const items = matching.slice(0, limit);
          return HttpResponse.json({
            items,
            ...(matching.length > limit
              ? { nextCursor: items[items.length - 1].name }
              : {}),
          });
        },
      ),
      http.get(
        `${ASTRO_BASE_URL}/organizations/:org/deployments/:dep`,
        ({ request, params }) => {
          const found = this.deployments.find(
            d => d.organization === params.org && d.name === params.dep,
          );
          return (
            record(request) ?? (found ? HttpResponse.json(found) : notFound())
          );
        },
      ),
      http.get(`${ASTRO_BASE_URL}/clusters`, ({ request }) => {
        return record(request) ?? HttpResponse.json({ items: this.clusters });
      }),
      http.get(`${ASTRO_BASE_URL}/clusters/:cluster`, ({ request, params }) => {
        const found = this.clusters.find(c => c.name === params.cluster);
        return (
          record(request) ?? (found ? HttpResponse.json(found) : notFound())
        );
      }),
    ];
  }
}
