import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startAstroTestBackend } from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const DEPS = '/api/astro/organizations/acme/deployments';

describe.each(databases.eachSupportedId())(
  'hibernation overrides through the API on %s',
  databaseId => {
    it('are set, shown on reads, replaced, removed and audited', async () => {
      const backend = await startAstroTestBackend({ databases, databaseId });
      const api = request(backend.server);
      try {
        await api
          .post('/api/astro/organizations')
          .send({ name: 'acme' })
          .expect(201);
        await api
          .post('/api/astro/organizations/acme/workspaces')
          .send({ name: 'data-eng' })
          .expect(201);
        await api
          .post(DEPS)
          .send({ name: 'etl', workspace: 'data-eng' })
          .expect(201);

        const none = await api.get(`${DEPS}/etl`).expect(200);
        expect(none.body.hibernation).toEqual({
          isHibernating: false,
          reason: 'Awake: no hibernation schedule is enabled',
          nextTransitions: [],
        });

        const until = new Date(Date.now() + 3_600_000);
        until.setUTCSeconds(0, 0);
        const set = await api
          .post(`${DEPS}/etl/hibernation-override`)
          .send({ isHibernating: true, overrideUntil: until.toISOString() })
          .expect(200);
        expect(set.body).toEqual({
          isHibernating: true,
          reason: `Hibernating by override until ${until.toISOString()}`,
          override: {
            isHibernating: true,
            overrideUntil: until.toISOString(),
            createdBy: expect.stringMatching(/^user:/),
            createdAt: expect.any(String),
          },
          nextWakeAt: until.toISOString(),
          nextTransitions: [{ at: until.toISOString(), action: 'WAKE' }],
        });
        // Reads (one and the list) show the same state.
        expect(
          (await api.get(`${DEPS}/etl`).expect(200)).body.hibernation,
        ).toEqual(set.body);
        const list = await api.get(DEPS).expect(200);
        expect(list.body.items[0].hibernation).toEqual(set.body);

        // A new override replaces the old one.
        const awake = await api
          .post(`${DEPS}/etl/hibernation-override`)
          .send({ isHibernating: false })
          .expect(200);
        expect(awake.body).toMatchObject({
          isHibernating: false,
          reason: 'Kept awake by override until the override is removed',
          override: { isHibernating: false },
        });
        expect(awake.body.override).not.toHaveProperty('overrideUntil');

        const removed = await api
          .delete(`${DEPS}/etl/hibernation-override`)
          .expect(200);
        expect(removed.body).not.toHaveProperty('override');
        expect(
          await backend.knex('deployment_hibernation_overrides').select(),
        ).toEqual([]);
        // Removing no override is harmless and records nothing.
        await api.delete(`${DEPS}/etl/hibernation-override`).expect(200);

        const events = await api
          .get(`${DEPS}/etl/events`)
          .query({ limit: 50 })
          .expect(200);
        expect(
          events.body.items
            .map((e: any) => e.action)
            .filter((a: string) => a.startsWith('hibernation')),
        ).toEqual([
          'hibernation-override-removed',
          'hibernation-override-set',
          'hibernation-override-set',
        ]);

        await api
          .post(`${DEPS}/nope/hibernation-override`)
          .send({ isHibernating: true })
          .expect(404);
      } finally {
        await backend.stop();
      }
    });
  },
);
