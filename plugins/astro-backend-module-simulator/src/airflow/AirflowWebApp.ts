/**
 * The simulated Airflow behind a simulated Deployment's Airflow URL
 * (`<simulator>/airflow/{namespace}`), modelled on how the rendered Airflow
 * signs people in:
 *
 * - `GET /auth/portal?ticket=<jwt>` checks a portal login ticket with the
 *   key in the namespace's Secret `airflow-keys`, refuses a ticket used
 *   before, and starts a session: an HttpOnly, SameSite=Lax cookie holding
 *   a JWT the simulated Airflow signs with the same key (Airflow 3 keeps its
 *   `_token` that way), then redirects to the UI.
 * - `GET /` with a valid session shows who is signed in, with which role,
 *   and which pod served the request; without one it asks to sign in
 *   through the portal.
 * - The REST API (`/api/v2`, or `/api/v1` and `/health` on Airflow 2) takes
 *   `Authorization: Bearer <Airflow API token>` ({@link answerAirflowApi}).
 *
 * Requests are balanced round-robin over the Ready pods of the api-server
 * (webserver) Service, as an ingress would; the key is read on every
 * request, so each pod, and a pod that restarted, accepts the same session.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { AirflowApiDeps, answerAirflowApi } from './airflowApi';
import { readJwtKey, readPortalDeploymentUrl } from './airflowKeys';
import { renderAirflowNoticePage, renderAirflowUiPage } from './airflowUiPage';
import {
  airflowUiService,
  AirflowUiComponent,
  readyEndpoints,
} from './endpoints';
import {
  CLOCK_LEEWAY_SECONDS,
  SESSION_LIFETIME_SECONDS,
  signSessionToken,
  verifyPortalToken,
} from './portalTokens';

/** The session cookie: Airflow 3's `_token`, Flask's `session` on Airflow 2. */
const SESSION_COOKIE: Record<AirflowUiComponent, string> = {
  'api-server': '_token',
  webserver: 'session',
};

/** Header naming the simulated pod that served a request. */
export const SERVED_BY_HEADER = 'x-simulated-pod';

interface Notice {
  status: number;
  heading: string;
  reason: string;
  portalUrl?: string;
}

function cookies(req: IncomingMessage): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) {
      const name = part.slice(0, index).trim();
      if (!found.has(name)) {
        found.set(name, part.slice(index + 1).trim());
      }
    }
  }
  return found;
}

/**
 * The path people reach `/airflow/{namespace}` under: `X-Forwarded-Prefix`
 * when a proxy in front (the portal's backend, an ingress) serves it
 * elsewhere, else the simulator's own path.
 */
function publicBasePath(req: IncomingMessage, namespace: string): string {
  const forwarded = req.headers['x-forwarded-prefix'];
  const prefix = (Array.isArray(forwarded) ? forwarded[0] : forwarded)
    ?.trim()
    .replace(/\/+$/, '');
  if (prefix && /^\/[A-Za-z0-9._~!$&'()*+=:@%/-]*$/.test(prefix)) {
    return prefix;
  }
  return `/airflow/${namespace}`;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(html);
}

/** Serves the simulated Airflow URLs of every namespace. */
export class AirflowWebApp {
  private readonly turns = new Map<string, number>();
  /** Tickets redeemed, by `jti`, until they expire (Airflow keeps them in its database). */
  private readonly redeemed = new Map<string, number>();

  constructor(private readonly deps: AirflowApiDeps) {}

  /** Answers a request for `path` under `/airflow/{namespace}`. */
  async handle(
    namespace: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const notice = (n: Notice, headers?: Record<string, string>) =>
      sendHtml(res, n.status, renderAirflowNoticePage(namespace, n), headers);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      notice(
        {
          status: 405,
          heading: 'Method not allowed',
          reason: `The simulated Airflow answers GET only, not ${req.method}.`,
        },
        { Allow: 'GET, HEAD' },
      );
      return;
    }
    const ui = airflowUiService(this.deps.store, namespace);
    const pods = ui ? readyEndpoints(this.deps.store, ui.service) : [];
    if (!ui || pods.length === 0) {
      notice({
        status: 503,
        heading: 'Airflow is not serving',
        reason: ui
          ? `No Ready pod backs the ${ui.component} Service "${ui.service.metadata.name}" yet.`
          : 'This namespace has no Airflow api-server or webserver Service.',
      });
      return;
    }
    const pod = this.nextPod(namespace, pods);
    const served = { [SERVED_BY_HEADER]: pod };
    if (path.startsWith('/api/') || path === '/health') {
      const answer = await answerAirflowApi(
        this.deps,
        namespace,
        ui.component,
        {
          method: 'GET',
          route: path,
          query: url.searchParams,
          body: undefined,
        },
        bearerToken(req),
      );
      const body = JSON.stringify(answer?.body ?? { detail: 'Not Found' });
      res.writeHead(answer?.status ?? 404, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        ...answer?.headers,
        ...served,
      });
      res.end(body);
      return;
    }
    if (path === AIRFLOW_ACCESS.loginPath) {
      await this.login(
        namespace,
        ui.component,
        url,
        publicBasePath(req, namespace),
        res,
        served,
        notice,
      );
      return;
    }
    if (path !== '/') {
      notice({
        status: 404,
        heading: 'Not found',
        reason: `The simulated Airflow has no page at ${path}.`,
      });
      return;
    }
    const portalUrl = readPortalDeploymentUrl(this.deps.store, namespace);
    const key = readJwtKey(this.deps.store, namespace);
    const session = cookies(req).get(SESSION_COOKIE[ui.component]);
    const check =
      session && key
        ? await verifyPortalToken(session, key, AIRFLOW_ACCESS.apiAudience)
        : undefined;
    if (!check?.valid) {
      let reason = 'You are not signed in to this Airflow.';
      if (check?.expired) {
        reason = 'Your Airflow session has expired.';
      } else if (session) {
        reason = `Your Airflow session is no longer valid: ${
          check?.reason ?? "the Deployment's key is missing"
        }.`;
      }
      notice(
        {
          status: 401,
          heading: 'Sign in through the portal',
          reason,
          portalUrl,
        },
        served,
      );
      return;
    }
    sendHtml(
      res,
      200,
      renderAirflowUiPage(
        namespace,
        this.deps.health.health(namespace),
        this.dagSummary(namespace, ui.component),
        { identity: check.identity, pod },
      ),
      served,
    );
  }

  private async login(
    namespace: string,
    component: AirflowUiComponent,
    url: URL,
    basePath: string,
    res: ServerResponse,
    served: Record<string, string>,
    notice: (n: Notice, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const refuse = (status: number, reason: string) =>
      notice(
        {
          status,
          heading: 'Sign-in refused',
          reason,
          portalUrl: readPortalDeploymentUrl(this.deps.store, namespace),
        },
        served,
      );
    const ticket = url.searchParams.get(AIRFLOW_ACCESS.ticketParameter);
    if (!ticket) {
      refuse(
        400,
        `The sign-in link has no "${AIRFLOW_ACCESS.ticketParameter}" parameter.`,
      );
      return;
    }
    const key = readJwtKey(this.deps.store, namespace);
    if (!key) {
      refuse(
        503,
        'This Airflow has no JWT key (Secret "airflow-keys", key "jwt-secret").',
      );
      return;
    }
    const check = await verifyPortalToken(
      ticket,
      key,
      AIRFLOW_ACCESS.ticketAudience,
      { maxLifetimeSeconds: AIRFLOW_ACCESS.ticketLifetimeSeconds },
    );
    if (!check.valid) {
      refuse(401, `The sign-in ticket is not accepted: ${check.reason}.`);
      return;
    }
    if (!this.redeem(`${namespace}/${check.jti}`, check.exp)) {
      refuse(401, 'The sign-in ticket was already used; open Airflow again.');
      return;
    }
    const session = await signSessionToken(check.identity, key);
    res.writeHead(302, {
      Location: `${basePath}/`,
      'Set-Cookie': `${SESSION_COOKIE[component]}=${session}; Path=${basePath}; Max-Age=${SESSION_LIFETIME_SECONDS}; HttpOnly; SameSite=Lax`,
      'Cache-Control': 'no-store',
      'Content-Length': 0,
      ...served,
    });
    res.end();
  }

  /** Marks a ticket redeemed; `false` when it was before. */
  private redeem(id: string, exp: number): boolean {
    const now = Date.now() / 1000;
    for (const [known, expiry] of this.redeemed) {
      if (expiry + CLOCK_LEEWAY_SECONDS < now) {
        this.redeemed.delete(known);
      }
    }
    if (this.redeemed.has(id)) {
      return false;
    }
    this.redeemed.set(id, exp);
    return true;
  }

  /** The next Ready pod in turn, like an ingress balancing round-robin. */
  private nextPod(namespace: string, pods: KubernetesObject[]): string {
    const turn = this.turns.get(namespace) ?? 0;
    this.turns.set(namespace, turn + 1);
    return pods[turn % pods.length].metadata.name!;
  }

  private dagSummary(namespace: string, component: AirflowUiComponent) {
    const version =
      this.deps.health.version(namespace, component) ??
      this.deps.health.version(namespace, 'scheduler') ??
      (component === 'api-server' ? '3.0.0' : '2.10.0');
    const [major, minor] = version.split('.').map(Number);
    return this.deps.dags.summary(namespace, {
      major: major || 0,
      minor: minor || 0,
    });
  }
}
