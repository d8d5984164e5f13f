import {
  Cluster,
  Deployment,
  Organization,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import {
  MockAstroApiKit,
  startMockAstroApi,
} from '@airflow-portal/plugin-astro-node/testUtils';

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
    image: 'apache/airflow:3.1.3',
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
      isCicdEnforced: false,
      kubernetesPodOperator: false,
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
 * An in-memory Astro API: msw handlers typed by the API's OpenAPI document,
 * with the paging and 404s of the real one. Records every request path and
 * the Authorization header it came with.
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

  /** Serves the API; resolves to its base URL. */
  start() {
    return startMockAstroApi({ handlers: kit => this.handlers(kit) });
  }

  private handlers({ http, anyHttp, error, baseUrl }: MockAstroApiKit) {
    const notFound = () => error(404, 'NotFoundError', 'not found');
    const org = (name: string) => this.organizations.find(o => o.name === name);
    return [
      // Records every request and fails it while told to; otherwise the
      // typed handlers below answer.
      anyHttp.all(`${baseUrl}/*`, ({ request }) => {
        const url = new URL(request.url);
        this.requests.push({
          path: `${url.pathname.replace(/^\/api\/astro/, '')}${url.search}`,
          authorization: request.headers.get('authorization'),
        });
        const status = this.failWith ?? (this.failNext > 0 ? 503 : undefined);
        if (status) {
          this.failNext = Math.max(0, this.failNext - 1);
          return error(status, 'Error', 'boom');
        }
        return undefined;
      }),
      http.get('/organizations', ({ response }) =>
        response(200).json({ items: this.organizations }),
      ),
      http.get('/organizations/{org}', ({ params, response }) => {
        const found = org(params.org);
        return found ? response(200).json(found) : notFound();
      }),
      http.get('/organizations/{org}/workspaces', ({ params, response }) =>
        org(params.org)
          ? response(200).json({
              items: this.workspaces.filter(w => w.organization === params.org),
            })
          : notFound(),
      ),
      http.get(
        '/organizations/{org}/workspaces/{ws}',
        ({ params, response }) => {
          const found = this.workspaces.find(
            w => w.organization === params.org && w.name === params.ws,
          );
          return found ? response(200).json(found) : notFound();
        },
      ),
      http.get(
        '/organizations/{org}/deployments',
        ({ params, query, response }) => {
          if (!org(params.org)) {
            return notFound();
          }
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
          return response(200).json({
            items,
            ...(matching.length > limit
              ? { nextCursor: items[items.length - 1].name }
              : {}),
          });
        },
      ),
      http.get(
        '/organizations/{org}/deployments/{dep}',
        ({ params, response }) => {
          const found = this.deployments.find(
            d => d.organization === params.org && d.name === params.dep,
          );
          return found ? response(200).json(found) : notFound();
        },
      ),
      http.get('/clusters', ({ response }) =>
        response(200).json({ items: this.clusters }),
      ),
      http.get('/clusters/{cluster}', ({ params, response }) => {
        const found = this.clusters.find(c => c.name === params.cluster);
        return found ? response(200).json(found) : notFound();
      }),
    ];
  }
}
