import { TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { catalogEntity } from '../__testUtils__/startAstroTestBackend';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';
import { TestDatabaseClient } from '../store/__testUtils__/snapshotTables';
import { WebhookReceiver } from './__testUtils__/WebhookReceiver';

jest.setTimeout(240_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ORG = '/api/astro/organizations/acme';
const DEPS = `${ORG}/deployments`;

/**
 * End to end: a Deployment on the simulator crash-loops, the engine opens
 * an incident, the alert rule of its workspace delivers it once to a real
 * webhook server and once through Backstage's real notifications backend
 * to the workspace's owners; when it recovers, the resolution follows,
 * and the notification about the incident is updated in place.
 */
describe('alerts end to end', () => {
  let simulator: KubernetesSimulator;
  let receiver: WebhookReceiver;
  let backend: Awaited<ReturnType<typeof startEngineTestBackend>>;
  let notificationsDb: TestDatabaseClient;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    receiver = await WebhookReceiver.start();
    notificationsDb = await databases.init('SQLITE_3');
    backend = await startEngineTestBackend({
      knex: await databases.init('SQLITE_3'),
      simulator,
      encryptionKey: testEncryptionKey(),
      config: {
        // The test's webhook receiver listens on this host.
        alerts: {
          webhook: { initialBackoffMs: 50, allowPrivateNetworks: true },
        },
      },
      rootConfig: { app: { baseUrl: 'http://portal.test' } },
      features: [
        import('@backstage/plugin-notifications-backend'),
        catalogServiceMock.factory({
          entities: [
            catalogEntity('user:default/mock', [
              { type: 'memberOf', targetRef: 'group:default/data-engineering' },
            ]),
            catalogEntity('group:default/data-engineering', [
              { type: 'hasMember', targetRef: 'user:default/mock' },
            ]),
          ],
        }),
      ],
      pluginDatabases: { notifications: notificationsDb },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await simulator?.stop();
    await receiver?.stop();
  });

  it('a crash-looping Deployment alerts once per channel, then its recovery', async () => {
    const { api } = backend;
    await api
      .post('/api/astro/organizations')
      .send({ name: 'acme' })
      .expect(201);
    await api
      .post(`${ORG}/workspaces`)
      .send({ name: 'data-eng', owner: 'group:default/data-engineering' })
      .expect(201);
    const rule = await api
      .post(`${ORG}/workspaces/data-eng/alert-rules`)
      .send({
        name: 'incidents',
        type: 'incident',
        minSeverity: 'warning',
        channels: [
          { type: 'notifications' },
          {
            type: 'webhook',
            url: receiver.url('/hook'),
            secretHeader: { name: 'Authorization', value: 'Bearer e2e-s3cr3t' },
          },
        ],
      })
      .expect(201);
    const created = await api
      .post(DEPS)
      .send({ name: 'crashy', workspace: 'data-eng', cluster: SIM_CLUSTER })
      .expect(201);
    const status = async () => (await api.get(`${DEPS}/crashy`)).body.status;
    await waitFor(async () => (await status()) === 'HEALTHY', {
      what: 'crashy HEALTHY',
      timeoutMs: 90_000,
    });

    simulator.control.setCrashLoop(created.body.namespace, 'scheduler');
    const [opened] = await waitFor(
      async () => {
        const hooks = receiver.to('/hook');
        return hooks.length > 0 ? hooks : undefined;
      },
      { what: 'the incident webhook', timeoutMs: 90_000 },
    );
    expect(opened.headers.authorization).toBe('Bearer e2e-s3cr3t');
    expect(opened.body).toMatchObject({
      event: 'incident-opened',
      severity: 'critical',
      deployment: { name: 'crashy', workspace: 'data-eng' },
      incident: { state: 'open', component: 'scheduler' },
    });
    const notifications = await waitFor(
      async () => {
        const rows = await notificationsDb('notification').select();
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the notification' },
    );
    expect(notifications).toEqual([
      expect.objectContaining({
        user: 'user:default/mock',
        title: opened.body.title,
        severity: 'critical',
        topic: 'astro-alerts',
        scope: `astro:incident:${opened.body.incident.id}`,
        link: expect.stringMatching(
          /\/organizations\/acme\/deployments\/crashy$/,
        ),
      }),
    ]);

    // More passes and health checks of the still-failing Deployment
    // deliver nothing more.
    await new Promise(resolve => setTimeout(resolve, 4000));
    expect(receiver.to('/hook')).toHaveLength(1);
    expect(await notificationsDb('notification').select()).toHaveLength(1);

    simulator.control.setCrashLoop(created.body.namespace, 'scheduler', false);
    const resolved = await waitFor(async () => receiver.to('/hook')[1], {
      what: 'the resolution webhook',
      timeoutMs: 90_000,
    });
    expect(resolved.body).toMatchObject({
      event: 'incident-resolved',
      incident: { id: opened.body.incident.id, state: 'resolved' },
    });
    // Same scope: the user's notification is updated, not duplicated.
    const after = await waitFor(
      async () => {
        const rows = await notificationsDb('notification').select();
        return rows.length === 1 && rows[0].title !== opened.body.title
          ? rows
          : undefined;
      },
      { what: 'the notification updated' },
    );
    expect(after[0].title).toMatch(/resolved/);

    const deliveries = await api
      .get(`${ORG}/alert-rules/${rule.body.id}/deliveries`)
      .expect(200);
    expect(
      deliveries.body.items
        .map((d: any) => `${d.eventType} ${d.channelType} ${d.status}`)
        .sort(),
    ).toEqual([
      'incident-opened notifications sent',
      'incident-opened webhook sent',
      'incident-resolved notifications sent',
      'incident-resolved webhook sent',
    ]);
    expect(JSON.stringify(deliveries.body)).not.toContain('e2e-s3cr3t');
  });
});
