import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { stringify as stringifyYaml } from 'yaml';
import {
  CollectingLogger,
  snapshotTables,
  startAstroTestBackend,
} from '../__testUtils__/startAstroTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const SECRETS = [
  'S3CRET-FIRST-VALUE',
  'S3CRET-SECOND-VALUE',
  'S3CRET-IMPORTED-VALUE',
  'S3CRET-REJECTED-VALUE',
  'S3CRET-CLUSTER-TOKEN',
];

describe.each(databases.eachSupportedId())(
  'secret values on %s',
  databaseId => {
    it('never appear in responses, the database in clear text, or logs', async () => {
      const logger = new CollectingLogger();
      const backend = await startAstroTestBackend({
        databases,
        databaseId,
        logger,
      });
      const api = request(backend.server);
      const bodies: string[] = [];
      const record = (response: request.Response) => {
        bodies.push(response.text);
        return response;
      };
      const deps = '/api/astro/organizations/acme/deployments';

      await api
        .post('/api/astro/organizations')
        .send({ name: 'acme' })
        .expect(201);
      await api
        .post('/api/astro/organizations/acme/workspaces')
        .send({ name: 'data-eng' })
        .expect(201);
      record(
        await api
          .post(deps)
          .send({
            name: 'etl',
            workspace: 'data-eng',
            settings: {
              environmentVariables: [
                { key: 'API_TOKEN', value: SECRETS[0], secret: true },
                { key: 'PLAIN', value: 'visible' },
              ],
            },
          })
          .expect(201),
      );
      record(
        await api
          .put(`${deps}/etl/variables`)
          .send({
            environmentVariables: [
              { key: 'API_TOKEN', value: SECRETS[1], secret: true },
            ],
          })
          .expect(200),
      );
      record(
        await api
          .patch(`${deps}/etl`)
          .send({
            settings: {
              environmentVariables: [
                { key: 'API_TOKEN', secret: true },
                { key: 'BAD-KEY', value: SECRETS[3], secret: true },
              ],
            },
          })
          .expect(400),
      );
      const file = {
        apiVersion: 'astro.airflow-portal.dev/v1alpha1',
        kind: 'AstroDeploymentFile',
        metadata: { name: 'copy', workspace: 'data-eng' },
        spec: {
          settings: {
            environmentVariables: [
              { key: 'API_TOKEN', value: SECRETS[2], secret: true },
            ],
          },
        },
      };
      record(
        await api
          .post(`${deps}:import`)
          .set('Content-Type', 'application/yaml')
          .send(stringifyYaml(file))
          .expect(201),
      );
      record(
        await api
          .post('/api/astro/clusters')
          .send({
            name: 'eu',
            type: 'standard',
            provider: 'aws',
            region: 'eu-west-1',
            connection: { server: 'https://10.0.0.1', token: SECRETS[4] },
          })
          .expect(201),
      );
      for (const path of [
        `${deps}`,
        `${deps}/etl`,
        `${deps}/etl/variables`,
        `${deps}/etl/events`,
        `${deps}/copy/events`,
        `${deps}/etl/spec`,
        '/api/astro/clusters',
        '/api/astro/clusters/eu',
      ]) {
        record(await api.get(path).expect(200));
      }

      const variables = JSON.parse(bodies[bodies.length - 6]);
      expect(variables.environmentVariables).toEqual([
        { key: 'API_TOKEN', secret: true },
      ]);

      const database = await snapshotTables(backend.knex);
      for (const secret of SECRETS) {
        for (const body of bodies) {
          expect(body).not.toContain(secret);
        }
        expect(database).not.toContain(secret);
        expect(logger.lines.join('\n')).not.toContain(secret);
      }
      // The values are stored, only encrypted.
      const rows = await backend
        .knex('deployment_variables')
        .where({ key: 'API_TOKEN' });
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.value).toBeNull();
        expect(row.value_ciphertext).toMatch(/^v1:/);
      }
      expect(logger.lines.length).toBeGreaterThan(0);
    });
  },
);
