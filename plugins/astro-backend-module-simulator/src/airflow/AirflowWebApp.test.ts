import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import {
  airflowComponent,
  componentService,
} from '../__testUtils__/airflowObjects';
import {
  airflowKeysSecret,
  newJwtKey,
  signApiToken,
  signInToSimulatedAirflow,
  signPortalToken,
  TestTokenOptions,
} from '../__testUtils__/airflowTokens';
import { eventually } from '../__testUtils__/http';

const NS = 'astro-acme-prod';
const OTHER_NS = 'astro-acme-dev';
const PORTAL_URL =
  'http://localhost:3000/astro/organizations/acme/deployments/prod';

describe('the simulated Airflow signs people in like the rendered one', () => {
  let simulator: KubernetesSimulator;
  let jwtSecret: string;
  let otherSecret: string;

  const apply = (...objects: KubernetesObject[]) =>
    objects.forEach(object =>
      simulator.control.applyObject(object, { fieldManager: 'astro' }),
    );
  const base = () => `${simulator.url}/airflow/${NS}`;
  const readyPodNames = (component: string, namespace = NS) =>
    simulator.control
      .listObjects({ apiVersion: 'v1', kind: 'Pod', namespace })
      .filter(
        pod =>
          pod.metadata.labels?.app === component &&
          !pod.metadata.deletionTimestamp &&
          ((pod.status as any)?.conditions ?? []).some(
            (c: any) => c.type === 'Ready' && c.status === 'True',
          ),
      )
      .map(pod => pod.metadata.name!)
      .sort();
  const airflow3 = (namespace: string, replicas: number) => {
    apply(
      componentService(namespace, 'api-server'),
      airflowComponent({
        namespace,
        component: 'api-server',
        dagSync: 'none',
        replicas,
      }),
    );
    return eventually(
      () => readyPodNames('api-server', namespace).length === replicas,
    );
  };
  const redeem = async (ticket: string) =>
    fetch(
      `${base()}${AIRFLOW_ACCESS.loginPath}?${
        AIRFLOW_ACCESS.ticketParameter
      }=${ticket}`,
      { redirect: 'manual' },
    );
  const signIn = (options: TestTokenOptions = {}) =>
    signInToSimulatedAirflow(simulator.url, NS, jwtSecret, options);
  const ui = async (cookie?: string) => {
    const response = await fetch(`${base()}/`, {
      headers: cookie ? { cookie } : {},
    });
    return {
      status: response.status,
      html: await response.text(),
      pod: response.headers.get('x-simulated-pod'),
    };
  };
  const api = async (path: string, token?: string) => {
    const response = await fetch(`${base()}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      body: await response.json(),
      authenticate: response.headers.get('www-authenticate'),
    };
  };

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({ podReadyDelayMs: 20 });
    jwtSecret = newJwtKey();
    otherSecret = newJwtKey();
    apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: OTHER_NS } },
      airflowKeysSecret(NS, jwtSecret),
      airflowKeysSecret(OTHER_NS, otherSecret),
    );
  });

  afterEach(() => simulator.stop());

  it('exchanges a ticket for an HttpOnly session cookie and shows who is signed in', async () => {
    await airflow3(NS, 1);
    const response = await redeem(await signPortalToken(jwtSecret));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/airflow/${NS}/`);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^_token=[\w-]+\.[\w-]+\.[\w-]+; /);
    expect(setCookie).toContain(`; Path=/airflow/${NS};`);
    expect(setCookie).toContain('; HttpOnly');
    expect(setCookie).toContain('; SameSite=Lax');

    const page = await ui(setCookie.split(';')[0]);
    expect(page.status).toBe(200);
    expect(page.html).toContain(
      'Signed in as Jane Doe (user:default/jane) · role Admin',
    );
    expect(page.html).toContain(`Served by pod <code>${page.pod}</code>`);
    expect(readyPodNames('api-server')).toContain(page.pod);
  });

  it('scopes the cookie and the redirect to the path a proxy in front forwards as its prefix', async () => {
    await airflow3(NS, 1);
    const prefix = '/api/astro/airflow/acme/prod';
    const response = await fetch(
      `${base()}${AIRFLOW_ACCESS.loginPath}?${
        AIRFLOW_ACCESS.ticketParameter
      }=${await signPortalToken(jwtSecret)}`,
      { redirect: 'manual', headers: { 'X-Forwarded-Prefix': `${prefix}/` } },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${prefix}/`);
    expect(response.headers.get('set-cookie')).toContain(`; Path=${prefix};`);
    // A prefix that could break out of the header is ignored.
    const odd = await fetch(
      `${base()}${AIRFLOW_ACCESS.loginPath}?${
        AIRFLOW_ACCESS.ticketParameter
      }=${await signPortalToken(jwtSecret)}`,
      {
        redirect: 'manual',
        headers: { 'X-Forwarded-Prefix': '/x; Domain=evil' },
      },
    );
    expect(odd.headers.get('set-cookie')).toContain(`; Path=/airflow/${NS};`);
  });

  it('shows ADMIN and VIEWER distinctly, and the subject when there is no name', async () => {
    await airflow3(NS, 1);
    const viewer = await ui(
      await signIn({ sub: 'user:default/joe', role: 'VIEWER', omit: ['name'] }),
    );
    expect(viewer.html).toContain(
      'Signed in as user:default/joe (user:default/joe) · role Viewer',
    );
    expect(viewer.html).not.toContain('role Admin');
    const admin = await ui(await signIn({ role: 'ADMIN' }));
    expect(admin.html).toContain('· role Admin');
    expect(admin.html).not.toContain('role Viewer');
  });

  it('keeps one session across both api-server replicas and across a restart', async () => {
    await airflow3(NS, 2);
    const before = readyPodNames('api-server');
    const cookie = await signIn();

    const servedBy = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const page = await ui(cookie);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Signed in as Jane Doe');
      servedBy.add(page.pod!);
    }
    expect([...servedBy].sort()).toEqual(before);

    // A restart: the pods are deleted and their ReplicaSet starts new ones.
    for (const name of before) {
      simulator.control.deleteObject({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: NS,
        name,
      });
    }
    const after = await eventually(() => {
      const names = readyPodNames('api-server');
      return names.length === 2 && names.every(n => !before.includes(n))
        ? names
        : undefined;
    });
    const again = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const page = await ui(cookie);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Signed in as Jane Doe');
      again.add(page.pod!);
    }
    expect([...again].sort()).toEqual(after);
  });

  it('refuses tickets that are forged, expired, for another audience or another Deployment', async () => {
    await airflow3(NS, 1);
    const refusals: Array<[string, Promise<string>, RegExp]> = [
      [
        'signed with another key',
        signPortalToken(newJwtKey()),
        /signature does not match/,
      ],
      [
        "signed with another namespace's key",
        signPortalToken(otherSecret),
        /signature does not match/,
      ],
      ['expired', signPortalToken(jwtSecret, { issuedAt: -120 }), /expired/],
      ['an API token', signApiToken(jwtSecret), /"aud" claim is not accepted/],
      [
        'of another issuer',
        signPortalToken(jwtSecret, { issuer: 'someone-else' }),
        /"iss" claim is not accepted/,
      ],
      [
        'signed with HS256',
        signPortalToken(jwtSecret, { alg: 'HS256' }),
        /not signed with HS512/,
      ],
      [
        'with an unknown role',
        signPortalToken(jwtSecret, { role: 'SUPERUSER' }),
        /"role" claim must be one of ADMIN, OP, USER, VIEWER/,
      ],
      [
        'without a deployment',
        signPortalToken(jwtSecret, { omit: ['deployment'] }),
        /no "deployment" claim/,
      ],
      [
        'without a jti',
        signPortalToken(jwtSecret, { omit: ['jti'] }),
        /no "jti" claim/,
      ],
      [
        'living longer than a minute',
        signPortalToken(jwtSecret, { expiresIn: 3600 }),
        /longer than 60 seconds/,
      ],
      ['not a JWT', Promise.resolve('not.a.jwt'), /not a well-formed JWT/],
    ];
    for (const [what, ticket, reason] of refusals) {
      const response = await redeem(await ticket);
      const html = (await response.text()).replace(/&quot;/g, '"');
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect({ what, html }).toEqual({
        what,
        html: expect.stringMatching(reason),
      });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const missing = await fetch(`${base()}${AIRFLOW_ACCESS.loginPath}`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain(
      'has no &quot;ticket&quot; parameter',
    );
  });

  it('redeems a ticket once', async () => {
    await airflow3(NS, 1);
    const ticket = await signPortalToken(jwtSecret);
    expect((await redeem(ticket)).status).toBe(302);
    const again = await redeem(ticket);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('already used');
  });

  it('asks to sign in through the portal without a valid session, linking to the portal page when configured', async () => {
    await airflow3(NS, 1);
    const anonymous = await ui();
    expect(anonymous.status).toBe(401);
    expect(anonymous.html).toContain('Sign in through the portal');
    expect(anonymous.html).not.toContain('<a href=');

    apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'airflow-config', namespace: NS },
      data: { AIRFLOW_PORTAL_DEPLOYMENT_URL: PORTAL_URL },
    });
    const linked = await ui('_token=garbage');
    expect(linked.status).toBe(401);
    expect(linked.html).toContain(`<a href="${PORTAL_URL}">`);
    expect(linked.html).toContain('no longer valid');
  });

  it('ends every session when the key is rotated', async () => {
    await airflow3(NS, 1);
    const cookie = await signIn();
    expect((await ui(cookie)).status).toBe(200);
    jwtSecret = newJwtKey();
    apply(airflowKeysSecret(NS, jwtSecret));
    const ended = await ui(cookie);
    expect(ended.status).toBe(401);
    expect(ended.html).toContain('Sign in through the portal');
    expect((await ui(await signIn())).status).toBe(200);
  });

  it('answers 503 while no api-server pod is Ready', async () => {
    const none = await ui();
    expect(none.status).toBe(503);
    expect(none.html).toContain('no Airflow api-server or webserver Service');
    apply(componentService(NS, 'api-server'));
    const unready = await ui();
    expect(unready.status).toBe(503);
    expect(unready.html).toContain('No Ready pod backs the api-server Service');
  });

  it('requires an Airflow API token for DAG routes of the Airflow 3 REST API, not for health and version', async () => {
    await airflow3(NS, 1);
    expect(await api('/api/v2/dags')).toEqual({
      status: 401,
      body: { detail: 'Not authenticated' },
      authenticate: 'Bearer',
    });
    expect(
      await api(
        '/api/v2/dags',
        await signApiToken(jwtSecret, { issuedAt: -7200 }),
      ),
    ).toMatchObject({ status: 401, body: { detail: 'Token Expired' } });
    for (const forged of [
      await signApiToken(otherSecret),
      await signPortalToken(jwtSecret),
      'garbage',
    ]) {
      expect(await api('/api/v2/importErrors', forged)).toMatchObject({
        status: 403,
        body: { detail: 'Invalid JWT token' },
      });
    }
    const token = await signApiToken(jwtSecret, { role: 'VIEWER' });
    expect(await api('/api/v2/dags', token)).toMatchObject({
      status: 200,
      body: { dags: [], total_entries: 0 },
    });
    // The session cookie works too: it is an API token of the same identity.
    const cookie = await signIn();
    expect(
      await api('/api/v2/importErrors', cookie.slice('_token='.length)),
    ).toMatchObject({ status: 200, body: { total_entries: 0 } });
    expect((await api('/api/v2/monitor/health')).status).toBe(200);
    expect((await api('/api/v2/version')).body).toEqual({
      version: '3.0.2',
      git_version: null,
    });
  });

  it("answers Airflow 2's problem document without a token, and keeps /health public", async () => {
    apply(
      componentService(NS, 'webserver'),
      airflowComponent({
        namespace: NS,
        component: 'webserver',
        image: 'apache/airflow:2.10.5',
        dagSync: 'none',
      }),
    );
    await eventually(() => readyPodNames('webserver').length === 1);
    const unauthenticated = {
      status: 401,
      body: {
        detail: null,
        status: 401,
        title: 'Unauthorized',
        type: expect.stringMatching(/#section\/Errors\/Unauthenticated$/),
      },
    };
    expect(await api('/api/v1/dags')).toMatchObject(unauthenticated);
    expect(
      await api('/api/v1/dags', await signApiToken(otherSecret)),
    ).toMatchObject(unauthenticated);
    expect(
      (await api('/api/v1/dags', await signApiToken(jwtSecret))).status,
    ).toBe(200);
    expect((await api('/health')).status).toBe(200);
    expect((await api('/api/v1/version')).body.version).toBe('2.10.5');
    // Airflow 2 keeps its session in Flask's `session` cookie.
    const cookie = await signIn();
    expect(cookie).toMatch(/^session=/);
    expect((await ui(cookie)).html).toContain('Signed in as Jane Doe');
  });

  it('needs the token in the proxy token header behind the service proxy', async () => {
    await airflow3(NS, 1);
    const proxied = async (path: string, token?: string) => {
      const response = await fetch(
        `${simulator.url}/api/v1/namespaces/${NS}/services/api-server:8080/proxy${path}`,
        {
          headers: {
            Authorization: `Bearer ${simulator.token}`,
            ...(token ? { [AIRFLOW_ACCESS.proxyTokenHeader]: token } : {}),
          },
        },
      );
      return { status: response.status, body: await response.json() };
    };
    expect(await proxied('/api/v2/dags')).toEqual({
      status: 401,
      body: { detail: 'Not authenticated' },
    });
    expect(
      (await proxied('/api/v2/dags', await signApiToken(otherSecret))).status,
    ).toBe(403);
    expect(
      (await proxied('/api/v2/dags', await signApiToken(jwtSecret))).status,
    ).toBe(200);
    expect((await proxied('/api/v2/monitor/health')).status).toBe(200);
  });
});
