import type {
  AstroApiSchemas,
  Deployment,
} from '@airflow-portal/plugin-astro-common';
import type { SetupServer } from 'msw/node';
import { apiToken, bundleVersion, deployment, options } from './fixtures';
import { api, astroHttp, errorResponse, http, HttpResponse } from './testApp';

/** Where the page of the fixture Deployment is. */
export const DEPLOYMENT_PAGE = '/astro/organizations/acme/deployments/etl';

/**
 * Serves what the Deployment page of the fixture Deployment reads: the
 * Deployment, its deploys (as the test changes them), its API tokens and
 * (no) role bindings;
 * whatever else the page asks for (monitoring, variables, events) is not
 * found. Tests add or replace handlers with `server.use` afterwards.
 * Counts the reads of the Deployment.
 */
export function serveDeploymentPage(
  server: SetupServer,
  options_: {
    deploys?: () => AstroApiSchemas['DeployPage'];
    deployment?: Deployment;
    tokens?: () => AstroApiSchemas['ApiToken'][];
  } = {},
) {
  const current =
    options_.deployment ?? deployment({ dagBundleVersion: bundleVersion() });
  const deploys = options_.deploys ?? (() => ({ items: [] }));
  const tokens = options_.tokens ?? (() => [apiToken()]);
  const reads = { deployment: 0 };
  server.use(
    http.get(api('/organizations/acme/deployments/etl/:part'), () =>
      errorResponse(404, 'NotFoundError', 'Not served in this test'),
    ),
    ...airflowNotRunning('/organizations/acme/deployments/etl'),
  );
  server.use(
    astroHttp.get('/organizations/{org}/deployments/{dep}', () => {
      reads.deployment += 1;
      return HttpResponse.json(current);
    }),
    astroHttp.get('/deployment-options', () => HttpResponse.json(options)),
    astroHttp.get('/organizations/{org}/deployments/{dep}/deploys', () =>
      HttpResponse.json(deploys()),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/tokens', () =>
      HttpResponse.json({ items: tokens() }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/roles', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}/alert-rules', () =>
      HttpResponse.json({ items: [] }),
    ),
  );
  return reads;
}

/** Airflow insight answers of a Deployment whose Airflow is not running (409). */
export function airflowNotRunning(dep: string) {
  const notRunning = () =>
    errorResponse(
      409,
      'ConflictError',
      'The Airflow of Deployment "acme/etl" is not running',
    );
  return [
    http.get(api(`${dep}/airflow/:part`), notRunning),
    http.get(api(`${dep}/airflow/runs/summary`), notRunning),
  ];
}
