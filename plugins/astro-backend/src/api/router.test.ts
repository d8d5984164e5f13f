import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startAstroTestBackend } from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'the Astro API on %s',
  databaseId => {
    async function setup() {
      const backend = await startAstroTestBackend({ databases, databaseId });
      const api = request(backend.server);
      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme', title: 'ACME' })
        .expect(201);
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng', owner: 'group:default/data-engineering' })
        .expect(201);
      return { ...backend, api };
    }

    it('manages organizations', async () => {
      const { api } = await setup();

      const list = await api.get('/api/astro/organizations').expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          name: 'acme',
          title: 'ACME',
          description: '',
          createdBy: 'user:default/mock',
          version: 1,
        }),
      ]);

      const got = await api.get('/api/astro/organizations/acme').expect(200);
      expect(got.headers.etag).toMatch(/^W\/"1-[0-9a-f]{16}"$/);

      const patched = await api
        .patch('/api/astro/organizations/acme')
        .send({ description: 'The ACME company', version: 1 })
        .expect(200);
      expect(patched.body).toMatchObject({
        description: 'The ACME company',
        version: 2,
      });

      const stale = await api
        .patch('/api/astro/organizations/acme')
        .set('If-Match', '"1"')
        .send({ title: 'Stale' })
        .expect(409);
      expect(stale.body.error.name).toBe('ConflictError');

      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(409);
      await api.get('/api/astro/organizations/nope').expect(404);

      const blocked = await api
        .delete('/api/astro/organizations/acme')
        .expect(409);
      expect(blocked.body.error.message).toContain('workspace');

      await api
        .post('/api/astro/organizations')
        .send({ name: 'empty' })
        .expect(201);
      await api.delete('/api/astro/organizations/empty').expect(204);
      await api.get('/api/astro/organizations/empty').expect(404);
    });

    it('manages workspaces and refuses to delete one with Deployments', async () => {
      const { api } = await setup();

      const list = await api
        .get('/api/astro/organizations/acme/workspaces')
        .expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          name: 'data-eng',
          organization: 'acme',
          owner: 'group:default/data-engineering',
          clusterGrants: [],
        }),
      ]);

      await api
        .patch('/api/astro/organizations/acme/workspaces/data-eng')
        .send({ title: 'Data Engineering', owner: null })
        .expect(200)
        .expect(res =>
          expect(res.body).toMatchObject({
            title: 'Data Engineering',
            version: 2,
          }),
        );
      await api
        .patch('/api/astro/organizations/acme/workspaces/data-eng')
        .send({ title: 'x', version: 1 })
        .expect(409);
      await api
        .get('/api/astro/organizations/acme/workspaces/nope')
        .expect(404);
      await api.get('/api/astro/organizations/nope/workspaces').expect(404);
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng' })
        .expect(409);

      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      const blocked = await api
        .delete('/api/astro/organizations/acme/workspaces/data-eng')
        .expect(409);
      expect(blocked.body.error.message).toContain('still has 1 deployment');

      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'scratch' })
        .expect(201);
      await api
        .delete('/api/astro/organizations/acme/workspaces/scratch')
        .expect(204);
    });

    it('creates a Deployment from a name and a workspace with every default', async () => {
      const { api } = await setup();

      const created = await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);

      expect(created.body).toMatchObject({
        name: 'etl',
        organization: 'acme',
        workspace: 'data-eng',
        cluster: 'shared-1',
        status: 'CREATING',
        generation: 1,
        observedGeneration: 0,
        version: 1,
        settings: {
          airflowVersion: '3.1.3',
          executor: 'CELERY',
          schedulerSize: 'SMALL',
          highAvailability: false,
          workerQueues: [
            {
              name: 'default',
              isDefault: true,
              workerSize: 'A5',
              minWorkers: 0,
              maxWorkers: 10,
              concurrency: 5,
            },
          ],
          workerGracePeriodSeconds: 86400,
        },
      });
      expect(created.body.namespace).toMatch(/^astro-etl-[0-9a-f]{6}$/);
    });

    it('updates settings, bumps the generation and rejects stale versions', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);

      const renamed = await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({ title: 'ETL' })
        .expect(200);
      expect(renamed.body).toMatchObject({
        title: 'ETL',
        generation: 1,
        version: 2,
      });

      const scaled = await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .set('If-Match', '"2"')
        .send({
          settings: {
            workerQueues: [
              { name: 'default', isDefault: true, maxWorkers: 20 },
            ],
            // 20 workers at full scale and as many draining need more
            // than the default quota.
            resourceQuota: { cpu: '64', memory: '128Gi' },
          },
        })
        .expect(200);
      expect(scaled.body).toMatchObject({ generation: 2, version: 3 });
      expect(scaled.body.settings.workerQueues[0].maxWorkers).toBe(20);
      expect(scaled.body.settings.schedulerSize).toBe('SMALL');

      const stale = await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({ settings: { highAvailability: true }, version: 2 })
        .expect(409);
      expect(stale.body.error.message).toContain('stale');

      const invalid = await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({
          settings: {
            workerQueues: [
              {
                name: 'default',
                isDefault: true,
                minWorkers: 5,
                maxWorkers: 2,
              },
            ],
          },
        })
        .expect(400);
      expect(invalid.body.error.message).toContain(
        'settings.workerQueues[0].maxWorkers: must be at least the minimum workers (5)',
      );
    });

    it('changes the ETag with the status, so caches never serve a stale status', async () => {
      const { api, knex } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      const first = await api
        .get('/api/astro/organizations/acme/deployments/etl')
        .expect(200);

      // What the engine does: a status change, the version stays.
      await knex('deployments').update({ status: 'HEALTHY' });
      const second = await api
        .get('/api/astro/organizations/acme/deployments/etl')
        .set('If-None-Match', first.headers.etag)
        .expect(200);
      expect(second.body).toMatchObject({ status: 'HEALTHY', version: 1 });
      expect(second.headers.etag).not.toBe(first.headers.etag);

      // The ETag, as received, is a valid If-Match for an update.
      await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .set('If-Match', second.headers.etag)
        .send({ title: 'ETL' })
        .expect(200);
      await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .set('If-Match', second.headers.etag)
        .send({ title: 'Stale' })
        .expect(409);
    });

    it('lists Deployments a page at a time, filtered by workspace', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'analytics' })
        .expect(201);
      for (const [name, workspace] of [
        ['d1', 'data-eng'],
        ['d2', 'analytics'],
        ['d3', 'data-eng'],
        ['d4', 'data-eng'],
      ]) {
        await api
          .post('/api/astro/organizations/acme/deployments')
          .send({ name, workspace })
          .expect(201);
      }

      const first = await api
        .get(
          '/api/astro/organizations/acme/deployments?workspace=data-eng&limit=2',
        )
        .expect(200);
      expect(first.body.items.map((d: any) => d.name)).toEqual(['d1', 'd3']);
      expect(first.body.nextCursor).toBeDefined();

      const second = await api
        .get(
          `/api/astro/organizations/acme/deployments?workspace=data-eng&limit=2&cursor=${first.body.nextCursor}`,
        )
        .expect(200);
      expect(second.body.items.map((d: any) => d.name)).toEqual(['d4']);
      expect(second.body.nextCursor).toBeUndefined();

      await api
        .get('/api/astro/organizations/acme/deployments?cursor=garbage')
        .expect(400);
      await api
        .get('/api/astro/organizations/acme/deployments?workspace=nope')
        .expect(404);
    });

    it('returns the first response again for a repeated Idempotency-Key', async () => {
      const { api } = await setup();
      const body = { name: 'etl', workspace: 'data-eng' };

      const first = await api
        .post('/api/astro/organizations/acme/deployments')
        .set('Idempotency-Key', 'key-1')
        .send(body)
        .expect(201);
      const retry = await api
        .post('/api/astro/organizations/acme/deployments')
        .set('Idempotency-Key', 'key-1')
        .send(body)
        .expect(201);
      expect(retry.body).toEqual(first.body);

      const list = await api
        .get('/api/astro/organizations/acme/deployments')
        .expect(200);
      expect(list.body.items).toHaveLength(1);

      await api
        .post('/api/astro/organizations/acme/deployments')
        .set('Idempotency-Key', 'key-1')
        .send({ name: 'other', workspace: 'data-eng' })
        .expect(409);
    });

    it('replaces variables and keeps secret values that are not resent', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({
          name: 'etl',
          workspace: 'data-eng',
          settings: {
            environmentVariables: [
              { key: 'PLAIN', value: 'one' },
              { key: 'TOKEN', value: 'hunter2', secret: true },
            ],
          },
        })
        .expect(201);

      const read = await api
        .get('/api/astro/organizations/acme/deployments/etl/variables')
        .expect(200);
      expect(read.body.environmentVariables).toEqual([
        { key: 'PLAIN', value: 'one', secret: false },
        { key: 'TOKEN', secret: true },
      ]);

      const put = await api
        .put('/api/astro/organizations/acme/deployments/etl/variables')
        .send({
          environmentVariables: [
            { key: 'TOKEN', secret: true },
            { key: 'PLAIN', value: 'two' },
          ],
        })
        .expect(200);
      expect(put.body.environmentVariables).toEqual([
        { key: 'TOKEN', secret: true },
        { key: 'PLAIN', value: 'two', secret: false },
      ]);

      const missing = await api
        .put('/api/astro/organizations/acme/deployments/etl/variables')
        .send({ environmentVariables: [{ key: 'NEW_SECRET', secret: true }] })
        .expect(400);
      expect(missing.body.error.message).toContain(
        'environmentVariables[0].value: is required for a new secret variable',
      );

      const deployment = await api
        .get('/api/astro/organizations/acme/deployments/etl')
        .expect(200);
      expect(deployment.body.generation).toBe(2);
    });

    it('records events newest first', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({ settings: { schedulerSize: 'MEDIUM' } })
        .expect(200);

      const events = await api
        .get('/api/astro/organizations/acme/deployments/etl/events')
        .expect(200);
      expect(events.body.items.map((e: any) => e.action)).toEqual([
        'updated',
        'created',
      ]);
      expect(events.body.items[0]).toMatchObject({
        actor: 'user:default/mock',
        resourceName: 'acme/etl',
        before: expect.objectContaining({ generation: 1 }),
        after: expect.objectContaining({ generation: 2 }),
      });

      const paged = await api
        .get('/api/astro/organizations/acme/deployments/etl/events?limit=1')
        .expect(200);
      expect(paged.body.items).toHaveLength(1);
      const older = await api
        .get(
          `/api/astro/organizations/acme/deployments/etl/events?limit=1&cursor=${paged.body.nextCursor}`,
        )
        .expect(200);
      expect(older.body.items[0].action).toBe('created');
    });

    it('marks a Deployment for deletion and refuses further changes', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng' })
        .expect(201);
      await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({ title: 'ETL' })
        .expect(200);

      // A delete based on a stale read changes nothing.
      const stale = await api
        .delete('/api/astro/organizations/acme/deployments/etl')
        .set('If-Match', '"1"')
        .expect(409);
      expect(stale.body.error.name).toBe('ConflictError');
      const untouched = await api
        .get('/api/astro/organizations/acme/deployments/etl')
        .expect(200);
      expect(untouched.body).toMatchObject({ status: 'CREATING', version: 2 });

      const deleted = await api
        .delete('/api/astro/organizations/acme/deployments/etl')
        .set('If-Match', untouched.headers.etag)
        .expect(202);
      expect(deleted.body.status).toBe('DELETING');
      await api
        .delete('/api/astro/organizations/acme/deployments/etl')
        .expect(202);

      await api
        .patch('/api/astro/organizations/acme/deployments/etl')
        .send({ title: 'x' })
        .expect(409);
      await api
        .delete('/api/astro/organizations/acme/deployments/nope')
        .expect(404);
    });

    it('exports a deployment file that imports back to an identical spec', async () => {
      const { api } = await setup();
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({
          name: 'etl',
          workspace: 'data-eng',
          title: 'ETL',
          description: 'Nightly loads',
          owner: 'group:default/data-engineering',
          settings: {
            executor: 'CELERY',
            highAvailability: true,
            schedulerSize: 'LARGE',
            resourceQuota: { cpu: '64', memory: '128Gi' },
            workerQueues: [
              { name: 'default', isDefault: true, maxWorkers: 4 },
              {
                name: 'heavy',
                workerSize: 'A20',
                minWorkers: 1,
                maxWorkers: 3,
              },
            ],
            environmentVariables: [
              { key: 'PLAIN', value: 'x' },
              { key: 'TOKEN', value: 'hunter2', secret: true },
            ],
            hibernation: {
              schedules: [
                {
                  hibernateAt: '0 20 * * 1-5',
                  wakeAt: '0 7 * * 1-5',
                  timeZone: 'Europe/Berlin',
                  // Disabled: high availability refuses enabled schedules.
                  enabled: false,
                },
              ],
            },
            contactEmails: ['oncall@example.com'],
          },
        })
        .expect(201);

      const exported = await api
        .get('/api/astro/organizations/acme/deployments/etl/spec')
        .expect('Content-Type', /application\/yaml/)
        .expect(200);
      expect(exported.text).not.toContain('hunter2');
      const file = parseYaml(exported.text);
      expect(file).toMatchObject({
        apiVersion: 'astro.airflow-portal.dev/v1alpha1',
        kind: 'AstroDeploymentFile',
        metadata: { name: 'etl', workspace: 'data-eng', title: 'ETL' },
      });

      // Re-importing the same file changes nothing.
      const reimported = await api
        .post('/api/astro/organizations/acme/deployments:import')
        .set('Content-Type', 'application/yaml')
        .send(exported.text)
        .expect(200);
      expect(reimported.body.created).toBe(false);
      expect(reimported.body.deployment.generation).toBe(1);

      // Imported under another name it creates an identical Deployment,
      // except for the secret value, which a file never carries.
      file.metadata.name = 'etl-copy';
      file.spec.settings.environmentVariables[1].value = 'hunter3';
      const copy = await api
        .post('/api/astro/organizations/acme/deployments:import')
        .set('Content-Type', 'application/yaml')
        .send(stringifyYaml(file))
        .expect(201);
      expect(copy.body.created).toBe(true);

      const copyExport = await api
        .get('/api/astro/organizations/acme/deployments/etl-copy/spec')
        .expect(200);
      const copyFile = parseYaml(copyExport.text);
      expect(copyFile.spec).toEqual(parseYaml(exported.text).spec);
      expect(copyFile.metadata).toEqual({
        ...parseYaml(exported.text).metadata,
        name: 'etl-copy',
      });

      const bad = await api
        .post('/api/astro/organizations/acme/deployments:import')
        .set('Content-Type', 'application/yaml')
        .send('apiVersion: v1\nkind: Pod\nmetadata: {}\n')
        .expect(400);
      expect(bad.body.error.message).toContain('file.apiVersion');
    });

    it('previews an import with a dry run that writes nothing', async () => {
      const { api } = await setup();
      const importFile = (yaml: string, query = '') =>
        api
          .post(`/api/astro/organizations/acme/deployments:import${query}`)
          .set('Content-Type', 'application/yaml')
          .send(yaml);
      const file = (name: string, maxWorkers: number) =>
        [
          'apiVersion: astro.airflow-portal.dev/v1alpha1',
          'kind: AstroDeploymentFile',
          'metadata:',
          `  name: ${name}`,
          '  workspace: data-eng',
          'spec:',
          '  settings:',
          '    workerQueues:',
          '      - name: default',
          '        isDefault: true',
          `        maxWorkers: ${maxWorkers}`,
          '',
        ].join('\n');

      const createPreview = await importFile(
        file('fresh', 4),
        '?dryRun=true',
      ).expect(200);
      expect(createPreview.body).toMatchObject({
        created: true,
        deployment: {
          name: 'fresh',
          workspace: 'data-eng',
          settings: { workerQueues: [{ name: 'default', maxWorkers: 4 }] },
        },
      });
      await api
        .get('/api/astro/organizations/acme/deployments/fresh')
        .expect(404);

      await importFile(file('fresh', 4)).expect(201);
      const eventsOf = async () =>
        (
          await api
            .get('/api/astro/organizations/acme/deployments/fresh/events')
            .expect(200)
        ).body.items;
      const eventsBefore = await eventsOf();
      const replacePreview = await importFile(
        file('fresh', 7),
        '?dryRun=true',
      ).expect(200);
      expect(replacePreview.body.created).toBe(false);
      expect(
        replacePreview.body.deployment.settings.workerQueues[0].maxWorkers,
      ).toBe(7);
      const stored = await api
        .get('/api/astro/organizations/acme/deployments/fresh')
        .expect(200);
      expect(stored.body.settings.workerQueues[0].maxWorkers).toBe(4);
      expect(stored.body.generation).toBe(1);
      expect(await eventsOf()).toEqual(eventsBefore);

      // Problems name the file's field paths and lines, on a dry run and
      // on the import itself.
      const invalid = file('fresh', 7).replace(
        '  settings:\n',
        '  settings:\n    executor: NOPE\n',
      );
      for (const query of ['?dryRun=true', '']) {
        const bad = await importFile(invalid, query).expect(400);
        expect(bad.body.error.message).toMatch(
          /^file\.spec\.settings\.executor: .* \(line 8\)$/,
        );
      }
      const unknown = await importFile(
        file('fresh', 7).replace('  workspace:', '  colour: red\n  workspace:'),
        '?dryRun=true',
      ).expect(400);
      expect(unknown.body.error.message).toBe(
        'file.metadata.colour: is not a known field (line 5)',
      );
    });

    it('manages API-registered clusters and protects declared ones', async () => {
      const { api } = await setup();

      const declared = await api.get('/api/astro/clusters').expect(200);
      expect(declared.body.items).toEqual([
        expect.objectContaining({
          name: 'shared-1',
          driver: 'simulator',
          source: 'declared',
          type: 'standard',
        }),
      ]);
      await api.delete('/api/astro/clusters/shared-1').expect(409);

      const created = await api
        .post('/api/astro/clusters')
        .send({
          name: 'acme-eu',
          type: 'dedicated',
          organization: 'acme',
          provider: 'aws',
          region: 'eu-west-1',
          connection: {
            server: 'https://10.0.0.1:6443',
            token: 'sa-token-xyz',
          },
        })
        .expect(201);
      expect(created.body).toMatchObject({
        name: 'acme-eu',
        driver: 'kubernetes',
        source: 'api',
      });
      expect(JSON.stringify(created.body)).not.toContain('sa-token-xyz');

      // A dedicated cluster needs a grant to the workspace.
      const denied = await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng', cluster: 'acme-eu' })
        .expect(400);
      expect(denied.body.error.message).toContain('is not granted');
      await api
        .patch('/api/astro/organizations/acme/workspaces/data-eng')
        .send({ clusterGrants: ['acme-eu'] })
        .expect(200);
      await api
        .post('/api/astro/organizations/acme/deployments')
        .send({ name: 'etl', workspace: 'data-eng', cluster: 'acme-eu' })
        .expect(201);

      await api.delete('/api/astro/clusters/acme-eu').expect(409);
      await api
        .patch('/api/astro/clusters/acme-eu')
        .send({ title: 'ACME EU' })
        .expect(200);
      await api.get('/api/astro/clusters/nope').expect(404);
    });

    it('answers 404 for the monitoring views of unknown Deployments', async () => {
      const { api } = await setup();
      for (const view of ['components', 'health', 'incidents']) {
        await api
          .get(`/api/astro/organizations/acme/deployments/nope/${view}`)
          .expect(404);
      }
      await api.get('/api/astro/organizations/nope/incidents').expect(404);
      const none = await api
        .get('/api/astro/organizations/acme/incidents?state=open')
        .expect(200);
      expect(none.body.items).toEqual([]);
    });

    it('serves the deployment options', async () => {
      const { api } = await setup();
      const options = await api
        .get('/api/astro/deployment-options')
        .expect(200);
      expect(options.body).toMatchObject({
        defaultExecutor: 'CELERY',
        defaultSchedulerSize: 'SMALL',
        workerQueues: {
          maxWorkers: { default: 10, floor: 1 },
          concurrency: { default: 5, floor: 1, ceiling: 64 },
        },
        workerGracePeriodSeconds: { default: 86400 },
      });
      expect(options.body.runtimeReleases[0]).toMatchObject({
        isDefault: true,
      });
    });

    it('answers a policy that denies everything with 403 for basic permissions, 404 for resources and empty lists', async () => {
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        permission: AuthorizeResult.DENY,
      });
      const api = request(backend.server);
      // 404 (not 403) on resources: a caller who may not see a resource
      // cannot tell it from a missing one.
      const routes: Array<[string, string, number, object?]> = [
        ['get', '/api/astro/deployment-options', 200],
        ['get', '/api/astro/organizations', 200],
        ['post', '/api/astro/organizations', 403, { name: 'x' }],
        ['get', '/api/astro/organizations/x', 404],
        ['patch', '/api/astro/organizations/x', 404, {}],
        ['delete', '/api/astro/organizations/x', 404],
        ['get', '/api/astro/organizations/x/workspaces', 404],
        ['post', '/api/astro/organizations/x/workspaces', 404, { name: 'w' }],
        ['get', '/api/astro/organizations/x/workspaces/w', 404],
        ['patch', '/api/astro/organizations/x/workspaces/w', 404, {}],
        ['delete', '/api/astro/organizations/x/workspaces/w', 404],
        ['get', '/api/astro/clusters', 403],
        ['get', '/api/astro/clusters/c', 403],
        ['delete', '/api/astro/clusters/c', 403],
        ['get', '/api/astro/organizations/x/deployments', 404],
        [
          'post',
          '/api/astro/organizations/x/deployments',
          404,
          { name: 'd', workspace: 'w' },
        ],
        ['get', '/api/astro/organizations/x/deployments/d', 404],
        ['patch', '/api/astro/organizations/x/deployments/d', 404, {}],
        ['delete', '/api/astro/organizations/x/deployments/d', 404],
        ['get', '/api/astro/organizations/x/deployments/d/variables', 404],
        [
          'put',
          '/api/astro/organizations/x/deployments/d/variables',
          404,
          { environmentVariables: [] },
        ],
        ['get', '/api/astro/organizations/x/deployments/d/events', 404],
        ['get', '/api/astro/organizations/x/deployments/d/spec', 404],
        ['get', '/api/astro/organizations/x/deployments/d/components', 404],
        ['get', '/api/astro/organizations/x/deployments/d/health', 404],
        ['get', '/api/astro/organizations/x/deployments/d/incidents', 404],
        ['get', '/api/astro/organizations/x/incidents', 404],
        ['get', '/api/astro/organizations/x/roles', 404],
      ];
      for (const [method, path, status, body] of routes) {
        const response = await (api as any)[method](path).send(body);
        expect([method, path, response.status]).toEqual([method, path, status]);
        const expectedError = {
          200: undefined,
          403: 'NotAllowedError',
          404: 'NotFoundError',
        }[status];
        expect([path, response.body.error?.name]).toEqual([
          path,
          expectedError,
        ]);
      }
      const organizations = await api.get('/api/astro/organizations');
      expect(organizations.body.items).toEqual([]);
      await api.get('/api/astro/health').expect(200);
    });
  },
);
