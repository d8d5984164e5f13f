import { randomBytes } from 'node:crypto';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { SecretBox } from '../secrets/SecretBox';
import {
  AstroTestBackendOptions,
  startAstroTestBackend,
} from './startAstroTestBackend';

export const ORG = '/api/astro/organizations/acme';
export const DEP = `${ORG}/deployments/etl`;
export const DEPLOYS = `${DEP}/deploys`;

/**
 * A test backend with organization `acme`, workspaces `data-eng` and
 * `analytics`, and Deployments `etl` and `reports` in `data-eng` and
 * `metrics` in `analytics`; and a way to read the secrets it stored.
 */
export async function startDeployTestBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: Partial<AstroTestBackendOptions> = {},
) {
  const encryptionKey = randomBytes(32).toString('base64');
  const backend = await startAstroTestBackend({
    databases,
    databaseId,
    encryptionKey,
    ...options,
  });
  const api = request(backend.server);
  const asUser = (call: request.Test) =>
    options.unauthenticatedByDefault
      ? call.set('Authorization', 'Bearer mock-user-token')
      : call;
  await asUser(api.post('/api/astro/organizations'))
    .send({ name: 'acme' })
    .expect(201);
  for (const ws of ['data-eng', 'analytics']) {
    await asUser(api.post(`${ORG}/workspaces`))
      .send({ name: ws })
      .expect(201);
  }
  for (const [name, workspace] of [
    ['etl', 'data-eng'],
    ['reports', 'data-eng'],
    ['metrics', 'analytics'],
  ]) {
    await asUser(api.post(`${ORG}/deployments`))
      .send({ name, workspace })
      .expect(201);
  }
  const box = SecretBox.fromBase64Key(encryptionKey);
  const deploymentId = async (name: string) =>
    (await backend.knex('deployments').where({ name }).first()).id as string;
  const bundleToken = async (name: string) => {
    const row = await backend
      .knex('deployment_credentials')
      .where({ deployment_id: await deploymentId(name), name: 'bundleToken' })
      .first();
    return box.decrypt(row.value_ciphertext);
  };
  return { ...backend, api, asUser, box, deploymentId, bundleToken };
}

/** POSTs a bundle as a DAG (or IMAGE_AND_DAG) deploy. */
export function postBundle(
  call: request.Test,
  bundle: { bytes: Buffer; checksum?: string },
  query: Record<string, string> = {},
) {
  return call
    .query({
      ...(bundle.checksum ? { checksum: bundle.checksum } : {}),
      ...query,
    })
    .set('Content-Type', 'application/gzip')
    .send(bundle.bytes);
}
