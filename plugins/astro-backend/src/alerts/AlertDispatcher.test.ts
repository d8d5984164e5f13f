import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  catalogEntity,
  CollectingLogger,
  startAstroTestBackend,
} from '../__testUtils__/startAstroTestBackend';
import { AstroDatabase } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { AlertDispatcher } from './AlertDispatcher';
import { AlertRecipients } from './AlertRecipients';
import { NotificationChannel } from './channels/NotificationChannel';
import { WebhookTargetPolicy } from './channels/WebhookTargetPolicy';
import { WebhookChannel } from './channels/WebhookChannel';
import { deploymentLinkFromConfig } from './createAlerts';
import { WebhookReceiver } from './__testUtils__/WebhookReceiver';

jest.setTimeout(90_000);

const databases = TestDatabases.create();
const ORG = '/api/astro/organizations/acme';
const HEADER_SECRET = 'Bearer hook-s3cr3t-value';
const SLACK_PATH = '/services/T0/B0/sl4ck-s3cr3t';

function user(ref: string, email: string): Entity {
  const entity = catalogEntity(ref);
  return { ...entity, spec: { profile: { email } } };
}

const ENTITIES = [
  catalogEntity('user:default/mock'),
  user('user:default/ada', 'ada@example.com'),
  catalogEntity('group:default/data-engineering'),
];

/** Records what is sent: the notifications backend's place, in tests only. */
function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  const service: NotificationService = {
    async send(options) {
      sent.push(options);
    },
  };
  return { sent, service };
}

describe.each(databases.eachSupportedId())(
  'alert dispatch on %s',
  databaseId => {
    let receiver: WebhookReceiver;
    beforeEach(async () => {
      receiver = await WebhookReceiver.start();
    });
    afterEach(async () => {
      await receiver.stop();
    });

    async function setUp(channels: unknown[]) {
      const encryptionKey = randomBytes(32).toString('base64');
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        encryptionKey,
        catalogEntities: ENTITIES,
        // The rules name the test's receiver on this host.
        config: { alerts: { webhook: { allowPrivateNetworks: true } } },
      });
      const api = request(backend.server);
      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await api
        .post(`${ORG}/workspaces`)
        .send({ name: 'data-eng', owner: 'group:default/data-engineering' })
        .expect(201);
      await api
        .put(`${ORG}/workspaces/data-eng/roles`)
        .send({ principal: 'user:default/ada', role: 'WORKSPACE_AUTHOR' })
        .expect(200);
      await api
        .post(`${ORG}/deployments`)
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      const rule = await api
        .post(`${ORG}/workspaces/data-eng/alert-rules`)
        .send({ name: 'failures', type: 'dag-failure', channels })
        .expect(201);
      const [{ id: deploymentId }] = await backend
        .knex('deployments')
        .select('id');
      const logger = new CollectingLogger();
      const notifications = recordingNotifications();
      /** A dispatcher of its own replica: its own stores on the shared database. */
      const replica = async () => {
        const db = await AstroDatabase.create({
          database: {
            getClient: async () => backend.knex,
            migrations: { skip: true },
          },
        });
        return new AlertDispatcher({
          db,
          secrets: SecretBox.fromBase64Key(encryptionKey),
          logger,
          notifications: new NotificationChannel(
            notifications.service,
            new AlertRecipients(
              db,
              catalogServiceMock({ entities: ENTITIES }),
              mockServices.auth(),
            ),
          ),
          webhooks: new WebhookChannel({
            maxAttempts: 3,
            initialBackoffMs: 10,
            timeoutMs: 2000,
            // The test's receiver listens on this host.
            targets: new WebhookTargetPolicy(true),
          }),
          link: deploymentLinkFromConfig(
            new ConfigReader({ app: { baseUrl: 'http://portal.test' } }),
          ),
        });
      };
      const deliveries = async () =>
        (
          await api
            .get(`${ORG}/alert-rules/${rule.body.id}/deliveries`)
            .expect(200)
        ).body.items;
      return {
        backend,
        api,
        rule: rule.body,
        deploymentId,
        logger,
        notifications,
        replica,
        deliveries,
      };
    }

    const failedRun = (deploymentId: string) => ({
      deploymentId,
      dagId: 'billing_daily',
      runId: 'scheduled__2026-12-02',
      state: 'failed' as const,
      startDate: '2026-12-02T10:00:00.000Z',
      endDate: '2026-12-02T10:05:00.000Z',
    });

    it('sends an event once per channel when two replicas handle it at once', async () => {
      const t = await setUp([
        { type: 'notifications' },
        {
          type: 'webhook',
          url: receiver.url('/hook'),
          secretHeader: { name: 'X-Alert-Token', value: HEADER_SECRET },
        },
        { type: 'slack', url: receiver.url(SLACK_PATH) },
        { type: 'email', addresses: ['ada@example.com'] },
      ]);
      try {
        const [a, b] = [await t.replica(), await t.replica()];
        const event = failedRun(t.deploymentId);
        await Promise.all([a.dagRunFinished(event), b.dagRunFinished(event)]);
        // And once more later: still nothing new.
        await a.dagRunFinished(event);

        expect(receiver.to('/hook')).toHaveLength(1);
        expect(receiver.to(SLACK_PATH)).toHaveLength(1);
        const [hook] = receiver.to('/hook');
        expect(hook.headers['x-alert-token']).toBe(HEADER_SECRET);
        expect(hook.body).toMatchObject({
          version: 1,
          event: 'dag-run-failed',
          title: 'acme/etl: DAG billing_daily failed',
          link: 'http://portal.test/astro/organizations/acme/deployments/etl',
          rule: { id: t.rule.id, name: 'failures', type: 'dag-failure' },
          deployment: {
            id: t.deploymentId,
            organization: 'acme',
            workspace: 'data-eng',
            name: 'etl',
          },
          dagRun: {
            dagId: 'billing_daily',
            state: 'failed',
            durationMinutes: 5,
          },
        });
        const [slack] = receiver.to(SLACK_PATH);
        expect(slack.body.text).toBe('acme/etl: DAG billing_daily failed');
        expect(slack.body.blocks[0]).toEqual({
          type: 'header',
          text: {
            type: 'plain_text',
            text: 'acme/etl: DAG billing_daily failed',
          },
        });

        // Owners (the workspace's owner and role holders) and the e-mail
        // recipient's catalog user, each notified once.
        expect(t.notifications.sent).toHaveLength(2);
        expect(t.notifications.sent).toEqual(
          expect.arrayContaining([
            {
              recipients: {
                type: 'entity',
                entityRef: [
                  'group:default/data-engineering',
                  'user:default/ada',
                ],
              },
              payload: expect.objectContaining({
                title: 'acme/etl: DAG billing_daily failed',
                severity: 'high',
                topic: 'astro-alerts',
                scope:
                  'astro:dag-run:' +
                  `${t.deploymentId}:billing_daily:scheduled__2026-12-02`,
                link: 'http://portal.test/astro/organizations/acme/deployments/etl',
              }),
            },
            {
              recipients: { type: 'entity', entityRef: ['user:default/ada'] },
              payload: expect.objectContaining({ topic: 'astro-alerts' }),
            },
          ]),
        );

        const recorded = await t.deliveries();
        expect(recorded).toHaveLength(4);
        expect(
          recorded
            .map((d: any) => [d.channelType, d.status, d.attempts])
            .sort(),
        ).toEqual([
          ['email', 'sent', 1],
          ['notifications', 'sent', 1],
          ['slack', 'sent', 1],
          ['webhook', 'sent', 1],
        ]);
        expect(recorded[0]).toMatchObject({
          eventType: 'dag-run-failed',
          deployment: 'etl',
          finishedAt: expect.any(String),
        });

        // A disabled rule sends nothing.
        await t.api
          .patch(`${ORG}/alert-rules/${t.rule.id}`)
          .send({ enabled: false })
          .expect(200);
        await a.dagRunFinished({ ...event, runId: 'manual__2' });
        expect(receiver.requests).toHaveLength(2);
      } finally {
        await t.backend.stop();
      }
    });

    it('retries failing webhooks with backoff, bounded, and records why without secrets', async () => {
      receiver.answer('/flaky', 503, 503, 200);
      receiver.answer(SLACK_PATH, 500);
      receiver.answer('/gone', 404);
      const t = await setUp([
        {
          type: 'webhook',
          url: receiver.url('/flaky'),
          secretHeader: { name: 'Authorization', value: HEADER_SECRET },
        },
        { type: 'slack', url: receiver.url(SLACK_PATH) },
        { type: 'webhook', url: receiver.url('/gone') },
        // Nothing listens there: a network error, retried too.
        {
          type: 'slack',
          url: 'http://127.0.0.1:1/services/T0/B0/cl0sed-s3cr3t',
        },
        { type: 'email', addresses: ['nobody@example.com'] },
      ]);
      try {
        const dispatcher = await t.replica();
        await dispatcher.dagRunFinished(failedRun(t.deploymentId));

        expect(receiver.to('/flaky')).toHaveLength(3);
        expect(receiver.to(SLACK_PATH)).toHaveLength(3);
        // A 404 is not going to change: no retry.
        expect(receiver.to('/gone')).toHaveLength(1);

        const byChannel = new Map<string, any>(
          (await t.deliveries()).map((d: any) => [d.channelId, d]),
        );
        const outcome = (i: number) => byChannel.get(t.rule.channels[i].id);
        expect(outcome(0)).toMatchObject({ status: 'sent', attempts: 3 });
        expect(outcome(1)).toMatchObject({
          status: 'failed',
          attempts: 3,
          error: 'the webhook answered HTTP 500 (attempt 3 of 3)',
        });
        expect(outcome(2)).toMatchObject({
          status: 'failed',
          attempts: 1,
          error: 'the webhook answered HTTP 404 (attempt 1 of 3)',
        });
        expect(outcome(3)).toMatchObject({ status: 'failed', attempts: 3 });
        expect(outcome(3).error).toMatch(/^the request failed/);
        expect(outcome(4)).toMatchObject({
          status: 'failed',
          error: 'no catalog user has the e-mail address nobody@example.com',
        });
        expect(t.notifications.sent).toEqual([]);

        const everything = JSON.stringify([
          [...byChannel.values()],
          t.logger.lines,
          await t.backend.knex('alert_deliveries').select(),
        ]);
        for (const secret of ['hook-s3cr3t', 'sl4ck-s3cr3t', 'cl0sed-s3cr3t']) {
          expect(everything).not.toContain(secret);
        }
        expect(t.logger.lines.some(l => l.includes('HTTP 500'))).toBe(true);
      } finally {
        await t.backend.stop();
      }
    });
  },
);
