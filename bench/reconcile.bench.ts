/*
 * Reconcile benchmark: the provisioning engine against the Kubernetes
 * simulator over HTTP, through the production kubernetes driver.
 *
 * Prints counts and ratios, not absolute times alone:
 *   - API requests per new Deployment vs objects rendered,
 *   - writes (and requests) per idle pass,
 *   - time and requests to converge N Deployments (default 200),
 *   - watches per cluster.
 *
 * Run: ./dev yarn bench:reconcile  [-- --deployments 200]
 * Uses SQLite in memory, or PostgreSQL when ASTRO_BENCH_POSTGRES_URL is set.
 */
import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { startKubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { createAstroServices } from '../plugins/astro-backend/src/service/createAstroServices';
import {
  ClusterRegistry,
  KubernetesClusterDriver,
} from '../plugins/astro-backend/src/clusters';
import { createEngine } from '../plugins/astro-backend/src/engine/createEngine';
import { benchDatabase, dropBenchDatabase, option, silentLogger } from './lib';
import { everyPrincipalExists } from '../plugins/astro-backend/src/service/__testUtils__/principals';

async function main() {
  const count = Number(option('deployments', '200'));
  const simulator = await startKubernetesSimulator({
    podReadyDelayMs: 50,
    namespaceDeletionDelayMs: 50,
  });
  const database = await benchDatabase('astro_reconcile_bench');
  const { knex, label } = database;
  const config = new ConfigReader({
    astro: {
      secrets: { encryptionKey: randomBytes(32).toString('base64') },
      reconciler: { concurrency: Number(option('concurrency', '4')) },
    },
  });
  const { services, db, secrets, changes } = await createAstroServices({
    principals: everyPrincipalExists,
    config,
    logger: silentLogger,
    database: { getClient: async () => knex },
  });
  const cluster = {
    name: 'sim',
    driver: 'simulator',
    type: 'standard' as const,
    provider: 'simulator',
    region: 'local',
    connection: { server: simulator.url, token: simulator.token },
  };
  await services.clusters.syncDeclared([cluster]);
  const clusters = new ClusterRegistry({
    sources: [{ getClusters: async () => [cluster] }],
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
  // Changes reconcile at once; passes are driven by hand below.
  engine.followChanges();
  await services.organizations.create('user:default/bench', { name: 'bench' });
  await services.workspaces.create('user:default/bench', 'bench', {
    name: 'ws',
  });

  const healthyCount = async () =>
    Number(
      (
        await knex('deployments')
          .where({ status: 'HEALTHY' })
          .whereRaw('observed_generation = generation')
          .count({ c: '*' })
      )[0].c,
    );
  const waitHealthy = async (expected: number) => {
    while ((await healthyCount()) < expected) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    await engine.loop.whenIdle();
  };

  console.log(`Reconcile benchmark — ${label}, simulator at ${simulator.url}`);

  // 1. One new Deployment.
  simulator.control.resetStats();
  await services.deployments.create('user:default/bench', 'bench', {
    name: 'first',
    workspace: 'ws',
  });
  await waitHealthy(1);
  const first = simulator.control.stats();
  const record = await services.deployments.getRecord('bench', 'first');
  const rendered = engine.reconciler.lastRender(record.id)!.objects.length;
  const requests = first.total - first.requests.watch;
  console.log(
    `\nNew Deployment: ${rendered} objects rendered, ${first.requests.apply} applies, ` +
      `${requests} API requests in all (excluding watch streams) — ` +
      `${(requests / rendered).toFixed(2)} requests per object`,
  );
  console.log(
    `  by verb: ${Object.entries(first.requests)
      .filter(([, n]) => n > 0)
      .map(([verb, n]) => `${verb} ${n}`)
      .join(', ')}`,
  );

  // 2. Idle passes.
  simulator.control.resetStats();
  const passes = 5;
  for (let i = 0; i < passes; i++) {
    await engine.loop.enqueueAll();
    await engine.loop.whenIdle();
  }
  const idle = simulator.control.stats();
  console.log(
    `\nIdle passes: ${passes} passes over 1 Deployment — ${idle.writes.length} writes, ` +
      `${idle.total - idle.requests.watch} requests (${(
        idle.writes.length / passes
      ).toFixed(2)} writes per pass)`,
  );

  // 3. Converge many Deployments.
  simulator.control.resetStats();
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    await services.deployments.create('user:default/bench', 'bench', {
      name: `d${i}`,
      workspace: 'ws',
    });
  }
  const created = Date.now();
  await waitHealthy(count + 1);
  const done = Date.now();
  const many = simulator.control.stats();
  const manyRequests = many.total - many.requests.watch;
  console.log(
    `\nConverging ${count} Deployments: ${((done - started) / 1000).toFixed(
      1,
    )} s from the first create to all HEALTHY (creates took ${(
      (created - started) /
      1000
    ).toFixed(1)} s); ${(count / ((done - started) / 1000)).toFixed(
      1,
    )} Deployments/s`,
  );
  console.log(
    `  ${many.requests.apply} applies (${(many.requests.apply / count).toFixed(
      1,
    )} per Deployment), ${manyRequests} requests (${(
      manyRequests / count
    ).toFixed(1)} per Deployment)`,
  );

  // 4. Idle pass over everything.
  simulator.control.resetStats();
  const idleStart = Date.now();
  await engine.loop.enqueueAll();
  await engine.loop.whenIdle();
  const idleAll = simulator.control.stats();
  console.log(
    `\nIdle pass over ${count + 1} Deployments: ${
      idleAll.writes.length
    } writes, ${idleAll.total - idleAll.requests.watch} requests, ${
      Date.now() - idleStart
    } ms`,
  );

  // 5. Watches.
  const watches = await engine.watched.watchCounts();
  console.log(
    `\nWatches per cluster: ${JSON.stringify(watches)} for ${
      count + 1
    } Deployments (simulator sees ${simulator.control.openWatches()} open watch streams)`,
  );

  await engine.stop();
  await clusters.close();
  await simulator.stop();
  await knex.destroy();
  await dropBenchDatabase(database.created);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
