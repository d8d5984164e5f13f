/*
 * Signing in to a Deployment's Airflow, end to end: the backend signs a
 * login ticket with the Deployment's jwt_secret, and the simulated Airflow
 * of the HA Deployment it rendered (which reads the key from the Secret the
 * backend applied) exchanges it for a session that holds on both
 * api-server replicas and after they are replaced. An Airflow API token the
 * backend signs opens the REST API; nothing else does.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import request from 'supertest';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(120_000);

const ORG = '/api/astro/organizations/acme';
const DEP = `${ORG}/deployments/sign-in`;

describe('signing in to Airflow on the simulator', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let simulator: KubernetesSimulator;
  let api: request.Agent;
  let stop: () => Promise<void>;
  let namespace: string;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    const backend = await startEngineTestBackend({
      knex: await databases.init('SQLITE_3'),
      simulator,
      encryptionKey: testEncryptionKey(),
    });
    api = backend.api;
    stop = backend.stop;
    await api
      .post('/api/astro/organizations')
      .send({ name: 'acme' })
      .expect(201);
    await api.post(`${ORG}/workspaces`).send({ name: 'data-eng' }).expect(201);
    const created = await api
      .post(`${ORG}/deployments`)
      .send({
        name: 'sign-in',
        workspace: 'data-eng',
        cluster: SIM_CLUSTER,
        settings: { highAvailability: true },
      })
      .expect(201);
    namespace = created.body.namespace;
    await waitFor(
      async () => {
        const { body } = await api.get(DEP).expect(200);
        return body.status === 'HEALTHY' && body.airflowUrl ? body : undefined;
      },
      { what: 'a healthy Deployment with an Airflow URL', timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await stop?.();
    await simulator?.stop();
  });

  async function kube(path: string, init: RequestInit = {}) {
    const response = await fetch(`${simulator.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${simulator.token}` },
    });
    expect(response.ok).toBe(true);
    return response.json();
  }

  async function readyApiServerPods(): Promise<string[]> {
    const list = await kube(`/api/v1/namespaces/${namespace}/pods`);
    return list.items
      .filter(
        (pod: any) =>
          pod.metadata.labels?.[ASTRO_LABELS.component] === 'api-server' &&
          !pod.metadata.deletionTimestamp &&
          pod.status?.conditions?.some(
            (c: any) => c.type === 'Ready' && c.status === 'True',
          ),
      )
      .map((pod: any) => pod.metadata.name)
      .sort();
  }

  /** Follows a login URL as a browser does; returns the session cookie. */
  async function signIn(): Promise<string> {
    const session = await api.post(`${DEP}/airflow/sessions`).expect(201);
    expect(session.body.role).toBe('ADMIN');
    const response = await fetch(session.body.loginUrl, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const cookie = response.headers.get('set-cookie');
    expect(cookie).toBeTruthy();
    return cookie!.split(';')[0];
  }

  async function page(cookie?: string) {
    const { airflowUrl } = (await api.get(DEP).expect(200)).body;
    const response = await fetch(`${airflowUrl}/`, {
      headers: cookie ? { Cookie: cookie } : {},
    });
    const html = await response.text();
    return {
      status: response.status,
      html,
      pod: /Served by pod <code>([^<]+)<\/code>/.exec(html)?.[1],
    };
  }

  it('recognises the portal user with their role on both replicas and after they are replaced', async () => {
    const cookie = await signIn();
    const before = await readyApiServerPods();
    expect(before).toHaveLength(2);

    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const view = await page(cookie);
      expect(view.status).toBe(200);
      expect(view.html).toContain('(user:default/mock) · role Admin');
      served.add(view.pod!);
    }
    expect([...served].sort()).toEqual(before);

    // Replace both api-server pods: the session is the Deployment's, not a pod's.
    for (const pod of before) {
      await kube(`/api/v1/namespaces/${namespace}/pods/${pod}`, {
        method: 'DELETE',
      });
    }
    const after = await waitFor(
      async () => {
        const pods = await readyApiServerPods();
        return pods.length === 2 && pods.every(p => !before.includes(p))
          ? pods
          : undefined;
      },
      { what: 'two new ready api-server pods' },
    );
    const view = await page(cookie);
    expect(view.status).toBe(200);
    expect(view.html).toContain('(user:default/mock) · role Admin');
    expect(after).toContain(view.pod);
  });

  it('refuses a browser without a session, and a replayed or tampered ticket', async () => {
    const anonymous = await page();
    expect(anonymous.status).toBe(401);
    expect(anonymous.html).toContain('Sign in through the portal');

    const { loginUrl } = (await api.post(`${DEP}/airflow/sessions`).expect(201))
      .body;
    const tampered = new URL(loginUrl);
    const ticket = tampered.searchParams.get('ticket')!;
    tampered.searchParams.set('ticket', `${ticket.slice(0, -4)}AAAA`);
    expect(
      (await fetch(tampered, { redirect: 'manual' })).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await fetch(loginUrl, { redirect: 'manual' })).status).toBe(302);
    // The simulated api-server remembers redeemed tickets until they expire.
    expect(
      (await fetch(loginUrl, { redirect: 'manual' })).status,
    ).toBeGreaterThanOrEqual(400);
  });

  it('opens the Airflow REST API with a token the portal signed, and only with it', async () => {
    const { body } = await api.post(`${DEP}/airflow/tokens`).expect(201);
    expect(body.apiUrl).toMatch(/\/api\/v2$/);
    const dags = await fetch(`${body.apiUrl}/dags`, {
      headers: { Authorization: `Bearer ${body.token}` },
    });
    expect(dags.status).toBe(200);
    expect(await dags.json()).toMatchObject({ total_entries: 0 });
    const refused = await fetch(`${body.apiUrl}/dags`);
    expect(refused.status).toBe(401);
  });
});
