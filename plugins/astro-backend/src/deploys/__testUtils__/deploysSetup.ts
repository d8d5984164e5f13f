import { randomBytes } from 'node:crypto';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { createAstroServices } from '../../service/createAstroServices';
import { SecretBox } from '../../secrets/SecretBox';
import { createDeploys, readDeployConfig } from '../createDeploys';
import { everyPrincipalExists } from '../../service/__testUtils__/principals';

export const ACTOR = 'user:default/alice';
export const DEPLOYER = { actor: ACTOR, viaApiToken: false };

/** A pod of a Deployment as the watch cache holds it. */
export function pod(
  name: string,
  component: string,
  state: { ready?: boolean; phase?: string; terminating?: boolean } = {},
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      labels: { 'app.kubernetes.io/component': component },
      ...(state.terminating
        ? { deletionTimestamp: '2026-12-01T00:00:00Z' }
        : {}),
    },
    status: {
      phase: state.phase ?? 'Running',
      conditions: [
        { type: 'Ready', status: state.ready === false ? 'False' : 'True' },
      ],
    },
  };
}

/**
 * Services, code deploys and a Deployment `etl`, with a fake clock and a
 * fake pod source standing in for the engine's watch caches.
 */
export async function setupDeploys(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  config: object = {},
) {
  const knex = await databases.init(databaseId);
  const encryptionKey = randomBytes(32).toString('base64');
  const appConfig = new ConfigReader({
    astro: { secrets: { encryptionKey }, deploys: config },
  });
  const logger = mockServices.logger.mock();
  const { services, db, secrets, changes, mutations } =
    await createAstroServices({
      principals: everyPrincipalExists,
      config: appConfig,
      logger,
      database: { getClient: async () => knex },
    });
  await services.clusters.syncDeclared([
    {
      name: 'c',
      driver: 'simulator',
      type: 'standard',
      provider: 'p',
      region: 'r',
    },
  ]);
  await services.organizations.create(ACTOR, { name: 'acme' });
  await services.workspaces.create(ACTOR, 'acme', { name: 'ws' });
  await services.deployments.create(ACTOR, 'acme', {
    name: 'etl',
    workspace: 'ws',
  });
  const id = (await services.deployments.getRecord('acme', 'etl')).id;
  let now = new Date();
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
  let pods: KubernetesObject[] = [];
  let podsError: Error | undefined;
  const podSource = {
    set(next: KubernetesObject[]) {
      pods = next;
    },
    fail(error: Error | undefined) {
      podsError = error;
    },
    async objectsOf() {
      if (podsError) {
        throw podsError;
      }
      return new Map(pods.map(p => [`Pod/${p.metadata.name}`, p]));
    },
  };
  const makeDeploys = () =>
    createDeploys({
      config: readDeployConfig(appConfig),
      logger,
      db,
      secrets,
      mutations,
      changes,
      deployments: services.deployments,
      bundleStore: db.bundleContents,
      pods: podSource,
      clock: clock.now,
    });
  return {
    knex,
    db,
    services,
    id,
    clock,
    pods: podSource,
    deploys: makeDeploys(),
    makeDeploys,
    box: SecretBox.fromBase64Key(encryptionKey),
    logger,
  };
}
