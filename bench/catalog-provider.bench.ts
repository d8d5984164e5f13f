/*
 * Catalog provider benchmark: one full refresh of the Astro entity provider
 * against the real Astro backend (its REST API, store and paging) at 1,000
 * and 10,000 Deployments.
 *
 * The backend runs in a child process, so that the memory measured here is
 * the provider's alone: a child starts the Astro plugin (reconciler off) on
 * SQLite in memory, or on PostgreSQL when ASTRO_BENCH_POSTGRES_URL is set,
 * creates an organization with 20 workspaces and one Deployment (three
 * environment variables, one secret) through the API, and clones that
 * Deployment's rows in the store to the wanted count. The provider then runs
 * here, as the catalog runs it, with a recording connection.
 *
 * Prints, per size: wall time of the full refresh (median of 3 after a
 * warm-up), HTTP requests and bytes read, entities emitted, heap growth
 * while it runs and retained by the mutation, and ratios per Deployment.
 *
 * Run: ./dev yarn bench:catalog [-- --sizes 1000,10000 --runs 3]
 */
import { fork, ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Knex } from 'knex';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import astroPlugin from '@airflow-portal/plugin-astro-backend';
import { astroClustersExtensionPoint } from '@airflow-portal/plugin-astro-node';
import { AstroEntityProvider } from '@airflow-portal/plugin-catalog-backend-module-astro';

import { benchDatabase, dropBenchDatabase, option, silentLogger } from './lib';

const WORKSPACES = 20;
const ORGANIZATION = 'bench';

// ---------------------------------------------------------------- the backend

/** Copies the one Deployment created through the API to `count` in all. */
async function cloneDeployments(knex: Knex, count: number) {
  const template = await knex('deployments').first();
  const variables = await knex('deployment_variables').where({
    deployment_id: template.id,
  });
  const workspaces = await knex('workspaces').select('id');
  const rows: object[] = [];
  const variableRows: object[] = [];
  for (let i = 1; i < count; i++) {
    const id = randomUUID();
    const name = `dep-${String(i).padStart(5, '0')}`;
    rows.push({
      ...template,
      id,
      name,
      title: name,
      namespace: `astro-${name}-${id.slice(0, 6)}`,
      workspace_id: workspaces[i % workspaces.length].id,
    });
    for (const variable of variables) {
      variableRows.push({ ...variable, deployment_id: id });
    }
  }
  await knex.batchInsert('deployments', rows, 200);
  await knex.batchInsert('deployment_variables', variableRows, 200);
}

/** The child process: the Astro backend with `count` Deployments. */
async function serve(count: number) {
  const { knex, label, created } = await benchDatabase('astro_catalog_bench');
  const clusters = createBackendModule({
    pluginId: 'astro',
    moduleId: 'bench-clusters',
    register(env) {
      env.registerInit({
        deps: { extension: astroClustersExtensionPoint },
        async init({ extension }) {
          extension.addClusterSource({
            getClusters: async () => [
              {
                name: 'bench-cluster',
                type: 'standard',
                provider: 'bench',
                region: 'local',
                driver: 'bench',
              },
            ],
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      astroPlugin,
      clusters,
      mockServices.database.factory({ knex }),
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.rootConfig.factory({
        data: {
          astro: {
            reconciler: { enabled: false },
            secrets: { encryptionKey: randomBytes(32).toString('base64') },
          },
        },
      }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}/api/astro`;
  const post = async (path: string, body: object) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    }
  };
  await post('/organizations', { name: ORGANIZATION });
  for (let i = 0; i < WORKSPACES; i++) {
    await post(`/organizations/${ORGANIZATION}/workspaces`, {
      name: `ws-${i}`,
      ...(i % 2 === 0 ? { owner: `group:default/team-${i}` } : {}),
    });
  }
  await post(`/organizations/${ORGANIZATION}/deployments`, {
    name: 'dep-00000',
    workspace: 'ws-0',
    settings: {
      environmentVariables: [
        { key: 'PLAIN', value: 'plain value' },
        { key: 'REGION', value: 'eu-west-1' },
        { key: 'TOKEN', value: 'bench-secret', secret: true },
      ],
    },
  });
  await cloneDeployments(knex, count);
  process.send!({ type: 'astro-bench-ready', baseUrl, label, created });
}

// ------------------------------------------------------------ the measurement

interface RunResult {
  ms: number;
  requests: number;
  bytes: number;
  entities: number;
  deployments: number;
  peakHeapGrowth: number;
  peakRssGrowth: number;
  retainedHeap: number;
}

function gc() {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('Run with node --expose-gc (yarn bench:catalog does)');
  }
  collect();
  collect();
}

async function startServer(count: number) {
  const child: ChildProcess = fork(__filename, ['--serve', String(count)]);
  // The node transform sends messages of its own; wait for ours.
  type Ready = { baseUrl: string; label: string; created?: string };
  const message = await new Promise<Ready>((resolve, reject) => {
    child.on('message', (m: Ready & { type?: string }) => {
      if (m?.type === 'astro-bench-ready') {
        resolve(m);
      }
    });
    child.once('exit', code => reject(new Error(`server exited: ${code}`)));
  });
  return { child, ...message };
}

async function run(baseUrl: string): Promise<RunResult> {
  let bytes = 0;
  let requests = 0;
  // Counts what the provider's API client sends and receives.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    requests += 1;
    const response = await realFetch(input, init);
    bytes += Number(response.headers.get('content-length') ?? 0);
    return response;
  };
  let held: EntityProviderMutation | undefined;
  const provider = new AstroEntityProvider({
    logger: silentLogger,
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => baseUrl,
    },
    auth: mockServices.auth({ pluginId: 'catalog' }),
    appBaseUrl: 'http://localhost:3000',
  });
  await provider.connect({
    applyMutation: async mutation => {
      held = mutation;
    },
    refresh: async () => {},
  });

  gc();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }, 2);
  const started = process.hrtime.bigint();
  const summary = await provider.refresh();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  globalThis.fetch = realFetch;
  clearInterval(sampler);
  const end = process.memoryUsage();
  peakHeap = Math.max(peakHeap, end.heapUsed);
  peakRss = Math.max(peakRss, end.rss);

  gc();
  const retainedHeap = process.memoryUsage().heapUsed - before.heapUsed;
  const entities = held?.type === 'full' ? held.entities.length : 0;
  held = undefined;
  return {
    ms,
    requests,
    bytes,
    entities,
    deployments: summary.deployments,
    peakHeapGrowth: peakHeap - before.heapUsed,
    peakRssGrowth: peakRss - before.rss,
    retainedHeap,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const sizes = option('sizes', '1000,10000').split(',').map(Number);
  const runs = Number(option('runs', '3'));
  const results: Array<{ size: number; result: RunResult }> = [];

  for (const size of sizes) {
    const { child, baseUrl, label, created } = await startServer(size);
    try {
      await run(baseUrl); // warm-up: JIT, connections, first queries
      const measured: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        measured.push(await run(baseUrl));
      }
      const result: RunResult = {
        ...measured[0],
        ms: median(measured.map(r => r.ms)),
        peakHeapGrowth: Math.max(...measured.map(r => r.peakHeapGrowth)),
        peakRssGrowth: Math.max(...measured.map(r => r.peakRssGrowth)),
        retainedHeap: median(measured.map(r => r.retainedHeap)),
      };
      results.push({ size, result });
      const { deployments: d } = result;
      console.log(
        `\n${size.toLocaleString(
          'en-US',
        )} Deployments (${label}, ${WORKSPACES} workspaces, page size 500, median of ${runs})`,
      );
      console.log(`  full refresh            ${result.ms.toFixed(0)} ms`);
      console.log(
        `  entities emitted        ${result.entities} (${d} Deployments + ${
          result.entities - d
        } organization, workspaces, cluster)`,
      );
      console.log(
        `  HTTP requests           ${result.requests} (${(
          (result.requests / d) *
          1000
        ).toFixed(2)} per 1,000 Deployments)`,
      );
      console.log(
        `  bytes read              ${mb(result.bytes)} (${kb(
          result.bytes / d,
        )} per Deployment)`,
      );
      console.log(
        `  time per Deployment     ${((result.ms / d) * 1000).toFixed(0)} µs`,
      );
      console.log(
        `  peak heap growth        ${mb(result.peakHeapGrowth)} (${kb(
          result.peakHeapGrowth / d,
        )} per Deployment)`,
      );
      console.log(`  peak RSS growth         ${mb(result.peakRssGrowth)}`);
      console.log(
        `  heap held by mutation   ${mb(result.retainedHeap)} (${kb(
          result.retainedHeap / result.entities,
        )} per entity)`,
      );
    } finally {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill();
      await exited;
      await dropBenchDatabase(created);
    }
  }

  if (results.length > 1) {
    const [small, large] = [results[0], results[results.length - 1]];
    const factor = large.size / small.size;
    console.log(`\nScaling ${small.size} → ${large.size} (×${factor}):`);
    console.log(
      `  time ×${(large.result.ms / small.result.ms).toFixed(1)}, requests ×${(
        large.result.requests / small.result.requests
      ).toFixed(1)}, peak heap ×${(
        large.result.peakHeapGrowth / small.result.peakHeapGrowth
      ).toFixed(1)}, retained heap ×${(
        large.result.retainedHeap / small.result.retainedHeap
      ).toFixed(1)}`,
    );
  }
}

if (process.argv[2] === '--serve') {
  serve(Number(process.argv[3])).catch(error => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
