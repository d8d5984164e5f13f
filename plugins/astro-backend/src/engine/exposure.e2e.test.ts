import { TestDatabases } from '@backstage/backend-test-utils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { ClusterDeclaration } from '@airflow-portal/plugin-astro-node';
import request from 'supertest';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';

jest.setTimeout(180_000);

/*
 * The cluster's routing, logging and KEDA settings, end to end: the real
 * Kubernetes driver applies the route to the simulator over HTTP and the
 * status writer advertises the URL people can open.
 */

const databases = TestDatabases.create();
const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

async function createHealthy(api: request.Agent, name: string) {
  await api.post('/api/astro/organizations').send({ name: 'acme' }).expect(201);
  await api.post(`${ORG}/workspaces`).send({ name: 'data-eng' }).expect(201);
  const created = await api
    .post(DEPS)
    .send({ name, workspace: 'data-eng', cluster: SIM_CLUSTER })
    .expect(201);
  expect(created.body.airflowUrl ?? null).toBeNull();
  return waitFor(
    async () => {
      const response = await api.get(`${DEPS}/${name}`);
      return response.body.status === 'HEALTHY' ? response.body : undefined;
    },
    { what: `${name} HEALTHY`, timeoutMs: 60_000 },
  );
}

function conditionOf(deployment: any, type: string) {
  return deployment.conditions.find((c: any) => c.type === type);
}

describe.each(databases.eachSupportedId())(
  'routes, task logs and KEDA of a cluster on %s',
  databaseId => {
    let simulator: KubernetesSimulator;

    beforeEach(async () => {
      simulator = await startTestSimulator();
    });

    afterEach(async () => {
      await simulator.stop();
    });

    it('renders the Ingress, advertises its HTTPS URL once Airflow is ready, and lets KEDA in from its namespace', async () => {
      const backend = await startEngineTestBackend({
        knex: await databases.init(databaseId),
        simulator,
        encryptionKey: testEncryptionKey(),
        cluster: {
          driver: 'kubernetes',
          airflowUrlTemplate: undefined,
          airflowIngress: {
            className: 'nginx',
            hostTemplate: '{deployment}.{organization}.airflow.example.com',
            tls: { secretName: 'airflow-ui-tls' },
          },
          keda: {
            namespace: 'autoscaling',
            operatorPodLabels: { app: 'keda-operator' },
          },
        },
      });
      try {
        const healthy = await createHealthy(backend.api, 'etl');
        expect(healthy.airflowUrl).toBe('https://etl.acme.airflow.example.com');
        expect(conditionOf(healthy, 'AirflowUiRouted')).toMatchObject({
          status: 'True',
          reason: 'Ingress',
        });
        expect(conditionOf(healthy, 'LogsDurable')).toMatchObject({
          status: 'False',
          reason: 'NoRemoteLogging',
        });
        const { namespace } = healthy;
        const [ingress] = simulator.control.listObjects({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          namespace,
        }) as any[];
        expect(ingress.metadata.name).toBe('airflow-ui');
        expect(ingress.spec.rules[0].host).toBe('etl.acme.airflow.example.com');
        expect(ingress.spec.tls).toEqual([
          {
            hosts: ['etl.acme.airflow.example.com'],
            secretName: 'airflow-ui-tls',
          },
        ]);
        const policy = simulator.control
          .listObjects({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'NetworkPolicy',
            namespace,
          })
          .find(p => p.metadata.name === 'allow-keda-to-database') as any;
        expect(policy.spec.ingress[0].from[0]).toEqual({
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'autoscaling' },
          },
          podSelector: { matchLabels: { app: 'keda-operator' } },
        });

        // The API server going down takes the link away until it is back.
        simulator.control.setCrashLoop(namespace, 'api-server', true);
        await waitFor(
          async () =>
            ((await backend.api.get(`${DEPS}/etl`)).body.airflowUrl ?? null) ===
            null,
          { what: 'the link to go while the API server is down' },
        );
        simulator.control.setCrashLoop(namespace, 'api-server', false);
        await waitFor(
          async () =>
            (await backend.api.get(`${DEPS}/etl`)).body.airflowUrl ===
            'https://etl.acme.airflow.example.com',
          { what: 'the link to come back' },
        );
      } finally {
        await backend.stop();
      }
    });

    it('renders again when a cluster source changes the declaration while the backend runs', async () => {
      const cluster: Partial<ClusterDeclaration> = {
        driver: 'kubernetes',
        airflowUrlTemplate: undefined,
        airflowIngress: {
          className: 'nginx',
          hostTemplate: '{deployment}.old.example.com',
        },
      };
      const backend = await startEngineTestBackend({
        knex: await databases.init(databaseId),
        simulator,
        encryptionKey: testEncryptionKey(),
        cluster,
      });
      const hostOf = (namespace: string) =>
        (
          simulator.control.listObjects({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            namespace,
          }) as any[]
        )[0]?.spec.rules[0].host;
      try {
        const healthy = await createHealthy(backend.api, 'etl');
        expect(hostOf(healthy.namespace)).toBe('etl.old.example.com');
        // The source answers with the new host from now on; the
        // Deployment's generation stays the same.
        cluster.airflowIngress = {
          className: 'nginx',
          hostTemplate: '{deployment}.new.example.com',
        };
        const seen = new Set<string>();
        await waitFor(
          async () => {
            const { body } = await backend.api.get(`${DEPS}/etl`);
            seen.add(body.status);
            return (
              hostOf(healthy.namespace) === 'etl.new.example.com' &&
              body.airflowUrl === 'http://etl.new.example.com'
            );
          },
          { what: 'the Ingress and the advertised URL on the new host' },
        );
        // The connection is kept: no request of a pass is cut off.
        expect([...seen]).not.toContain('UNKNOWN');
        expect((await backend.api.get(`${DEPS}/etl`)).body.generation).toBe(
          healthy.generation,
        );
      } finally {
        await backend.stop();
      }
    });

    it('advertises nothing on a loopback URL outside the simulator, or without the Gateway API', async () => {
      const loopback = await startEngineTestBackend({
        knex: await databases.init(databaseId),
        simulator,
        encryptionKey: testEncryptionKey(),
        cluster: { driver: 'kubernetes' },
      });
      try {
        const healthy = await createHealthy(loopback.api, 'etl');
        // The simulator's URL template is on 127.0.0.1.
        expect(healthy.airflowUrl ?? null).toBeNull();
      } finally {
        await loopback.stop();
      }
      const gateway = await startEngineTestBackend({
        knex: await databases.init(databaseId),
        simulator,
        encryptionKey: testEncryptionKey(),
        cluster: {
          airflowUrlTemplate: undefined,
          airflowGateway: {
            parentRefs: [{ name: 'platform', namespace: 'gateway-system' }],
            hostTemplate: '{deployment}.airflow.example.com',
          },
        },
      });
      try {
        const healthy = await createHealthy(gateway.api, 'etl');
        expect(healthy.airflowUrl ?? null).toBeNull();
        expect(conditionOf(healthy, 'AirflowUiRouted')).toMatchObject({
          status: 'False',
          reason: 'GatewayApiNotServed',
        });
      } finally {
        await gateway.stop();
      }
    });
  },
);
