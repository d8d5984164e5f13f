import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  startAstroTestBackend,
  TEST_CLUSTERS,
} from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const LIST = '/api/astro/deployments';

describe.each(databases.eachSupportedId())(
  'the Deployments table API on %s',
  databaseId => {
    /**
     * Two organizations, each with a workspace named "analytics" (names
     * repeat across organizations), and Deployments in both.
     */
    async function setup() {
      const backend = await startAstroTestBackend({ databases, databaseId });
      const api = request(backend.server);
      for (const [org, workspaces] of [
        ['acme', ['analytics', 'data-eng']],
        ['globex', ['analytics']],
      ] as const) {
        await api.post('/api/astro/organizations').send({ name: org });
        for (const ws of workspaces) {
          await api
            .post(`/api/astro/organizations/${org}/workspaces`)
            .send({ name: ws })
            .expect(201);
        }
      }
      for (const [org, name, workspace, title] of [
        ['acme', 'etl', 'data-eng', 'Nightly ETL'],
        ['acme', 'reports', 'analytics', 'Reports'],
        ['globex', 'adhoc', 'analytics', 'Ad hoc_100%'],
        ['globex', 'billing', 'analytics', 'Billing'],
      ]) {
        await api
          .post(`/api/astro/organizations/${org}/deployments`)
          .send({ name, workspace, title })
          .expect(201);
      }
      const idOf = async (name: string) =>
        (await backend.knex('deployments').where({ name }).first())
          .id as string;
      return { ...backend, api, idOf };
    }

    const names = (body: { items: { organization: string; name: string }[] }) =>
      body.items.map(d => `${d.organization}/${d.name}`);

    it('lists Deployments across organizations, by organization and name, with a total', async () => {
      const { api, stop } = await setup();
      const all = await api.get(LIST).expect(200);
      expect(names(all.body)).toEqual([
        'acme/etl',
        'acme/reports',
        'globex/adhoc',
        'globex/billing',
      ]);
      expect(all.body.totalCount).toBe(4);

      const second = await api.get(`${LIST}?limit=2&offset=2`).expect(200);
      expect(names(second.body)).toEqual(['globex/adhoc', 'globex/billing']);
      expect(second.body.totalCount).toBe(4);
      await stop();
    });

    it('narrows by organization, workspace, status and name or title', async () => {
      const { api, knex, stop } = await setup();
      expect(
        names((await api.get(`${LIST}?organization=globex`).expect(200)).body),
      ).toEqual(['globex/adhoc', 'globex/billing']);

      // The same workspace name in the other organization is not included.
      const analytics = await api
        .get(`${LIST}?organization=acme&workspace=analytics`)
        .expect(200);
      expect(names(analytics.body)).toEqual(['acme/reports']);
      expect(analytics.body.totalCount).toBe(1);

      await knex('deployments')
        .where({ name: 'billing' })
        .update({ status: 'UNHEALTHY' });
      const unhealthy = await api.get(`${LIST}?status=UNHEALTHY`).expect(200);
      expect(names(unhealthy.body)).toEqual(['globex/billing']);

      // Name or title, ignoring case; % and _ are plain characters.
      expect(
        names((await api.get(`${LIST}?search=NIGHTLY`).expect(200)).body),
      ).toEqual(['acme/etl']);
      expect(
        names((await api.get(`${LIST}?search=r`).expect(200)).body),
      ).toEqual(['acme/reports']);
      expect(
        names((await api.get(`${LIST}?search=_100%25`).expect(200)).body),
      ).toEqual(['globex/adhoc']);
      expect(
        (await api.get(`${LIST}?search=%25`).expect(200)).body.items,
      ).toHaveLength(1);

      // An exact name, not a part of it: whether a name is taken, with 200.
      expect(
        names((await api.get(`${LIST}?name=etl`).expect(200)).body),
      ).toEqual(['acme/etl']);
      expect(
        (await api.get(`${LIST}?organization=globex&name=etl`).expect(200))
          .body,
      ).toEqual({ items: [], totalCount: 0 });
      expect(
        (await api.get(`${LIST}?name=et`).expect(200)).body.totalCount,
      ).toBe(0);

      // Filters on what does not exist match nothing (no existence leak).
      for (const query of [
        'organization=nope',
        'organization=acme&workspace=nope',
      ]) {
        const none = await api.get(`${LIST}?${query}`).expect(200);
        expect(none.body).toEqual({ items: [], totalCount: 0 });
      }
      await stop();
    });

    it('narrows by cluster, paging within the cluster', async () => {
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        clusters: [
          ...TEST_CLUSTERS,
          { ...TEST_CLUSTERS[0], name: 'shared-2', title: 'Second cluster' },
        ],
      });
      const api = request(backend.server);
      await api.post('/api/astro/organizations').send({ name: 'acme' });
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng' })
        .expect(201);
      for (const [name, cluster] of [
        ['a1', 'shared-1'],
        ['b1', 'shared-2'],
        ['b2', 'shared-2'],
        ['b3', 'shared-2'],
      ]) {
        await api
          .post('/api/astro/organizations/acme/deployments')
          .send({ name, workspace: 'data-eng', cluster })
          .expect(201);
      }
      const first = await api
        .get(`${LIST}?cluster=shared-2&limit=2`)
        .expect(200);
      expect(names(first.body)).toEqual(['acme/b1', 'acme/b2']);
      expect(first.body.totalCount).toBe(3);
      const next = await api
        .get(`${LIST}?cluster=shared-2&limit=2&offset=2`)
        .expect(200);
      expect(names(next.body)).toEqual(['acme/b3']);
      expect(next.body.items[0].cluster).toBe('shared-2');

      const other = await api.get(`${LIST}?cluster=shared-1`).expect(200);
      expect(names(other.body)).toEqual(['acme/a1']);
      // Combines with the other filters.
      expect(
        (await api.get(`${LIST}?cluster=shared-2&search=b3`).expect(200)).body
          .totalCount,
      ).toBe(1);
      expect((await api.get(`${LIST}?cluster=nope`).expect(200)).body).toEqual({
        items: [],
        totalCount: 0,
      });
      await backend.stop();
    });

    it('counts open incidents and shows the newest deploy of each row', async () => {
      const { api, knex, idOf, stop } = await setup();
      const etl = await idOf('etl');
      const incident = (subject: string, state: string) => ({
        deployment_id: etl,
        kind: 'heartbeat-missing',
        subject,
        title: `${subject} down`,
        severity: 'critical',
        state,
        message: 'no heartbeat',
        opened_at: new Date('2026-12-01T10:00:00Z'),
        open_key: state === 'open' ? `heartbeat-missing:${subject}` : null,
      });
      await knex('incidents').insert([
        incident('scheduler', 'open'),
        incident('triggerer', 'open'),
        incident('dag-processor', 'resolved'),
      ]);
      await api
        .post('/api/astro/organizations/acme/deployments/etl/deploys')
        .send({ type: 'IMAGE', image: 'registry.example.com/etl:1' })
        .expect(201);
      await api
        .post('/api/astro/organizations/acme/deployments/etl/deploys')
        .send({ type: 'IMAGE', image: 'registry.example.com/etl:2' })
        .expect(201);

      const { body } = await api.get(`${LIST}?organization=acme`).expect(200);
      const [etlRow, reportsRow] = body.items;
      expect(etlRow).toMatchObject({
        name: 'etl',
        workspace: 'data-eng',
        openIncidents: 2,
        lastDeploy: {
          type: 'IMAGE',
          status: 'INITIALIZED',
          createdBy: 'user:default/mock',
        },
      });
      const deploys = await knex('deploys')
        .where({ deployment_id: etl })
        .orderBy('created_at', 'desc');
      expect(new Date(etlRow.lastDeploy.createdAt).getTime()).toBe(
        new Date(deploys[0].created_at).getTime(),
      );
      expect(reportsRow.openIncidents).toBe(0);
      expect(reportsRow).not.toHaveProperty('lastDeploy');
      // Environment variable values never ride along.
      expect(JSON.stringify(body)).not.toContain('value_ciphertext');
      await stop();
    });

    it('refuses callers without credentials', async () => {
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        unauthenticatedByDefault: true,
      });
      const res = await request(backend.server).get(LIST);
      expect(res.status).toBe(401);
      await backend.stop();
    });

    it('names the field of bad input with a 400', async () => {
      const { api, stop } = await setup();
      for (const [query, field] of [
        ['workspace=analytics', 'workspace'],
        ['status=SLEEPY', 'status'],
        ['limit=0', 'limit'],
        ['offset=-1', 'offset'],
        [`search=${'x'.repeat(101)}`, 'search'],
        ['cluster=Not_A_Name', 'cluster'],
        ['name=-etl', 'name'],
      ]) {
        const res = await api.get(`${LIST}?${query}`).expect(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
      }
      await stop();
    });
  },
);
