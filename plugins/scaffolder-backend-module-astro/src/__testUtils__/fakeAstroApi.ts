import {
  Deployment,
  EnvironmentVariable,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import { testDeploymentOptions } from '@airflow-portal/plugin-astro-common/testUtils';
import {
  FakeRequest,
  FakeResponse,
  FakeRoute,
  startFakeServer,
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

const AUDIT_FIELDS = AUDIT;

/**
 * An in-memory Astro API served over HTTP: one organization `acme` with
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
      ...AUDIT_FIELDS,
    },
  ];
  deployments: Deployment[] = [];
  /** Stored values of every variable, secret ones included. */
  variables = new Map<string, EnvironmentVariable[]>();
  readonly requests: RecordedRequest[] = [];
  private readonly replies = new Map<
    string,
    { body: string; reply: FakeResponse }
  >();

  /** Requests that change something. */
  get writes() {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /** Serves the API; resolves to its base URL. */
  start() {
    return startFakeServer(
      () => this.routes(),
      request => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : null;
        };
        this.requests.push({
          method: request.method,
          path: request.path,
          authorization: header('authorization'),
          idempotencyKey: header('idempotency-key'),
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
        return undefined;
      },
    );
  }

  private routes(): FakeRoute[] {
    const error = (status: number, name: string, message: string) => ({
      status,
      body: { error: { name, message } },
    });
    const ok = (body: unknown, status = 200) => ({ status, body });
    /** Replays the first response to an Idempotency-Key. */
    const idempotent = (
      request: FakeRequest,
      create: () => FakeResponse,
    ): FakeResponse => {
      const key = request.headers['idempotency-key'];
      const body = JSON.stringify(request.body);
      const previous =
        typeof key === 'string' ? this.replies.get(key) : undefined;
      if (previous) {
        return previous.body === body
          ? previous.reply
          : error(409, 'ConflictError', 'Idempotency-Key: reused');
      }
      const reply = create();
      if (typeof key === 'string' && reply.status < 300) {
        this.replies.set(key, { body, reply });
      }
      return reply;
    };
    const deployment = (name: string) =>
      this.deployments.find(d => d.name === name);
    const noDeployment = error(404, 'NotFoundError', 'No such Deployment');

    return [
      ['GET', '/deployment-options', () => ok(deploymentOptions)],
      [
        'GET',
        '/clusters',
        () =>
          ok({
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
                ...AUDIT_FIELDS,
              },
            ],
          }),
      ],
      [
        'GET',
        '/organizations/:org',
        ({ params }) =>
          params.org === 'acme'
            ? ok({
                name: 'acme',
                title: 'ACME',
                description: '',
                ...AUDIT_FIELDS,
              })
            : error(404, 'NotFoundError', 'No such organization'),
      ],
      [
        'GET',
        '/organizations/:org/workspaces/:ws',
        ({ params }) => {
          const found = this.workspaces.find(
            w => w.organization === params.org && w.name === params.ws,
          );
          return found
            ? ok(found)
            : error(404, 'NotFoundError', 'No such workspace');
        },
      ],
      [
        'POST',
        '/organizations/:org/workspaces',
        request =>
          idempotent(request, () => {
            if (this.workspaces.some(w => w.name === request.body.name)) {
              return error(409, 'ConflictError', 'The name is taken');
            }
            const workspace: Workspace = {
              organization: request.params.org,
              title: request.body.name,
              description: '',
              clusterGrants: [],
              ...AUDIT_FIELDS,
              ...request.body,
            };
            this.workspaces.push(workspace);
            return ok(workspace, 201);
          }),
      ],
      [
        'GET',
        '/organizations/:org/deployments/:dep',
        ({ params }) => {
          const found = deployment(params.dep);
          return found ? ok(found) : noDeployment;
        },
      ],
      [
        'POST',
        '/organizations/:org/deployments',
        request =>
          idempotent(request, () => {
            const {
              name,
              workspace,
              settings: _settings,
              ...rest
            } = request.body;
            if (deployment(name)) {
              return error(409, 'ConflictError', 'The name is taken');
            }
            if (!this.workspaces.some(w => w.name === workspace)) {
              return error(404, 'NotFoundError', 'No such workspace');
            }
            const created = makeDeployment(name, { workspace, ...rest });
            this.deployments.push(created);
            return ok(created, 201);
          }),
      ],
      [
        'PATCH',
        '/organizations/:org/deployments/:dep',
        ({ params, body }) => {
          const found = deployment(params.dep);
          if (!found) {
            return noDeployment;
          }
          const { settings, ...rest } = body;
          Object.assign(found, rest, {
            settings: { ...found.settings, ...settings },
            version: found.version + 1,
            generation: found.generation + (settings ? 1 : 0),
          });
          return ok(found);
        },
      ],
      [
        'GET',
        '/organizations/:org/deployments/:dep/variables',
        ({ params }) => {
          const found = deployment(params.dep);
          if (!found) {
            return noDeployment;
          }
          return ok({
            environmentVariables: (this.variables.get(found.name) ?? []).map(
              v => (v.secret ? { key: v.key, secret: true } : v),
            ),
            version: found.version,
          });
        },
      ],
      [
        'PUT',
        '/organizations/:org/deployments/:dep/variables',
        ({ params, body }) => {
          const found = deployment(params.dep);
          if (!found) {
            return noDeployment;
          }
          const before = this.variables.get(found.name) ?? [];
          const after: EnvironmentVariable[] = body.environmentVariables.map(
            (v: EnvironmentVariable) => ({
              key: v.key,
              secret: v.secret ?? false,
              value:
                v.value ?? before.find(b => b.key === v.key && b.secret)?.value,
            }),
          );
          this.variables.set(found.name, after);
          found.version += 1;
          return ok({
            environmentVariables: after.map(v =>
              v.secret ? { key: v.key, secret: true } : v,
            ),
            version: found.version,
          });
        },
      ],
    ];
  }
}
