/**
 * The REST API of the simulated Airflow, the same behind the service proxy
 * and behind the Airflow URL: on Airflow 3 (`api-server`) `/api/v2`, on
 * Airflow 2 (`webserver`) `/api/v1` and `/health`. Health and version are
 * public, as in Airflow; the DAG and import error routes need a valid
 * Airflow API token signed with the Deployment's key, and fail the way
 * Airflow fails: FastAPI's `{"detail": …}` on Airflow 3 (401 without a
 * token or with an expired one, 403 with an invalid one), connexion's
 * problem document (401) on Airflow 2.
 */
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import { ObjectStore } from '../store/ObjectStore';
import { AirflowDags, AirflowRelease } from './AirflowDags';
import { AirflowHealth } from './AirflowHealth';
import { AirflowRuns } from './AirflowRuns';
import { AirflowRequest, matchRunRoute } from './airflowRunRoutes';
import { readJwtKey } from './airflowKeys';
import { AirflowUiComponent } from './endpoints';
import { QueueDepths } from './airflowTaskInstances';
import { AirflowIdentity, verifyPortalToken } from './portalTokens';

/** An answer of the simulated Airflow API. */
export interface ProxiedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the simulated Airflow API reads. */
export interface AirflowApiDeps {
  store: ObjectStore;
  health: AirflowHealth;
  dags: AirflowDags;
  runs: AirflowRuns;
  /** Depths of the Celery queues set through the control API. */
  queues?: QueueDepths;
}

export const NOT_FOUND: ProxiedResponse = {
  status: 404,
  body: { detail: 'Not Found' },
};

export function releaseOf(version: string): AirflowRelease {
  const [major, minor] = version.split('.').map(Number);
  return { major: major || 0, minor: minor || 0 };
}

/**
 * The DAG endpoints of Airflow's REST API under `prefix` (`/api/v2` or
 * `/api/v1`) as a deferred answer, or `undefined` when `route` is none of
 * them.
 */
function dagRoute(
  dags: AirflowDags,
  namespace: string,
  release: AirflowRelease,
  prefix: string,
  route: string,
  query: URLSearchParams,
): (() => ProxiedResponse) | undefined {
  if (route === `${prefix}/dags`) {
    return () => dags.listDags(namespace, release, query);
  }
  if (route === `${prefix}/importErrors`) {
    return () => dags.listImportErrors(namespace, release, query);
  }
  const single = new RegExp(`^${prefix}/dags/([^/]+)$`).exec(route);
  if (single) {
    let dagId: string;
    try {
      dagId = decodeURIComponent(single[1]);
    } catch {
      return () => NOT_FOUND;
    }
    return () => dags.getDag(namespace, release, dagId);
  }
  return undefined;
}

/** Airflow 2's (connexion's) answer to a request it cannot authenticate. */
const AIRFLOW2_UNAUTHENTICATED: ProxiedResponse = {
  status: 401,
  body: {
    detail: null,
    status: 401,
    title: 'Unauthorized',
    type: 'https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/Unauthenticated',
  },
};

/**
 * Checks an Airflow API token; the identity, or the answer Airflow gives
 * when it is missing or not accepted.
 */
export async function authenticateApiToken(
  store: ObjectStore,
  namespace: string,
  component: AirflowUiComponent,
  token: string | undefined,
): Promise<{ identity: AirflowIdentity } | { refusal: ProxiedResponse }> {
  const airflow3 = component === 'api-server';
  if (!token) {
    return {
      refusal: airflow3
        ? {
            status: 401,
            body: { detail: 'Not authenticated' },
            headers: { 'WWW-Authenticate': 'Bearer' },
          }
        : AIRFLOW2_UNAUTHENTICATED,
    };
  }
  const key = readJwtKey(store, namespace);
  const check = key
    ? await verifyPortalToken(token, key, AIRFLOW_ACCESS.apiAudience)
    : undefined;
  if (check?.valid) {
    return { identity: check.identity };
  }
  if (!airflow3) {
    return { refusal: AIRFLOW2_UNAUTHENTICATED };
  }
  return {
    refusal: check?.expired
      ? { status: 401, body: { detail: 'Token Expired' } }
      : { status: 403, body: { detail: 'Invalid JWT token' } },
  };
}

/**
 * Answers a request to the simulated Airflow API (`request.route` is a
 * path without the query), or `undefined` when no such route exists.
 * `token` is the Airflow API token the request carries, if any.
 */
export async function answerAirflowApi(
  deps: AirflowApiDeps,
  namespace: string,
  component: AirflowUiComponent,
  request: AirflowRequest,
  token: string | undefined,
): Promise<ProxiedResponse | undefined> {
  const { health, dags, runs, queues } = deps;
  const { route, query, method } = request;
  const airflow3 = component === 'api-server';
  const version =
    health.version(namespace, component) ?? (airflow3 ? '3.0.0' : '2.10.0');
  const release = releaseOf(version);
  const prefix = airflow3 ? '/api/v2' : '/api/v1';
  const healthRoutes = airflow3
    ? ['/api/v2/monitor/health']
    : ['/health', '/api/v1/health'];
  const read = method === 'GET' || method === 'HEAD';
  if (read && healthRoutes.includes(route)) {
    return { status: 200, body: health.health(namespace) };
  }
  if (read && route === `${prefix}/version`) {
    return { status: 200, body: { version, git_version: null } };
  }
  const answer = read
    ? dagRoute(dags, namespace, release, prefix, route, query)
    : undefined;
  const runRoute = answer ? undefined : matchRunRoute(prefix, request);
  if (!answer && !runRoute) {
    return undefined;
  }
  const auth = await authenticateApiToken(
    deps.store,
    namespace,
    component,
    token,
  );
  if ('refusal' in auth) {
    return auth.refusal;
  }
  if (answer) {
    return answer();
  }
  return runRoute!.answer({
    dags,
    runs,
    queues,
    namespace,
    release,
    prefix,
    role: auth.identity.role,
  });
}
