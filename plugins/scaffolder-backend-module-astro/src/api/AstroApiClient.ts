import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  Cluster,
  Deployment,
  DeploymentCreateRequest,
  DeploymentOptions,
  DeploymentUpdateRequest,
  EnvironmentVariable,
  Organization,
  VariablesUpdateRequest,
  Workspace,
  WorkspaceCreateRequest,
} from '@airflow-portal/plugin-astro-common';

const segment = encodeURIComponent;

/**
 * The error of a failed request, with the backend's explanation in its
 * message (a template's log shows only the message) and the Backstage error
 * type of its status.
 */
async function toError(
  method: string,
  path: string,
  response: Response,
): Promise<Error> {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const body = await response.clone().json();
    if (typeof body?.error?.message === 'string') {
      detail = body.error.message;
    }
  } catch {
    // not a Backstage error body; keep the status
  }
  const message = `${method} /api/astro${path}: ${detail}`;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return await ResponseError.fromResponse(response);
  }
}

/** The environment variables of a Deployment, secret values left out. */
export interface DeploymentVariables {
  environmentVariables: EnvironmentVariable[];
  version: number;
}

/**
 * The Astro REST API as one user calls it: every request carries a token
 * issued on behalf of that user's credentials, so the Astro backend applies
 * the user's permissions.
 */
export interface AstroUserApi {
  getDeploymentOptions(): Promise<DeploymentOptions>;
  /** `undefined` when there is no such organization. */
  getOrganization(organization: string): Promise<Organization | undefined>;
  /** `undefined` when there is no such workspace. */
  getWorkspace(
    organization: string,
    workspace: string,
  ): Promise<Workspace | undefined>;
  createWorkspace(
    organization: string,
    request: WorkspaceCreateRequest,
    options: { idempotencyKey: string },
  ): Promise<Workspace>;
  listClusters(): Promise<Cluster[]>;
  /** `undefined` when there is no such Deployment. */
  getDeployment(
    organization: string,
    deployment: string,
  ): Promise<Deployment | undefined>;
  createDeployment(
    organization: string,
    request: DeploymentCreateRequest,
    options: { idempotencyKey: string },
  ): Promise<Deployment>;
  updateDeployment(
    organization: string,
    deployment: string,
    request: DeploymentUpdateRequest,
  ): Promise<Deployment>;
  getVariables(
    organization: string,
    deployment: string,
  ): Promise<DeploymentVariables>;
  putVariables(
    organization: string,
    deployment: string,
    request: VariablesUpdateRequest,
  ): Promise<DeploymentVariables>;
}

/**
 * Calls the Astro backend (plugin id `astro`, found through discovery) on
 * behalf of a user.
 */
export class AstroApiClient {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly fetchImpl?: typeof fetch;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    /** Defaults to the global fetch. */
    fetch?: typeof fetch;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.fetchImpl = options.fetch;
  }

  /** The API as the principal of `credentials` calls it. */
  as(credentials: BackstageCredentials): AstroUserApi {
    const request = async (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
      path: string,
      init: {
        body?: unknown;
        headers?: Record<string, string>;
        /** Resolve a 404 to `undefined` instead of failing. */
        optional?: boolean;
      } = {},
    ): Promise<Response | undefined> => {
      const baseUrl = await this.discovery.getBaseUrl('astro');
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'astro',
      });
      const response = await (this.fetchImpl ?? fetch)(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(init.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
          ...init.headers,
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
      if (init.optional && response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok) {
        throw await toError(method, path, response);
      }
      return response;
    };
    const json = async <T>(
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
      path: string,
      init?: { body?: unknown; headers?: Record<string, string> },
    ): Promise<T> => {
      const response = await request(method, path, init);
      return response!.json();
    };
    const optional = async <T>(path: string): Promise<T | undefined> => {
      const response = await request('GET', path, { optional: true });
      return response ? response.json() : undefined;
    };
    const org = (organization: string) =>
      `/organizations/${segment(organization)}`;

    return {
      getDeploymentOptions: () => json('GET', '/deployment-options'),
      getOrganization: organization => optional(org(organization)),
      getWorkspace: (organization, workspace) =>
        optional(`${org(organization)}/workspaces/${segment(workspace)}`),
      createWorkspace: (organization, body, { idempotencyKey }) =>
        json('POST', `${org(organization)}/workspaces`, {
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      listClusters: async () =>
        (await json<{ items: Cluster[] }>('GET', '/clusters')).items,
      getDeployment: (organization, deployment) =>
        optional(`${org(organization)}/deployments/${segment(deployment)}`),
      createDeployment: (organization, body, { idempotencyKey }) =>
        json('POST', `${org(organization)}/deployments`, {
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      updateDeployment: (organization, deployment, body) =>
        json(
          'PATCH',
          `${org(organization)}/deployments/${segment(deployment)}`,
          { body },
        ),
      getVariables: (organization, deployment) =>
        json(
          'GET',
          `${org(organization)}/deployments/${segment(deployment)}/variables`,
        ),
      putVariables: (organization, deployment, body) =>
        json(
          'PUT',
          `${org(organization)}/deployments/${segment(deployment)}/variables`,
          { body },
        ),
    };
  }
}
