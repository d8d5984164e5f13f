import { createHash, randomUUID } from 'node:crypto';
import {
  AstroApiSchemas,
  Deployment,
} from '@airflow-portal/plugin-astro-common';
import type { MockAstroApiKit } from '@airflow-portal/plugin-astro-node/testUtils';
import { parse as parseYaml } from 'yaml';

type Deploy = AstroApiSchemas['Deploy'];
type ApiToken = AstroApiSchemas['ApiToken'];

/** A token the fake accepts (a Backstage user's). */
export const USER_TOKEN = 'backstage-user-token';
/** An API token of acme/etl the fake accepts. */
export const API_TOKEN = `astro_${'2f9c1a7e'.repeat(4)}_c2VjcmV0LXZhbHVl`;

const AUDIT = {
  createdAt: '2026-11-26T10:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-11-26T10:00:00.000Z',
  updatedBy: 'user:default/jane',
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
    owner: 'group:default/data-eng',
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
        { key: 'MODE', value: 'prod', secret: false },
        { key: 'DB_PASSWORD', secret: true },
      ],
      resourceQuota: { cpu: '20', memory: '40Gi' },
      defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
      workerGracePeriodSeconds: 86400,
      hibernation: { schedules: [] },
      contactEmails: [],
      isCicdEnforced: false,
      kubernetesPodOperator: false,
    },
    status: 'HEALTHY',
    statusReason: 'All components are ready',
    statusChangedAt: '2026-11-26T10:05:00.000Z',
    conditions: [],
    generation: 1,
    observedGeneration: 1,
    airflowUrl: `http://localhost:7007/api/astro/airflow/acme/${name}/`,
    ...AUDIT,
    ...overrides,
  };
}

/** A request the fake received. */
export interface ReceivedRequest {
  method: string;
  /** Path below the API's base URL, without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body: bytes for gzip, text for YAML, parsed JSON otherwise. */
  body?: Uint8Array | string | unknown;
}

/** What getDeploy answers next for a deploy: one entry per poll. */
export type DeployScript = Array<Pick<Deploy, 'status' | 'statusReason'>>;

/**
 * An in-memory portal API behind msw handlers typed by the OpenAPI
 * document: one organization `acme` with workspace `data-eng` and
 * Deployment `etl`, deploys whose status follows a script, API tokens,
 * and the portal's error bodies.
 */
export class FakePortal {
  organizations = ['acme'];
  deployments: Deployment[] = [makeDeployment('etl')];
  deploys: Deploy[] = [];
  tokens: Array<ApiToken & { value: string }> = [];
  readonly requests: ReceivedRequest[] = [];
  /** Statuses getDeploy returns, in order; the last one stays. */
  script: DeployScript = [
    { status: 'INITIALIZED', statusReason: '0 of 2 pods serve the bundle' },
    { status: 'INITIALIZED', statusReason: '1 of 2 pods serve the bundle' },
    { status: 'DEPLOYED', statusReason: 'All 2 pods serve the bundle' },
  ];
  /** How many of the next getDeploy calls answer 503. */
  failPolls = 0;
  private polls = new Map<string, number>();
  acceptedTokens = new Set([USER_TOKEN, API_TOKEN]);
  /** Answer the deploy endpoints with a bare 404, as a portal without them. */
  withoutDeploys = false;
  /** Answer everything with a web page, as a portal's frontend would. */
  servesWebPage = false;

  /** Records a request (msw's onRequest hook, or the HTTP server's). */
  async record(request: Request) {
    const url = new URL(request.url);
    const type = request.headers.get('content-type') ?? '';
    let body: ReceivedRequest['body'];
    if (request.method !== 'GET' && request.method !== 'DELETE') {
      const copy = request.clone();
      if (type.includes('gzip')) {
        body = new Uint8Array(await copy.arrayBuffer());
      } else if (type.includes('yaml')) {
        body = await copy.text();
      } else {
        const text = await copy.text();
        body = text ? JSON.parse(text) : undefined;
      }
    }
    this.requests.push({
      method: request.method,
      path: decodeURIComponent(url.pathname.replace(/^.*\/api\/astro/, '')),
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(request.headers),
      body,
    });
  }

  /** The requests other than reads. */
  get writes() {
    return this.requests.filter(r => r.method !== 'GET');
  }

  private deployment(org: string, name: string) {
    return this.deployments.find(
      d => d.organization === org && d.name === name,
    );
  }

  private makeDeploy(
    org: string,
    dep: string,
    fields: Partial<Deploy> & Pick<Deploy, 'type'>,
  ): Deploy {
    const deployment = this.deployment(org, dep)!;
    const deploy: Deploy = {
      id: randomUUID(),
      organization: org,
      deployment: dep,
      status: 'INITIALIZED',
      image: deployment.image,
      airflowVersion: deployment.settings.airflowVersion,
      description: '',
      origin: 'API',
      createdBy: 'user:default/jane',
      createdAt: new Date(
        Date.UTC(2026, 10, 30, 10, this.deploys.length),
      ).toISOString(),
      ...fields,
    };
    this.deploys.unshift(deploy);
    return deploy;
  }

  /** The handlers; `kit` is startMockAstroApi's or the HTTP server's. */
  handlers(kit: MockAstroApiKit) {
    const { http, anyHttp, error, baseUrl } = kit;
    const noDeployment = () =>
      error(404, 'NotFoundError', 'No such organization or Deployment');
    const guard = anyHttp.all(`${baseUrl}/*`, ({ request }) => {
      const auth = request.headers.get('authorization') ?? '';
      const token = auth.replace(/^Bearer /, '');
      const pathname = new URL(request.url).pathname;
      if (this.servesWebPage) {
        return new Response('<!doctype html><title>Portal</title>', {
          headers: { 'Content-Type': 'text/html' },
        });
      }
      if (this.withoutDeploys && pathname.includes('/deploys')) {
        return new Response('Not Found', { status: 404 });
      }
      if (pathname.endsWith('/health')) {
        return undefined;
      }
      if (!this.acceptedTokens.has(token)) {
        return error(401, 'AuthenticationError', 'Illegal token');
      }
      return undefined;
    });

    return [
      guard,
      http.get('/health', ({ response }) =>
        response(200).json({ status: 'ok' }),
      ),
      http.get('/organizations', ({ response }) =>
        response(200).json({
          items: this.organizations.map(name => ({
            name,
            title: name.toUpperCase(),
            description: '',
            ...AUDIT,
          })),
        }),
      ),
      http.get('/organizations/{org}/workspaces', ({ params, response }) =>
        response(200).json({
          items: [
            {
              name: 'data-eng',
              organization: params.org,
              title: 'Data Engineering',
              description: '',
              owner: 'group:default/data-eng',
              clusterGrants: [],
              ...AUDIT,
            },
          ],
        }),
      ),
      http.get(
        '/organizations/{org}/deployments',
        ({ params, query, response }) => {
          if (!this.organizations.includes(params.org)) {
            return error(404, 'NotFoundError', 'No such organization');
          }
          const workspace = query.get('workspace');
          const items = this.deployments.filter(
            d =>
              d.organization === params.org &&
              (!workspace || d.workspace === workspace),
          );
          // Two pages when there are more than two, to follow cursors.
          const cursor = query.get('cursor');
          const page = cursor ? items.slice(2) : items.slice(0, 2);
          return response(200).json({
            items: page,
            ...(!cursor && items.length > 2 ? { nextCursor: 'page-2' } : {}),
          });
        },
      ),
      http.post(
        '/organizations/{org}/deployments',
        async ({ params, request, response }) => {
          const body = await request.json();
          if (this.deployment(params.org, body.name)) {
            return error(409, 'ConflictError', `name: ${body.name} is taken`);
          }
          if (body.settings?.schedulerSize === ('HUGE' as never)) {
            return error(
              400,
              'InputError',
              'settings.schedulerSize: must be one of SMALL, MEDIUM, LARGE, EXTRA_LARGE',
            );
          }
          const base = makeDeployment(body.name, {
            organization: params.org,
            workspace: body.workspace,
            status: 'CREATING',
            ...(body.title ? { title: body.title } : {}),
          });
          const created: Deployment = {
            ...base,
            settings: {
              ...base.settings,
              ...(body.settings as object),
            } as Deployment['settings'],
          };
          this.deployments.push(created);
          return response(201).json(created);
        },
      ),
      http.post(
        '/organizations/{org}/deployments:import',
        async ({ params, request, response }) => {
          const text = await request.text();
          const file = parseYaml(text) as {
            metadata: { name: string; workspace: string };
            spec?: { settings?: Record<string, unknown> };
          };
          if (file?.spec?.settings?.executor === 'NOPE') {
            return error(
              400,
              'InputError',
              'file.spec.settings.executor: must be one of CELERY, KUBERNETES',
            );
          }
          const existing = this.deployment(params.org, file.metadata.name);
          const base =
            existing ??
            makeDeployment(file.metadata.name, {
              organization: params.org,
              workspace: file.metadata.workspace,
              status: 'CREATING',
            });
          const result: Deployment = {
            ...base,
            generation: base.generation + (existing ? 1 : 0),
            settings: {
              ...base.settings,
              ...(file.spec?.settings ?? {}),
            } as Deployment['settings'],
          };
          this.deployments = [
            ...this.deployments.filter(d => d !== existing),
            result,
          ];
          return response(existing ? 200 : 201).json({
            created: !existing,
            deployment: result,
          });
        },
      ),
      http.get(
        '/organizations/{org}/deployments/{dep}',
        ({ params, response }) => {
          const found = this.deployment(params.org, params.dep);
          return found ? response(200).json(found) : noDeployment();
        },
      ),
      http.patch(
        '/organizations/{org}/deployments/{dep}',
        async ({ params, request, response }) => {
          const found = this.deployment(params.org, params.dep);
          if (!found) return noDeployment();
          const body = await request.json();
          const { settings, ...rest } = body;
          Object.assign(found, rest, {
            settings: { ...found.settings, ...settings },
            generation: found.generation + 1,
            status: 'DEPLOYING',
            version: found.version + 1,
          });
          return response(200).json(found);
        },
      ),
      http.delete(
        '/organizations/{org}/deployments/{dep}',
        ({ params, request, response }) => {
          const found = this.deployment(params.org, params.dep);
          if (!found) return noDeployment();
          const ifMatch = request.headers.get('if-match');
          if (ifMatch && ifMatch !== String(found.version)) {
            return error(
              409,
              'ConflictError',
              'If-Match: the Deployment changed',
            );
          }
          found.status = 'DELETING';
          return response(202).json(found);
        },
      ),
      http.get('/organizations/{org}/deployments/{dep}/spec', ({ params }) => {
        const found = this.deployment(params.org, params.dep);
        if (!found) return noDeployment();
        return new Response(
          `apiVersion: astro.airflow-portal.dev/v1alpha1\nkind: AstroDeploymentFile\nmetadata:\n  name: ${found.name}\n  workspace: ${found.workspace}\n`,
          { headers: { 'Content-Type': 'application/yaml' } },
        ) as never;
      }),
      http.get(
        '/organizations/{org}/deployments/{dep}/deploys',
        ({ params, query, response }) => {
          if (!this.deployment(params.org, params.dep)) return noDeployment();
          const limit = Number(query.get('limit') ?? 50);
          const items = this.deploys.filter(
            d => d.organization === params.org && d.deployment === params.dep,
          );
          return response(200).json({ items: items.slice(0, limit) });
        },
      ),
      http.post(
        '/organizations/{org}/deployments/{dep}/deploys',
        async ({ params, request, query, response }) => {
          const found = this.deployment(params.org, params.dep);
          if (!found) return noDeployment();
          const type = request.headers.get('content-type') ?? '';
          if (type.startsWith('application/json')) {
            const body =
              (await request.json()) as AstroApiSchemas['ImageDeployCreate'];
            const deploy = this.makeDeploy(params.org, params.dep, {
              type: 'IMAGE',
              image: body.image,
              airflowVersion:
                body.airflowVersion ?? found.settings.airflowVersion,
              description: body.description ?? '',
              origin: body.origin ?? 'API',
            });
            return response(201).json(deploy);
          }
          const bytes = new Uint8Array(await request.arrayBuffer());
          const checksum = query.get('checksum');
          const actual = `sha256:${createHash('sha256')
            .update(bytes)
            .digest('hex')}`;
          if (!checksum) {
            return error(
              400,
              'InputError',
              'checksum: is required with a bundle',
            );
          }
          if (checksum !== actual) {
            return error(
              400,
              'InputError',
              `checksum: ${checksum} does not match the body (${actual})`,
            );
          }
          const deployType = (query.get('type') ?? 'DAG') as Deploy['type'];
          const deploy = this.makeDeploy(params.org, params.dep, {
            type: deployType,
            ...(query.get('image') ? { image: query.get('image')! } : {}),
            description: query.get('description') ?? '',
            origin: (query.get('origin') ?? 'API') as Deploy['origin'],
            bundle: { version: checksum, size: bytes.length, files: 0 },
          });
          return response(201).json(deploy);
        },
      ),
      http.get(
        '/organizations/{org}/deployments/{dep}/deploys/{deploy}',
        ({ params, response }) => {
          if (this.failPolls > 0) {
            this.failPolls -= 1;
            return error(503, 'ServiceUnavailableError', 'Try again');
          }
          const found = this.deploys.find(d => d.id === params.deploy);
          if (!found) {
            return error(404, 'NotFoundError', 'No such deploy');
          }
          if (found.status === 'INITIALIZED') {
            const poll = this.polls.get(found.id) ?? 0;
            this.polls.set(found.id, poll + 1);
            const next = this.script[Math.min(poll, this.script.length - 1)];
            Object.assign(found, next);
            if (next.status === 'DEPLOYED') {
              found.deployedAt = '2026-11-30T10:00:12.000Z';
            }
          }
          return response(200).json(found);
        },
      ),
      http.post(
        '/organizations/{org}/deployments/{dep}/deploys/{deploy}/rollback',
        async ({ params, request, response }) => {
          const target = this.deploys.find(d => d.id === params.deploy);
          if (!target) return error(404, 'NotFoundError', 'No such deploy');
          const body = await request.json();
          if (target.createdAt < '2026-01-01') {
            return error(
              409,
              'ConflictError',
              'deploy: is older than the retention period of 90 days',
            );
          }
          const deploy = this.makeDeploy(params.org, params.dep, {
            type: target.type,
            image: target.image,
            bundle: target.bundle,
            description: body.description ?? '',
            origin: body.origin ?? 'API',
            rollbackOf: target.id,
          });
          return response(201).json(deploy);
        },
      ),
      http.get(
        '/organizations/{org}/deployments/{dep}/tokens',
        ({ params, response }) =>
          response(200).json({
            items: this.tokens
              .filter(t => t.deployment === params.dep)
              .map(({ value: _value, ...t }) => t),
          }),
      ),
      http.post(
        '/organizations/{org}/deployments/{dep}/tokens',
        async ({ params, request, response }) => {
          const body = await request.json();
          return response(201).json(
            this.addToken({
              organization: params.org,
              workspace: 'data-eng',
              deployment: params.dep,
              scope: 'DEPLOYMENT',
              role: 'DEPLOYMENT_ADMIN',
              ...body,
            }),
          );
        },
      ),
      http.delete(
        '/organizations/{org}/deployments/{dep}/tokens/{token}',
        ({ params, response }) => {
          const token = this.tokens.find(t => t.id === params.token);
          if (!token) return error(404, 'NotFoundError', 'No such token');
          token.revokedAt = '2026-12-02T09:00:00.000Z';
          const { value: _value, ...rest } = token;
          return response(200).json(rest);
        },
      ),
      http.post(
        '/organizations/{org}/deployments/{dep}/tokens/{token}/rotate',
        ({ params, response }) => {
          const token = this.tokens.find(t => t.id === params.token);
          if (!token) return error(404, 'NotFoundError', 'No such token');
          if (token.revokedAt) {
            return error(409, 'ConflictError', 'token: is revoked');
          }
          token.value = `astro_${token.id.replace(/-/g, '')}_rotated`;
          token.rotatedAt = '2026-12-01T09:00:00.000Z';
          return response(200).json(token);
        },
      ),
      http.get(
        '/organizations/{org}/workspaces/{ws}/tokens',
        ({ params, response }) =>
          response(200).json({
            items: this.tokens
              .filter(t => t.scope === 'WORKSPACE' && t.workspace === params.ws)
              .map(({ value: _value, ...t }) => t),
          }),
      ),
      http.post(
        '/organizations/{org}/workspaces/{ws}/tokens',
        async ({ params, request, response }) => {
          const body = await request.json();
          return response(201).json(
            this.addToken({
              organization: params.org,
              workspace: params.ws,
              scope: 'WORKSPACE',
              role: 'WORKSPACE_MEMBER',
              ...body,
            }),
          );
        },
      ),
    ];
  }

  private addToken(
    fields: Pick<ApiToken, 'organization' | 'workspace' | 'scope' | 'role'> &
      Partial<ApiToken> & { expiresInDays?: number },
  ) {
    const { expiresInDays, ...rest } = fields;
    const id = randomUUID();
    const token = {
      id,
      name: 'token',
      description: '',
      prefix: `astro_${id.slice(0, 8)}`,
      createdBy: 'user:default/jane',
      createdAt: '2026-11-30T10:00:00.000Z',
      ...(expiresInDays
        ? {
            expiresAt: new Date(
              Date.parse('2026-11-30T10:00:00.000Z') + expiresInDays * 86400000,
            ).toISOString(),
          }
        : {}),
      ...rest,
      value: `astro_${id.replace(/-/g, '')}_c2VjcmV0`,
    };
    this.tokens.push(token);
    return token;
  }
}
