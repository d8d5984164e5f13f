import { TestDatabases } from '@backstage/backend-test-utils';
import { gunzipSync } from 'node:zlib';
import {
  DEP,
  DEPLOYS,
  ORG,
  postBundle,
  startDeployTestBackend,
} from '../__testUtils__/deployTestApi';
import { dagsBundle } from '../deploys/__testUtils__/bundles';
import { CollectingLogger } from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('deploys on %s', databaseId => {
  it('deploys an image: the Deployment runs it at a new generation, with its registry credentials kept encrypted', async () => {
    const { api, knex, stop } = await startDeployTestBackend(
      databases,
      databaseId,
    );
    const before = (await api.get(DEP).expect(200)).body;
    expect(before.image).toBe('apache/airflow:3.1.3');

    const created = await api
      .post(DEPLOYS)
      .send({
        type: 'IMAGE',
        image: 'registry.example.com/data/etl:2026.11.30',
        description: 'Upgrade pandas',
        origin: 'CLI',
        registryCredentials: { username: 'ci-bot', password: 'hunter2-pw' },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      type: 'IMAGE',
      status: 'INITIALIZED',
      image: 'registry.example.com/data/etl:2026.11.30',
      airflowVersion: '3.1.3',
      description: 'Upgrade pandas',
      origin: 'CLI',
      createdBy: 'user:default/mock',
      organization: 'acme',
      deployment: 'etl',
    });
    expect(JSON.stringify(created.body)).not.toContain('hunter2-pw');

    const after = (await api.get(DEP).expect(200)).body;
    expect(after.image).toBe('registry.example.com/data/etl:2026.11.30');
    expect(after.generation).toBe(before.generation + 1);

    const stored = await knex('deployment_registry_credentials').select();
    expect(stored).toEqual([
      expect.objectContaining({
        registry: 'registry.example.com',
        username: 'ci-bot',
      }),
    ]);
    expect(JSON.stringify(stored)).not.toContain('hunter2-pw');

    const events = (await api.get(`${DEP}/events`).expect(200)).body.items;
    expect(events[0]).toMatchObject({
      action: 'deploy-created',
      actor: 'user:default/mock',
    });
    expect(events[0].message).toContain(
      'image registry.example.com/data/etl:2026.11.30',
    );
    expect(JSON.stringify(events)).not.toContain('hunter2-pw');

    // An older Airflow version across a migration is a downgrade, which a
    // deploy cannot force.
    const downgrade = await api
      .post(DEPLOYS)
      .send({
        type: 'IMAGE',
        image: 'registry.example.com/data/etl:af2',
        airflowVersion: '2.11.0',
      })
      .expect(400);
    expect(downgrade.body.error.message).toMatch(
      /^airflowVersion: going from Airflow 3\.1\.3 back to 2\.11\.0 .*change the Deployment's settings\.airflowVersion first/,
    );
    await api
      .patch(`${DEP}?force=true`)
      .send({ settings: { airflowVersion: '2.11.0' } })
      .expect(200);

    // Another Airflow version of the catalog changes the Deployment's.
    await api
      .post(DEPLOYS)
      .send({
        type: 'IMAGE',
        image: 'registry.example.com/data/etl:af3',
        airflowVersion: '3.1.3',
      })
      .expect(201);
    const upgraded = (await api.get(DEP).expect(200)).body;
    expect(upgraded.settings.airflowVersion).toBe('3.1.3');
    expect(upgraded.image).toBe('registry.example.com/data/etl:af3');
    expect(upgraded.generation).toBe(before.generation + 3);

    // A settings change to another version returns to its runtime image.
    await api
      .patch(`${DEP}?force=true`)
      .send({ settings: { airflowVersion: '2.11.0' } })
      .expect(200);
    expect((await api.get(DEP).expect(200)).body.image).toBe(
      'apache/airflow:2.11.0',
    );
    await stop();
  });

  it('refuses image deploys with a bad image or an Airflow version outside the catalog', async () => {
    const { api, stop } = await startDeployTestBackend(databases, databaseId);
    const noTag = await api
      .post(DEPLOYS)
      .send({ type: 'IMAGE', image: 'registry.example.com/data/etl' })
      .expect(400);
    expect(noTag.body.error.message).toMatch(
      /^image: .*neither a tag nor a digest/,
    );
    const upper = await api
      .post(DEPLOYS)
      .send({ type: 'IMAGE', image: 'Registry/ETL:1' })
      .expect(400);
    expect(upper.body.error.message).toContain('image');
    const version = await api
      .post(DEPLOYS)
      .send({ type: 'IMAGE', image: 'etl:1', airflowVersion: '1.10.15' })
      .expect(400);
    expect(version.body.error.message).toMatch(
      /^airflowVersion: Airflow 1\.10\.15 is not offered; choose one of 3\.1\.3/,
    );
    await stop();
  });

  it('deploys a DAG bundle that the DAG sync then fetches with the bundle token', async () => {
    const { api, knex, stop, deploymentId, bundleToken } =
      await startDeployTestBackend(databases, databaseId);
    const bundle = await dagsBundle();
    const created = await postBundle(api.post(DEPLOYS), bundle, {
      description: 'Add billing',
      origin: 'CI',
    }).expect(201);
    expect(created.body).toMatchObject({
      type: 'DAG',
      status: 'INITIALIZED',
      image: 'apache/airflow:3.1.3',
      bundle: { version: bundle.checksum, size: bundle.bytes.length, files: 3 },
      description: 'Add billing',
      origin: 'CI',
    });
    const deployment = (await api.get(DEP).expect(200)).body;
    expect(deployment.dagBundleVersion).toBe(bundle.checksum);
    // A DAG deploy restarts nothing: same generation.
    expect(deployment.generation).toBe(1);

    const id = await deploymentId('etl');
    const token = await bundleToken('etl');
    const bundles = `/api/astro/bundles/${id}`;
    const current = await api
      .get(`${bundles}/current`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(current.body).toEqual({
      version: bundle.checksum,
      size: bundle.bytes.length,
      deployId: created.body.id,
    });
    const download = await api
      .get(`${bundles}/versions/${bundle.checksum}`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('Content-Type', /application\/gzip/);
    expect(Buffer.compare(download.body, bundle.bytes)).toBe(0);
    expect(gunzipSync(download.body).length).toBeGreaterThan(0);

    await api
      .put(`${bundles}/pods/scheduler-7d9f8c6b5-x2kqp`)
      .set('Authorization', `Bearer ${token}`)
      .send({ version: bundle.checksum })
      .expect(204);
    expect(await knex('deployment_bundle_reports').select()).toEqual([
      expect.objectContaining({
        deployment_id: id,
        pod: 'scheduler-7d9f8c6b5-x2kqp',
        version: bundle.checksum,
        error: null,
      }),
    ]);

    // Another Deployment's version is not this one's.
    const other = await dagsBundle('other');
    await postBundle(
      api.post(`${ORG}/deployments/reports/deploys`),
      other,
    ).expect(201);
    await api
      .get(`${bundles}/versions/${other.checksum}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(404);

    const list = (await api.get(DEPLOYS).expect(200)).body;
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([
      created.body.id,
    ]);
    await api.get(`${DEPLOYS}/${created.body.id}`).expect(200);
    await api
      .get(`${DEPLOYS}/00000000-0000-4000-8000-000000000000`)
      .expect(404);
    await stop();
  });

  it('answers the bundle endpoints 401 for a wrong token, another Deployment or none, never telling whether a Deployment exists', async () => {
    const { api, stop, deploymentId, bundleToken } =
      await startDeployTestBackend(databases, databaseId, {
        unauthenticatedByDefault: true,
      });
    const id = await deploymentId('etl');
    const otherToken = await bundleToken('reports');
    const unknown = '5d2f0a1e-7c3b-4e8a-9d6f-1b2c3d4e5f60';
    const cases: Array<[string, string | undefined]> = [
      [`/api/astro/bundles/${id}/current`, undefined],
      [`/api/astro/bundles/${id}/current`, 'Bearer nope'],
      [`/api/astro/bundles/${id}/current`, `Bearer ${otherToken}`],
      [`/api/astro/bundles/${id}/current`, 'Bearer mock-user-token'],
      [`/api/astro/bundles/${unknown}/current`, `Bearer ${otherToken}`],
      [`/api/astro/bundles/not-a-uuid/current`, `Bearer ${otherToken}`],
      [`/api/astro/bundles/${id}/versions/sha256:${'0'.repeat(64)}`, undefined],
      // Express routes paths case-insensitively; so is the bundle check.
      [`/api/astro/BUNDLES/${id}/current`, 'Bearer mock-user-token'],
      [`/api/astro/Bundles/${id}/current/`, 'Bearer mock-user-token'],
    ];
    const messages = new Set<string>();
    for (const [path, authorization] of cases) {
      const call = api.get(path);
      const response = await (authorization
        ? call.set('Authorization', authorization)
        : call);
      expect([path, authorization, response.status]).toEqual([
        path,
        authorization,
        401,
      ]);
      messages.add(response.body.error.message);
    }
    const report = await api
      .put(`/api/astro/bundles/${id}/pods/scheduler-0`)
      .set('Authorization', `Bearer ${otherToken}`)
      .send({ version: `sha256:${'0'.repeat(64)}` });
    expect(report.status).toBe(401);
    expect(messages.size).toBe(1);
    // With the right token, a Deployment without a bundle answers 404.
    await api
      .get(`/api/astro/bundles/${id}/current`)
      .set('Authorization', `Bearer ${await bundleToken('etl')}`)
      .expect(404);
    await stop();
  });

  it('refuses deploys the Deployment does not take: CI/CD enforced, DAGs from Git, being deleted', async () => {
    const { api, knex, stop } = await startDeployTestBackend(
      databases,
      databaseId,
    );
    const bundle = await dagsBundle();
    await api
      .patch(DEP)
      .send({ settings: { isCicdEnforced: true } })
      .expect(200);
    const enforced = await api
      .post(DEPLOYS)
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(409);
    expect(enforced.body.error.message).toMatch(/^isCicdEnforced: /);
    const enforcedDag = await postBundle(api.post(DEPLOYS), bundle).expect(409);
    expect(enforcedDag.body.error.message).toMatch(/^isCicdEnforced: /);
    await api
      .patch(DEP)
      .send({
        settings: {
          isCicdEnforced: false,
          gitDagBundle: {
            repositoryUrl: 'https://github.com/acme/dags.git',
            ref: 'main',
          },
        },
      })
      .expect(200);
    const fromGit = await postBundle(api.post(DEPLOYS), bundle).expect(409);
    expect(fromGit.body.error.message).toMatch(/^gitDagBundle: /);
    // Images are still deployed.
    await api.post(DEPLOYS).send({ type: 'IMAGE', image: 'etl:2' }).expect(201);
    await api.delete(DEP).expect(202);
    const deleting = await api
      .post(DEPLOYS)
      .send({ type: 'IMAGE', image: 'etl:3' })
      .expect(409);
    expect(deleting.body.error.message).toContain('being deleted');
    // Refused bundles were not stored.
    expect(await knex('dag_bundles').select()).toEqual([]);
    await stop();
  });

  it('replays a retried deploy with the same Idempotency-Key', async () => {
    const { api, knex, stop } = await startDeployTestBackend(
      databases,
      databaseId,
    );
    const bundle = await dagsBundle();
    const first = await postBundle(
      api.post(DEPLOYS).set('Idempotency-Key', 'ci-run-42'),
      bundle,
    ).expect(201);
    const retry = await postBundle(
      api.post(DEPLOYS).set('Idempotency-Key', 'ci-run-42'),
      bundle,
    ).expect(201);
    expect(retry.body.id).toBe(first.body.id);
    const other = await dagsBundle('v2');
    await postBundle(
      api.post(DEPLOYS).set('Idempotency-Key', 'ci-run-42'),
      other,
    ).expect(409);
    const image = { type: 'IMAGE', image: 'etl:1' };
    const a = await api
      .post(DEPLOYS)
      .set('Idempotency-Key', 'img-1')
      .send(image)
      .expect(201);
    const b = await api
      .post(DEPLOYS)
      .set('Idempotency-Key', 'img-1')
      .send(image)
      .expect(201);
    expect(b.body.id).toBe(a.body.id);
    expect(await knex('deploys').count({ n: '*' })).toEqual([
      { n: expect.anything() },
    ]);
    expect(Number((await knex('deploys').count({ n: '*' }))[0].n)).toBe(2);
    await stop();
  });

  it('rolls back to an earlier deploy of the retention period, restoring its image and bundle', async () => {
    const { api, knex, stop } = await startDeployTestBackend(
      databases,
      databaseId,
    );
    const v1 = await dagsBundle('v1');
    const v2 = await dagsBundle('v2');
    await api.post(DEPLOYS).send({ type: 'IMAGE', image: 'etl:1' }).expect(201);
    const dag1 = await postBundle(api.post(DEPLOYS), v1).expect(201);
    await api.post(DEPLOYS).send({ type: 'IMAGE', image: 'etl:2' }).expect(201);
    await postBundle(api.post(DEPLOYS), v2).expect(201);
    expect((await api.get(DEP)).body).toMatchObject({
      image: 'etl:2',
      dagBundleVersion: v2.checksum,
    });

    const rollback = await api
      .post(`${DEPLOYS}/${dag1.body.id}/rollback`)
      .send({ description: 'v2 broke billing' })
      .expect(201);
    expect(rollback.body).toMatchObject({
      type: 'IMAGE_AND_DAG',
      rollbackOf: dag1.body.id,
      image: 'etl:1',
      bundle: { version: v1.checksum },
      description: 'v2 broke billing',
      status: 'INITIALIZED',
    });
    expect((await api.get(DEP)).body).toMatchObject({
      image: 'etl:1',
      dagBundleVersion: v1.checksum,
    });
    const events = (await api.get(`${DEP}/events`)).body.items;
    expect(events[0].action).toBe('deploy-rollback');

    // Older than the retention period: refused.
    await knex('deploys')
      .where({ id: dag1.body.id })
      .update({ created_at: new Date(Date.now() - 91 * 86_400_000) });
    const old = await api
      .post(`${DEPLOYS}/${dag1.body.id}/rollback`)
      .send({})
      .expect(409);
    expect(old.body.error.message).toContain('astro.deploys.retentionDays');
    await api
      .post(`${DEPLOYS}/00000000-0000-4000-8000-000000000000/rollback`)
      .send({})
      .expect(404);
    await stop();
  });

  it('fails pending deploys that a newer deploy supersedes', async () => {
    const { api, stop } = await startDeployTestBackend(databases, databaseId);
    const first = await postBundle(
      api.post(DEPLOYS),
      await dagsBundle('1'),
    ).expect(201);
    const image = await api
      .post(DEPLOYS)
      .send({ type: 'IMAGE', image: 'etl:1' })
      .expect(201);
    await postBundle(api.post(DEPLOYS), await dagsBundle('2')).expect(201);
    expect((await api.get(`${DEPLOYS}/${first.body.id}`)).body).toMatchObject({
      status: 'FAILED',
      statusReason: expect.stringContaining('Superseded by deploy'),
    });
    expect((await api.get(`${DEPLOYS}/${image.body.id}`)).body.status).toBe(
      'INITIALIZED',
    );
    await stop();
  });

  it('keeps the bundle token and registry passwords out of responses, events and logs', async () => {
    const logger = new CollectingLogger();
    const { api, stop, deploymentId, bundleToken } =
      await startDeployTestBackend(databases, databaseId, { logger });
    const responses: unknown[] = [];
    const keep = (response: { body: unknown }) => {
      responses.push(response.body);
      return response;
    };
    keep(
      await api
        .post(DEPLOYS)
        .send({
          type: 'IMAGE',
          image: 'registry.example.com/etl:1',
          registryCredentials: {
            username: 'ci',
            password: 'registry-secret-pw',
          },
        })
        .expect(201),
    );
    // Refused: the password must not appear in the error either.
    keep(
      await api
        .post(DEPLOYS)
        .send({
          type: 'IMAGE',
          image: 'registry.example.com/etl',
          registryCredentials: {
            username: 'ci',
            password: 'registry-secret-pw',
          },
        })
        .expect(400),
    );
    const bundle = await dagsBundle();
    keep(await postBundle(api.post(DEPLOYS), bundle).expect(201));
    const token = await bundleToken('etl');
    const id = await deploymentId('etl');
    keep(
      await api
        .get(`/api/astro/bundles/${id}/current`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200),
    );
    keep(
      await api
        .get(`/api/astro/bundles/${id}/current`)
        .set('Authorization', `Bearer ${token}x`)
        .expect(401),
    );
    keep(await api.get(DEP).expect(200));
    keep(await api.get(DEPLOYS).expect(200));
    keep(await api.get(`${DEP}/events`).expect(200));
    keep(await api.get(`${DEP}/spec`).expect(200));
    const seen = `${JSON.stringify(responses)}\n${logger.lines.join('\n')}`;
    expect(seen).not.toContain('registry-secret-pw');
    expect(seen).not.toContain(token);
    await stop();
  });
});
