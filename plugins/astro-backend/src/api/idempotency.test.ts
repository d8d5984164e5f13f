import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startAstroTestBackend } from '../__testUtils__/startAstroTestBackend';
import { IdempotencyStore } from '../store/IdempotencyStore';
import { applyDatabaseMigrations } from '../store/migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const DEPS = '/api/astro/organizations/acme/deployments';

describe.each(databases.eachSupportedId())(
  'Idempotency-Key under concurrency on %s',
  databaseId => {
    it('lets exactly one of many concurrent claims of a key win', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const stores = Array.from(
        { length: 8 },
        () => new IdempotencyStore(knex),
      );
      const now = new Date();
      const results = await Promise.all(
        stores.map(store => store.claim('user:a', 'scope', 'k', 'h', now)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('creates once and replays the response to concurrent identical first requests', async () => {
      const backend = await startAstroTestBackend({ databases, databaseId });
      const api = request(backend.server);
      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng' })
        .expect(201);
      const body = { name: 'etl', workspace: 'data-eng' };

      // Six requests on six connections at once, as a client retrying
      // against a slow answer sends them.
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          request(backend.server)
            .post(DEPS)
            .set('Idempotency-Key', 'create-etl')
            .send(body),
        ),
      );
      const statuses = responses.map(r => r.status);
      expect(statuses.every(s => s === 201 || s === 409)).toBe(true);
      const created = responses.filter(r => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      // Every 201 is the same creation: the first one's response, replayed.
      for (const response of created) {
        expect(response.body.id).toBe(created[0].body.id);
      }
      for (const response of responses.filter(r => r.status === 409)) {
        expect(response.body.error.message).toMatch(/in progress/);
      }
      const list = await api.get(DEPS).expect(200);
      expect(list.body.items).toHaveLength(1);
      const events = await backend.knex('events').where({
        resource_type: 'deployment',
        action: 'created',
      });
      expect(events).toHaveLength(1);
      // A later retry replays it too, and the claim is gone.
      const retry = await api
        .post(DEPS)
        .set('Idempotency-Key', 'create-etl')
        .send(body)
        .expect(201);
      expect(retry.body.id).toBe(created[0].body.id);
      await expect(backend.knex('idempotency_claims')).resolves.toHaveLength(0);

      // Concurrent first requests with one key and different bodies: one
      // runs, the other is refused.
      const mixed = await Promise.all(
        ['a1', 'a2'].map(name =>
          request(backend.server)
            .post(DEPS)
            .set('Idempotency-Key', 'mixed')
            .send({ name, workspace: 'data-eng' }),
        ),
      );
      expect(mixed.map(r => r.status).sort()).toEqual([201, 409]);
      await backend.stop();
    });

    it('releases the key when the first request fails, so a retry runs it', async () => {
      const backend = await startAstroTestBackend({ databases, databaseId });
      const api = request(backend.server);
      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await api
        .post(DEPS)
        .set('Idempotency-Key', 'k1')
        .send({ name: 'etl', workspace: 'missing' })
        .expect(400);
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'missing' })
        .expect(201);
      await api
        .post(DEPS)
        .set('Idempotency-Key', 'k1')
        .send({ name: 'etl', workspace: 'missing' })
        .expect(201);
      await expect(backend.knex('idempotency_claims')).resolves.toEqual([]);
      await backend.stop();
    });
  },
);
