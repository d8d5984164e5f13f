import {
  Deployment,
  EnvironmentVariable,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import { testDeploymentOptions } from '@airflow-portal/plugin-astro-common/testUtils';
import {
  MockAstroApiKit,
  startMockAstroApi,
} from '@airflow-portal/plugin-astro-node/testUtils';

export const deploymentOptions = testDeploymentOptions;

const AUDIT = {
  createdAt: '2026-11-26T10:00:00.000Z',
  createdBy: 'user:default/mock',
  updatedAt: '2026-11-26T10:00:00.000Z',
  updatedBy: 'user:default/mock',
  version: 1,
};

export function makeDeployment(
  name: string,
  overrides: Partial<Deployment> = {},
): Deployment {
  return {
    name,
    organization: 'acme',
    workspace: 'data-eng',
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
      environmentVariables: [],
      resourceQuota: { cpu: '20', memory: '40Gi' },
      defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
      workerGracePeriodSeconds: 86400,
      hibernation: { schedules: [] },
      contactEmails: [],
      isCicdEnforced: false,
      kubernetesPodOperator: false,
    },
    status: 'CREATING',
    statusChangedAt: '2026-11-26T10:00:00.000Z',
    conditions: [],
    generation: 1,
    observedGeneration: 0,
    ...AUDIT,
    ...overrides,
  };
}

/** A recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body?: any;
}

/**
 * An in-memory Astro API: msw handlers typed by the API's OpenAPI document
 * (paths, request and response bodies), with one organization `acme`,
 * workspace `data-eng`, and the Idempotency-Key behaviour of the real one.
 */
export class FakeAstroApi {
  workspaces: Workspace[] = [
    {
      name: 'data-eng',
      organization: 'acme',
      title: 'Data Engineering',
      description: '',
      owner: 'group:default/data-engineering',
      clusterGrants: [],
      ...AUDIT,
    },
  ];
  deployments: Deployment[] = [];
  /** Stored values of every variable, secret ones included. */
  variables = new Map<string, EnvironmentVariable[]>();
  readonly requests: RecordedRequest[] = [];
  private readonly replies = new Map<
    string,
    { body: string; reply: () => Response }
  >();

  /** Requests that change something. */
  get writes() {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /** Serves the API; resolves to its base URL. */
  start() {
    return startMockAstroApi({
      handlers: kit => this.handlers(kit),
      onRequest: async request => {
        const url = new URL(request.url);
        const text = await request.clone().text();
        this.requests.push({
          method: request.method,
          path: `${url.pathname.replace(/^\/api\/astro/, '')}${url.search}`,
          authorization: request.headers.get('authorization'),
          idempotencyKey: request.headers.get('idempotency-key'),
          ...(text ? { body: JSON.parse(text) } : {}),
        });
      },
    });
  }

  /** Replays the first response to an Idempotency-Key. */
  private idempotent(
    { error }: MockAstroApiKit,
    key: string | null,
    body: unknown,
    create: () => Response,
  ): Response {
    const text = JSON.stringify(body);
    const previous = key ? this.replies.get(key) : undefined;
    if (previous) {
      return previous.body === text
        ? previous.reply()
        : error(409, 'ConflictError', 'Idempotency-Key: reused');
    }
    const reply = create();
    if (key && reply.status < 300) {
      const stored = reply.clone();
      this.replies.set(key, { body: text, reply: () => stored.clone() });
    }
    return reply;
  }

  private deployment(name: string) {
    return this.deployments.find(d => d.name === name);
  }

  private handlers(kit: MockAstroApiKit) {
    const { http, error } = kit;
    const noDeployment = () =>
      error(404, 'NotFoundError', 'No such Deployment');
    const hidden = (variable: EnvironmentVariable) =>
      variable.secret ? { key: variable.key, secret: true } : variable;

    return [
      http.get('/deployment-options', ({ response }) =>
        response(200).json(deploymentOptions),
      ),
      http.get('/clusters', ({ response }) =>
        response(200).json({
          items: [
            {
              name: 'simulator',
              title: 'Simulator',
              description: '',
              type: 'standard',
              provider: 'simulator',
              region: 'local',
              driver: 'simulator',
              source: 'declared',
              deploymentCount: this.deployments.length,
              ...AUDIT,
            },
          ],
        }),
      ),
      http.get('/organizations/{org}', ({ params, response }) =>
        params.org === 'acme'
          ? response(200).json({
              name: 'acme',
              title: 'ACME',
              description: '',
              ...AUDIT,
            })
          : error(404, 'NotFoundError', 'No such organization'),
      ),
      http.get(
        '/organizations/{org}/workspaces/{ws}',
        ({ params, response }) => {
          const found = this.workspaces.find(
            w => w.organization === params.org && w.name === params.ws,
          );
          return found
            ? response(200).json(found)
            : error(404, 'NotFoundError', 'No such workspace');
        },
      ),
      http.post(
        '/organizations/{org}/workspaces',
        async ({ params, request, response }) => {
          const body = await request.json();
          return this.idempotent(
            kit,
            request.headers.get('idempotency-key'),
            body,
            () => {
              if (this.workspaces.some(w => w.name === body.name)) {
                return error(409, 'ConflictError', 'The name is taken');
              }
              const workspace: Workspace = {
                organization: params.org,
                title: body.name,
                description: '',
                clusterGrants: [],
                ...AUDIT,
                ...body,
              };
              this.workspaces.push(workspace);
              return response(201).json(workspace);
            },
          );
        },
      ),
      http.get(
        '/organizations/{org}/deployments/{dep}',
        ({ params, response }) => {
          const found = this.deployment(params.dep);
          return found ? response(200).json(found) : noDeployment();
        },
      ),
      http.post(
        '/organizations/{org}/deployments',
        async ({ request, response }) => {
          const body = await request.json();
          return this.idempotent(
            kit,
            request.headers.get('idempotency-key'),
            body,
            () => {
              const { name, workspace, settings: _settings, ...rest } = body;
              if (this.deployment(name)) {
                return error(409, 'ConflictError', 'The name is taken');
              }
              if (!this.workspaces.some(w => w.name === workspace)) {
                return error(404, 'NotFoundError', 'No such workspace');
              }
              const created = makeDeployment(name, { workspace, ...rest });
              this.deployments.push(created);
              return response(201).json(created);
            },
          );
        },
      ),
      http.patch(
        '/organizations/{org}/deployments/{dep}',
        async ({ params, request, response }) => {
          const found = this.deployment(params.dep);
          if (!found) {
            return noDeployment();
          }
          const { settings, owner, ...rest } = await request.json();
          Object.assign(found, rest, {
            ...(owner ? { owner } : {}),
            settings: { ...found.settings, ...settings },
            version: found.version + 1,
            generation: found.generation + (settings ? 1 : 0),
          });
          return response(200).json(found);
        },
      ),
      http.get(
        '/organizations/{org}/deployments/{dep}/variables',
        ({ params, response }) => {
          const found = this.deployment(params.dep);
          if (!found) {
            return noDeployment();
          }
          return response(200).json({
            environmentVariables: (this.variables.get(found.name) ?? []).map(
              hidden,
            ),
            version: found.version,
          });
        },
      ),
      http.put(
        '/organizations/{org}/deployments/{dep}/variables',
        async ({ params, request, response }) => {
          const found = this.deployment(params.dep);
          if (!found) {
            return noDeployment();
          }
          const before = this.variables.get(found.name) ?? [];
          const body = await request.json();
          const after: EnvironmentVariable[] = body.environmentVariables.map(
            v => {
              const value =
                v.value ?? before.find(b => b.key === v.key && b.secret)?.value;
              return {
                key: v.key,
                secret: v.secret ?? false,
                ...(value === undefined ? {} : { value }),
              };
            },
          );
          this.variables.set(found.name, after);
          found.version += 1;
          return response(200).json({
            environmentVariables: after.map(hidden),
            version: found.version,
          });
        },
      ),
    ];
  }
}
