import { setupServer } from 'msw/node';
import { createOpenApiHttp, OpenApiHttpHandlers } from 'openapi-msw';
import type {
  AstroApiPaths,
  AstroApiSchemas,
} from '@airflow-portal/plugin-astro-common';
import { Entity } from '@backstage/catalog-model';
import { http, HttpResponse } from 'msw';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis as legacyMockApis } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { astroApiRef, AstroApiClient } from '../api';
import { rootRouteRef } from '../routes';
import alphaPlugin from '../alpha';

/** Where the fake Astro backend answers in tests. */
export const BASE_URL = 'http://backend.test/api/astro';

/**
 * msw handlers typed by the Astro API's OpenAPI document: paths are its
 * templates (`/organizations/{org}`) and response bodies must match its
 * schemas.
 */
export const astroHttp: OpenApiHttpHandlers<AstroApiPaths> =
  createOpenApiHttp<AstroApiPaths>({
    baseUrl: BASE_URL,
  });

/** What `GET /me/permissions` answers unless a test says otherwise. */
export const noRolesAnswer: AstroApiSchemas['MyPermissions'] = {
  principal: 'user:default/alice',
  claims: ['user:default/alice'],
  platformAdmin: false,
  roles: [],
  allowed: [],
  denied: [],
};

/**
 * Handlers every page test gets: the user's own access (no roles), empty
 * role bindings and no alert rules, which the organization, workspace and
 * Deployment pages read besides their own data. Tests replace them with
 * `use`.
 */
function accessHandlers() {
  return [
    astroHttp.get('/me/permissions', () => HttpResponse.json(noRolesAnswer)),
    astroHttp.get('/organizations/{org}/roles', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}/roles', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/roles', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}/alert-rules', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/alert-rules', () =>
      HttpResponse.json({ items: [] }),
    ),
  ];
}

/**
 * A mock server for the Astro backend; tests add handlers with `use`.
 * Requests no handler answers fail the test.
 */
export function setupAstroServer() {
  const server = setupServer(...accessHandlers());
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A JSON error body the way the backend sends it. */
export function errorResponse(status: number, name: string, message: string) {
  return HttpResponse.json<AstroApiSchemas['Error']>(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );
}

/** Path of a resource under the fake backend. */
export function api(path: string) {
  return `${BASE_URL}${path}`;
}

export { http, HttpResponse };

type Allow = boolean | ((permission: string) => boolean);

/** The real client, talking to the msw server. */
export function astroTestClient() {
  return new AstroApiClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
    fetchApi: mockApis.fetch(),
  });
}

function authorizer(allow: Allow) {
  return (request: { permission: { name: string } }) => {
    const allowed =
      typeof allow === 'function' ? allow(request.permission.name) : allow;
    return allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  };
}

/**
 * The APIs the Airflow pages need in a new-frontend-system test app: the
 * real client talking to the msw server, permissions (allowed unless told
 * otherwise) and an empty catalog.
 */
export function astroTestApis(
  options: { allow?: Allow; entities?: Entity[] } = {},
) {
  return [
    [astroApiRef, astroTestClient()],
    mockApis.permission({ authorize: authorizer(options.allow ?? true) }),
    catalogApiMock({ entities: options.entities }),
  ] as const;
}

/** The same APIs for a legacy app's `TestApiProvider`. */
export function astroLegacyTestApis(options: { allow?: Allow } = {}) {
  return [
    [astroApiRef, astroTestClient()],
    [
      permissionApiRef,
      legacyMockApis.permission({
        authorize: authorizer(options.allow ?? true),
      }),
    ],
    [catalogApiRef, catalogApiMock()],
  ] as const;
}

/** Route refs the pages link to, mounted where the app mounts them. */
export const astroMountedRoutes = {
  '/astro': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/**
 * Renders the Airflow pages at a path in a new-frontend-system test app,
 * as the portal does; with `signals`, as in a portal with the signals
 * plugin.
 */
export function renderAstroPage(
  path: string,
  options: { allow?: Allow; entities?: Entity[]; signals?: SignalApi } = {},
) {
  const app = { features: [alphaPlugin], initialRouteEntries: [path] };
  if (options.signals) {
    return renderTestApp({
      ...app,
      apis: [...astroTestApis(options), [signalApiRef, options.signals]],
    });
  }
  return renderTestApp({ ...app, apis: astroTestApis(options) });
}
