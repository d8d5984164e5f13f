import { TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startAstroTestBackend } from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

/**
 * Three queues at full scale: 10 × A5, 5 × A10 and 3 × A20 workers, each
 * with a DAG sync sidecar (100m / 256Mi): 11 + 10.5 + 12.3 = 33.8 CPU, as
 * many again draining during a rollout (grace period 24 h), 4.8 CPU of
 * components (in-namespace PostgreSQL: the test backend has no
 * provisioner) and 4.05 CPU of rollout surge: 76.45 CPU.
 */
const THREE_QUEUES = [
  { name: 'default', isDefault: true, workerSize: 'A5', maxWorkers: 10 },
  { name: 'etl', workerSize: 'A10', maxWorkers: 5 },
  { name: 'ml-heavy', workerSize: 'A20', maxWorkers: 3 },
];

describe.each(databases.eachSupportedId())(
  'the namespace quota on writes on %s',
  databaseId => {
    /** A test backend; `config` goes under `astro`. */
    async function setup(config?: JsonObject) {
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        ...(config ? { config } : {}),
      });
      const api = request(backend.server);
      await api.post('/api/astro/organizations').send({ name: 'acme' });
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng' });
      return { ...backend, api };
    }

    it('accepts the default settings with the default quota', async () => {
      const { api } = await setup();
      const created = await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      expect(created.body.settings.resourceQuota).toEqual({
        cpu: '40',
        memory: '80Gi',
      });
    });

    it('refuses a create whose quota cannot hold its queues, naming the fields and numbers', async () => {
      const { api } = await setup();
      const refused = await api
        .post('/api/astro/organizations/acme/deployments')
        .send({
          name: 'etl',
          workspace: 'data-eng',
          settings: {
            workerQueues: THREE_QUEUES,
            resourceQuota: { cpu: '20', memory: '40Gi' },
          },
        })
        .expect(400);
      const { message } = refused.body.error;
      expect(refused.body.error.name).toBe('InputError');
      expect(message).toContain(
        'settings.resourceQuota.cpu: 20 is less than the 76450m CPU',
      );
      expect(message).toContain('settings.resourceQuota.memory: 40Gi');
      expect(message).toContain('settings.workerQueues[1].maxWorkers');
      expect(message).toContain('settings.workerQueues[2].workerSize');
      expect(message).toContain('settings.workerGracePeriodSeconds');
      await api
        .get('/api/astro/organizations/acme/deployments/etl')
        .expect(404);

      // The same queues with a quota that holds them.
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({
          name: 'etl',
          workspace: 'data-eng',
          settings: {
            workerQueues: THREE_QUEUES,
            resourceQuota: { cpu: '77', memory: '160Gi' },
          },
        })
        .expect(201);
    });

    it('refuses an update that outgrows the stored quota and keeps the Deployment as it was', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      const refused = await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({
          settings: {
            workerQueues: [
              { name: 'default', isDefault: true, maxWorkers: 30 },
            ],
          },
        })
        .expect(400);
      expect(refused.body.error.message).toMatch(
        /^settings\.resourceQuota\.cpu: 40 is less than the 74850m CPU/,
      );
      expect(refused.body.error.message).toContain(
        'settings.workerQueues[0].maxWorkers',
      );
      const after = await api
        .get('/api/astro/organizations/acme/deployments/etl')
        .expect(200);
      expect(after.body.generation).toBe(1);
      expect(after.body.settings.workerQueues[0].maxWorkers).toBe(10);
    });

    it('refuses a Kubernetes-executor Deployment whose quota holds no task pod', async () => {
      const { api } = await setup();
      const refused = await api
        .post('/api/astro/organizations/acme/deployments')
        .send({
          name: 'k8s',
          workspace: 'data-eng',
          settings: {
            executor: 'KUBERNETES',
            resourceQuota: { cpu: '8', memory: '40Gi' },
          },
        })
        .expect(400);
      expect(refused.body.error.message).toContain(
        'settings.defaultTaskPodSize',
      );
    });

    it('refuses an imported Deployment file whose quota is too small', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      const exported = await api
        .get('/api/astro/organizations/acme/deployments/etl/spec')
        .expect(200);
      const file = parseYaml(exported.text);
      file.metadata.name = 'etl-big';
      file.spec.settings.workerQueues = THREE_QUEUES;
      const refused = await api
        .post('/api/astro/organizations/acme/deployments:import')
        .set('Content-Type', 'application/yaml')
        .send(stringifyYaml(file))
        .expect(400);
      expect(refused.body.error.message).toContain(
        'settings.resourceQuota.cpu',
      );
    });

    it('accepts an oversubscribed quota where the platform allows it', async () => {
      const { api } = await setup({
        deployments: { allowQuotaOversubscription: true },
      });
      const created = await api
        .post('/api/astro/organizations/acme/deployments')
        .send({
          name: 'etl',
          workspace: 'data-eng',
          settings: {
            workerQueues: THREE_QUEUES,
            resourceQuota: { cpu: '20', memory: '40Gi' },
          },
        })
        .expect(201);
      expect(created.body.settings.resourceQuota.cpu).toBe('20');
    });
  },
);
