import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startAstroTestBackend } from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(90_000);

const databases = TestDatabases.create();
const ORG = '/api/astro/organizations/acme';
const WS_RULES = `${ORG}/workspaces/data-eng/alert-rules`;
const DEP_RULES = `${ORG}/deployments/etl/alert-rules`;
const HEADER_SECRET = 'Bearer hook-s3cr3t-value';
const SLACK_URL = 'https://hooks.slack.example/services/T0/B0/sl4ck-s3cr3t';

async function seed(api: request.Agent | ReturnType<typeof request>) {
  await api.post('/api/astro/organizations').send({ name: 'acme' }).expect(201);
  await api.post(`${ORG}/workspaces`).send({ name: 'data-eng' }).expect(201);
  await api
    .post(`${ORG}/deployments`)
    .send({ name: 'etl', workspace: 'data-eng' })
    .expect(201);
}

describe.each(databases.eachSupportedId())('alert rules on %s', databaseId => {
  it('are created, listed, read, changed and deleted without ever returning a secret', async () => {
    const backend = await startAstroTestBackend({ databases, databaseId });
    const api = request(backend.server);
    try {
      await seed(api);
      const created = await api
        .post(WS_RULES)
        .send({
          name: 'failing-dags',
          type: 'dag-failure',
          dagIds: ['billing_daily'],
          channels: [
            { type: 'notifications' },
            {
              type: 'webhook',
              url: 'https://alerts.example.com/hook',
              secretHeader: { name: 'Authorization', value: HEADER_SECRET },
            },
            { type: 'slack', url: SLACK_URL },
          ],
        })
        .expect(201);
      expect(created.body).toMatchObject({
        organization: 'acme',
        workspace: 'data-eng',
        name: 'failing-dags',
        type: 'dag-failure',
        dagIds: ['billing_daily'],
        enabled: true,
        version: 1,
      });
      expect(created.body).not.toHaveProperty('deployment');
      const [notifications, webhook, slack] = created.body.channels;
      expect(notifications).toEqual({
        id: expect.any(String),
        type: 'notifications',
        hasSecret: false,
      });
      expect(webhook).toEqual({
        id: expect.any(String),
        type: 'webhook',
        url: 'https://alerts.example.com/hook',
        secretHeaderName: 'Authorization',
        hasSecret: true,
      });
      expect(slack).toEqual({
        id: expect.any(String),
        type: 'slack',
        hasSecret: true,
      });

      // A rule on the Deployment is listed there, not on the workspace.
      const onDeployment = await api
        .post(DEP_RULES)
        .send({
          name: 'slow',
          type: 'dag-duration',
          thresholdMinutes: 30,
          channels: [{ type: 'email', addresses: ['OnCall@Example.com'] }],
        })
        .expect(201);
      expect(onDeployment.body).toMatchObject({
        deployment: 'etl',
        thresholdMinutes: 30,
        dagIds: [],
        channels: [{ type: 'email', addresses: ['oncall@example.com'] }],
      });
      const wsList = await api.get(WS_RULES).expect(200);
      expect(wsList.body.items.map((r: any) => r.name)).toEqual([
        'failing-dags',
      ]);
      const depList = await api.get(DEP_RULES).expect(200);
      expect(depList.body.items.map((r: any) => r.name)).toEqual(['slow']);

      const rule = `${ORG}/alert-rules/${created.body.id}`;
      const read = await api.get(rule).expect(200);
      expect(read.body).toEqual(created.body);

      // Changing the channels by id keeps stored secrets; a stale version
      // is refused.
      const patched = await api
        .patch(rule)
        .send({
          enabled: false,
          version: 1,
          channels: [
            { id: webhook.id, type: 'webhook', url: webhook.url },
            { id: slack.id, type: 'slack' },
          ],
        })
        .expect(200);
      expect(patched.body).toMatchObject({ enabled: false, version: 2 });
      expect(patched.body.channels).toEqual([webhook, slack]);
      await api.patch(rule).send({ name: 'x', version: 1 }).expect(409);

      // Secrets are encrypted at rest and in no response or event.
      const [stored] = await backend
        .knex('alert_rules')
        .where({ id: created.body.id });
      const bodies = JSON.stringify([
        created.body,
        read.body,
        patched.body,
        wsList.body,
        stored,
        (await api.get(`${ORG}/deployments/etl/events`).expect(200)).body,
        await backend.knex('events').select(),
        await backend.knex('idempotency_records').select(),
      ]);
      expect(bodies).not.toContain('hook-s3cr3t');
      expect(bodies).not.toContain('sl4ck-s3cr3t');
      expect(JSON.parse(stored.channels)[1].secretCiphertext).toMatch(/^v1:/);

      const events = await backend
        .knex('events')
        .where('action', 'like', 'alert-rule-%')
        .orderBy('id');
      expect(
        events.map((e: any) => [e.resource_type, e.resource_name, e.action]),
      ).toEqual([
        ['workspace', 'acme/data-eng', 'alert-rule-created'],
        ['deployment', 'acme/etl', 'alert-rule-created'],
        ['workspace', 'acme/data-eng', 'alert-rule-updated'],
      ]);

      const deliveries = await api.get(`${rule}/deliveries`).expect(200);
      expect(deliveries.body).toEqual({ items: [] });

      await api.delete(rule).expect(204);
      await api.get(rule).expect(404);
      expect((await api.get(WS_RULES).expect(200)).body.items).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('refuses bad input with 400 naming the field and writes nothing', async () => {
    const backend = await startAstroTestBackend({ databases, databaseId });
    const api = request(backend.server);
    try {
      await seed(api);
      const cases: Array<[object, RegExp]> = [
        [
          { type: 'dag-failure', channels: [{ type: 'notifications' }] },
          /name/,
        ],
        [
          {
            name: 'a',
            type: 'sometimes',
            channels: [{ type: 'notifications' }],
          },
          /type/,
        ],
        [{ name: 'a', type: 'dag-failure', channels: [] }, /channels/],
        [
          {
            name: 'a',
            type: 'dag-duration',
            channels: [{ type: 'notifications' }],
          },
          /thresholdMinutes/,
        ],
        [
          {
            name: 'a',
            type: 'incident',
            channels: [{ type: 'notifications' }],
          },
          /minSeverity/,
        ],
        [
          {
            name: 'a',
            type: 'incident',
            minSeverity: 'critical',
            thresholdMinutes: 5,
            channels: [{ type: 'notifications' }],
          },
          /thresholdMinutes/,
        ],
        [
          {
            name: 'a',
            type: 'dag-failure',
            channels: [{ type: 'webhook', url: 'ftp://example.com' }],
          },
          /channels\[0\]\.url/,
        ],
        [
          {
            name: 'a',
            type: 'dag-failure',
            channels: [{ type: 'email', addresses: ['not-an-address'] }],
          },
          /channels\[0\]\.addresses\[0\]/,
        ],
        [
          {
            name: 'a',
            type: 'dag-failure',
            channels: [
              { type: 'notifications' },
              {
                type: 'webhook',
                url: 'http://169.254.169.254/latest/meta-data/',
              },
            ],
          },
          /channels\[1\]\.url: points to a private or local network address/,
        ],
        [
          {
            name: 'a',
            type: 'dag-failure',
            channels: [{ type: 'slack', url: 'http://localhost:8080/hook' }],
          },
          /channels\[0\]\.url: points to a private/,
        ],
        [
          {
            name: 'a',
            type: 'dag-failure',
            dagIds: ['bad id!'],
            channels: [{ type: 'notifications' }],
          },
          /dagIds/,
        ],
        [
          {
            name: 'a',
            type: 'dag-failure',
            channels: [{ type: 'notifications', addresses: ['a@b.co'] }],
          },
          /channels\[0\]\.addresses/,
        ],
      ];
      for (const [body, field] of cases) {
        const res = await api.post(WS_RULES).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.error.message).toMatch(field);
      }
      // A PATCH naming a channel the rule does not have.
      const created = await api
        .post(WS_RULES)
        .send({
          name: 'ok',
          type: 'incident',
          minSeverity: 'warning',
          channels: [{ type: 'notifications' }],
        })
        .expect(201);
      const res = await api
        .patch(`${ORG}/alert-rules/${created.body.id}`)
        .send({ channels: [{ id: 'nope', type: 'slack' }] })
        .expect(400);
      expect(res.body.error.message).toMatch(/channels\[0\]\.id/);
      const typeChange = await api
        .patch(`${ORG}/alert-rules/${created.body.id}`)
        .send({ minSeverity: 'loud' })
        .expect(400);
      expect(typeChange.body.error.message).toMatch(/minSeverity/);
      const [{ n }] = await backend.knex('alert_rules').count({ n: '*' });
      expect(Number(n)).toBe(1);
      await api
        .post(`${ORG}/workspaces/nope/alert-rules`)
        .send({
          name: 'a',
          type: 'dag-failure',
          channels: [{ type: 'notifications' }],
        })
        .expect(404);
    } finally {
      await backend.stop();
    }
  });

  it('needs update permission to write and read permission to read', async () => {
    const backend = await startAstroTestBackend({
      databases,
      databaseId,
      deniedPermissions: [
        'astro.workspace.update',
        'astro.deployment.read',
        'astro.deployment.update',
      ],
    });
    const api = request(backend.server);
    try {
      await seed(api);
      const body = {
        name: 'a',
        type: 'dag-failure',
        channels: [{ type: 'notifications' }],
      };
      const denied = await api.post(WS_RULES).send(body).expect(403);
      expect(denied.body.error.message).toMatch(/astro\.workspace\.update/);
      await api.get(WS_RULES).expect(200);
      // The Deployment is invisible: 404, as for a missing one.
      await api.get(DEP_RULES).expect(404);
      await api.post(DEP_RULES).send(body).expect(404);
    } finally {
      await backend.stop();
    }
  });
});
