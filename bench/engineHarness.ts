/*
 * The provisioning engine built the way the backend plugin builds it
 * (services, cluster registry, production kubernetes driver), for the
 * benchmarks that drive it by hand.
 */
import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { ClusterDeclaration } from '@airflow-portal/plugin-astro-node';
import { createAstroServices } from '../plugins/astro-backend/src/service/createAstroServices';
import {
  ClusterRegistry,
  KubernetesClusterDriver,
} from '../plugins/astro-backend/src/clusters';
import { createEngine } from '../plugins/astro-backend/src/engine/createEngine';
import { everyPrincipalExists } from '../plugins/astro-backend/src/service/__testUtils__/principals';
import { silentLogger } from './lib';

/** A simulated cluster reached over plain HTTP with a bearer token. */
export function simulatedCluster(
  name: string,
  simulator: { url: string; token: string },
): ClusterDeclaration {
  return {
    name,
    driver: 'simulator',
    type: 'standard',
    provider: 'simulator',
    region: 'local',
    connection: { server: simulator.url, token: simulator.token },
  };
}

/** Services and engine on `knex` for `declarations`, with `bench/ws` created. */
export async function startBenchEngine(options: {
  knex: Knex;
  declarations: ClusterDeclaration[];
  astroConfig?: JsonObject;
}) {
  const config = new ConfigReader({
    astro: {
      secrets: { encryptionKey: randomBytes(32).toString('base64') },
      ...options.astroConfig,
    },
  });
  const { services, db, secrets, changes } = await createAstroServices({
    principals: everyPrincipalExists,
    config,
    logger: silentLogger,
    database: { getClient: async () => options.knex },
  });
  await services.clusters.syncDeclared(options.declarations);
  const clusters = new ClusterRegistry({
    sources: [{ getClusters: async () => options.declarations }],
    drivers: [],
    kubernetesDriver: new KubernetesClusterDriver(),
    logger: silentLogger,
  });
  const engine = createEngine({
    config,
    logger: silentLogger,
    db,
    secrets,
    changes,
    deploymentOptions: services.deployments.deploymentOptions,
    clusters,
  });
  // Changes reconcile at once; passes are driven by hand.
  engine.followChanges();
  await services.organizations.create('user:default/bench', { name: 'bench' });
  await services.workspaces.create('user:default/bench', 'bench', {
    name: 'ws',
  });
  return {
    services,
    engine,
    clusters,
    /** Deployments HEALTHY at their latest generation. */
    healthyCount: async () =>
      Number(
        (
          await options
            .knex('deployments')
            .where({ status: 'HEALTHY' })
            .whereRaw('observed_generation = generation')
            .count({ c: '*' })
        )[0].c,
      ),
    stop: async () => {
      await engine.stop();
      await clusters.close();
    },
  };
}
