import { randomUUID } from 'node:crypto';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  catalogEntity,
  startAstroTestBackend,
} from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(300_000);

const databases = TestDatabases.create();

const ADMIN = 'user:default/admin';
const MEMBER = 'user:default/mia';
const ORG = '/api/astro/organizations/acme';
const WORKSPACES = 10;
const PER_WORKSPACE = 100;

describe.each(databases.eachSupportedId())(
  'Deployment lists filtered by roles in the database on %s',
  databaseId => {
    it('lists exactly a workspace member’s 100 of 1,000 Deployments with a constant number of queries', async () => {
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        policy: 'roles',
        unauthenticatedByDefault: true,
        catalogEntities: [catalogEntity(ADMIN), catalogEntity(MEMBER)],
        config: { bootstrapOwners: [ADMIN] },
      });
      const { knex } = backend;
      const http = request(backend.server);
      const admin = mockCredentials.user.header(ADMIN);
      const member = mockCredentials.user.header(MEMBER);
      await http
        .post('/api/astro/organizations')
        .set('Authorization', admin)
        .send({ name: 'acme' })
        .expect(201);
      // One Deployment through the API per workspace; the other 99 of each
      // are copies of its row (only names, ids and namespaces differ), so
      // the 1,000 take seconds to make.
      for (let w = 0; w < WORKSPACES; w++) {
        const ws = `ws-${w}`;
        await http
          .post(`${ORG}/workspaces`)
          .set('Authorization', admin)
          .send({ name: ws })
          .expect(201);
        await http
          .post(`${ORG}/deployments`)
          .set('Authorization', admin)
          .send({ name: `${ws}-d0`, workspace: ws })
          .expect(201);
        const template = await knex('deployments')
          .where({ name: `${ws}-d0` })
          .first();
        const copies = [];
        for (let d = 1; d < PER_WORKSPACE; d++) {
          const id = randomUUID();
          copies.push({
            ...template,
            id,
            name: `${ws}-d${d}`,
            namespace: `astro-${ws}-d${d}-${id.slice(0, 6)}`,
          });
        }
        await knex.batchInsert('deployments', copies, 50);
      }
      expect(Number((await knex('deployments').count({ n: '*' }))[0].n)).toBe(
        WORKSPACES * PER_WORKSPACE,
      );
      await http
        .put(`${ORG}/workspaces/ws-3/roles`)
        .set('Authorization', admin)
        .send({ principal: MEMBER, role: 'WORKSPACE_MEMBER' })
        .expect(200);

      const queries: string[] = [];
      const onQuery = (query: { sql: string }) => queries.push(query.sql);
      knex.on('query', onQuery);
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await http
          .get(`${ORG}/deployments`)
          .query({ limit: 50, ...(cursor ? { cursor } : {}) })
          .set('Authorization', member)
          .expect(200);
        names.push(...page.body.items.map((d: { name: string }) => d.name));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      knex.off('query', onQuery);

      expect(names).toHaveLength(PER_WORKSPACE);
      expect(names.every(name => name.startsWith('ws-3-'))).toBe(true);
      expect(pages).toBe(2);
      // The role condition is part of the Deployments query itself: one
      // list query per page, each with the EXISTS on role_bindings...
      const lists = queries.filter(
        sql =>
          /from [`"]deployments[`"] as [`"]d[`"]/i.test(sql) &&
          /exists/i.test(sql),
      );
      expect(lists).toHaveLength(pages);
      // ...and the whole request costs the same few queries whatever the
      // number of Deployments (organization, its bindings for the read
      // check, the page and its variables).
      const perPage = queries.length / pages;
      console.log(
        `listFiltering: ${
          queries.length
        } queries for ${pages} pages (${perPage} per page) over ${
          WORKSPACES * PER_WORKSPACE
        } Deployments`,
      );
      expect(perPage).toBeLessThanOrEqual(8);
      await backend.stop();
    });
  },
);
