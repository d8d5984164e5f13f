/*
 * Monitoring cost benchmark: what watching N running Deployments costs in
 * steady state, at 10, 100 and 1,000 Deployments.
 *
 * The real Astro backend plugin runs in this process (startTestBackend
 * with the real scheduler) with the monitor exactly as in production: no
 * `astro.monitor` config, so the default schedule (one pass a minute,
 * Deployments spread over it) and the default Airflow request budget.
 * Its clusters are simulators, each its own process (so this process's
 * heap is the backend's), declared in config by their kubeconfig and
 * driven by the production `kubernetes` driver; each simulator serves the
 * Kubernetes API and the simulated Airflow behind its service proxy.
 *
 * Per size: create the Deployments through the REST API, wait until all
 * are HEALTHY, let the monitor settle, then count over a steady-state
 * window (`--window-minutes`, default 5: five monitor intervals and one watch timeout of the driver) the
 * requests each simulator served: Airflow requests (service proxy) per
 * minute in total and per Deployment against the configured budget,
 * Kubernetes API requests (everything else) per minute by path class, the
 * watches open per cluster, and the backend's heap per Deployment after a
 * full GC; then how each per-Deployment figure changes from the smallest
 * size to the largest (1.00 = constant per Deployment).
 *
 *   ./dev yarn bench:monitoring                                # 10, 100, 1000
 *   ./dev yarn bench:monitoring --sizes 1000 --window-minutes 3
 *
 * SQLite in memory, or PostgreSQL when ASTRO_BENCH_POSTGRES_URL is set.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  SimulatorProcess,
  SimulatorStats,
  startSimulatorProcess,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import astroPlugin from '@airflow-portal/plugin-astro-backend';
import { DEFAULT_AIRFLOW_REQUESTS_PER_MINUTE } from '../plugins/astro-backend/src/monitor/createMonitor';
import { benchDatabase, dropBenchDatabase, option } from './lib';

const TOKEN = 'monitoring-bench-token';
const ORG = 'bench';
const WORKSPACE = 'ws';
/** The monitor's default interval (no `astro.monitor.schedule`). */
const INTERVAL_MINUTES = 1;
/** Concurrent create requests. */
const CREATORS = 4;
/** Reads of one full observation without a worker queue at its maximum. */
const FULL_OBSERVATION = 3;

/** Simulator processes of the size being run, killed if the bench is. */
const running = new Set<SimulatorProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.forEach(s => s.kill('SIGKILL'));
    process.exit(1);
  });
}

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms));
const progress = (message: string) =>
  process.stderr.write(
    `[${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );

function gc() {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('Run with node --expose-gc (yarn bench:monitoring does)');
  }
  collect();
  collect();
}

async function simulatorCall(
  simulator: SimulatorProcess,
  method: 'GET' | 'DELETE',
  path: string,
) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status}`);
  }
  return response.json();
}

const statsOf = (simulator: SimulatorProcess): Promise<SimulatorStats> =>
  simulatorCall(simulator, 'GET', '/simulator/v1/stats');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
}

interface SizeResult {
  deployments: number;
  clusters: number;
  convergeSeconds: number;
  windowMinutes: number;
  airflowTotal: number;
  airflowByRoute: Record<string, number>;
  /** Airflow requests of each Deployment in the window. */
  airflowPerDeployment: number[];
  kubernetesTotal: number;
  kubernetesByPath: Record<string, number>;
  openWatches: number[];
  heapPerDeployment: number;
  rssPerDeployment: number;
  cpuMsPerMinute: number;
  notHealthy: number;
}

async function runSize(
  deployments: number,
  perCluster: number,
  windowMinutes: number,
  settleSeconds: number,
  concurrency: number,
): Promise<SizeResult> {
  const clusterCount = Math.ceil(deployments / perCluster);
  const dir = await mkdtemp(join(tmpdir(), 'astro-monitoring-bench-'));
  const simulators = await Promise.all(
    Array.from({ length: clusterCount }, (_, k) =>
      startSimulatorProcess([
        '--port',
        '0',
        '--token',
        TOKEN,
        '--kubeconfig',
        join(dir, `c${k}.kubeconfig`),
        '--pod-ready-delay-ms',
        '50',
        '--title',
        'Monitoring bench',
      ]),
    ),
  );
  simulators.forEach(s => running.add(s));
  const database = await benchDatabase('astro_monitoring_bench');
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  try {
    backend = await startTestBackend({
      features: [
        astroPlugin,
        // The real scheduler: the monitor's global task runs as in production.
        schedulerServiceFactory,
        mockServices.database.factory({ knex: database.knex }),
        mockServices.rootLogger.factory({ level: 'error' }),
        mockServices.rootConfig.factory({
          data: {
            astro: {
              secrets: { encryptionKey: randomBytes(32).toString('base64') },
              // Fastest convergence on this machine; the schedule (an idle
              // pass every 30 s, no requests) stays the default.
              reconciler: { concurrency },
              // The simulated pods' DAG sync polls this every 10 s; a closed
              // loopback port keeps that traffic (bench:deploys measures
              // it) off the backend measured here.
              deploys: { bundleBaseUrl: 'http://127.0.0.1:9/api/astro' },
              // No `monitor` key: production defaults.
              clusters: simulators.map((s, k) => ({
                name: `c${k}`,
                title: `Simulator ${k}`,
                provider: 'simulator',
                region: 'local',
                kubeconfig: { path: join(dir, `c${k}.kubeconfig`) },
                airflowUrlTemplate: `${s.url}/airflow/{namespace}`,
              })),
            },
          },
        }),
      ],
    });
    const port = (backend.server.address() as AddressInfo).port;
    const api = `http://127.0.0.1:${port}/api/astro`;
    // Retried on connection errors (a loaded machine sees keep-alive
    // races) with the same Idempotency-Key, so nothing is created twice.
    const post = async (path: string, body: object) => {
      const key = randomUUID();
      for (let attempt = 1; ; attempt++) {
        let response: Response;
        try {
          response = await fetch(`${api}${path}`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'Idempotency-Key': key,
            },
            body: JSON.stringify(body),
          });
        } catch (error) {
          if (attempt >= 5) {
            throw error;
          }
          await sleep(1000);
          continue;
        }
        if (!response.ok) {
          throw new Error(
            `${path}: ${response.status} ${await response.text()}`,
          );
        }
        return;
      }
    };
    await post('/organizations', { name: ORG });
    await post(`/organizations/${ORG}/workspaces`, { name: WORKSPACE });

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    let next = 0;
    const creator = async () => {
      for (let i = next++; i < deployments; i = next++) {
        await post(`/organizations/${ORG}/deployments`, {
          name: `d${String(i).padStart(4, '0')}`,
          workspace: WORKSPACE,
          cluster: `c${i % clusterCount}`,
        });
        if ((i + 1) % 100 === 0) {
          progress(`${deployments}: ${i + 1} created`);
        }
      }
    };
    await Promise.all(Array.from({ length: CREATORS }, creator));
    const healthyCount = async () =>
      Number(
        (
          await database
            .knex('deployments')
            .where({ status: 'HEALTHY' })
            .whereRaw('observed_generation = generation')
            .count({ c: '*' })
        )[0].c,
      );
    let lastReport = Date.now();
    for (;;) {
      const healthy = await healthyCount();
      if (healthy >= deployments) {
        break;
      }
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        progress(`${deployments}: ${healthy}/${deployments} HEALTHY`);
      }
      await sleep(500);
    }
    const convergeSeconds = (Date.now() - started) / 1000;
    progress(
      `${deployments}: all HEALTHY after ${convergeSeconds.toFixed(
        0,
      )} s; settling ${settleSeconds} s`,
    );
    await sleep(settleSeconds * 1000);

    await Promise.all(
      simulators.map(s => simulatorCall(s, 'DELETE', '/simulator/v1/stats')),
    );
    const windowStart = Date.now();
    const cpuBefore = process.cpuUsage();
    progress(`${deployments}: measuring ${windowMinutes} min`);
    await sleep(windowMinutes * 60_000);
    const all = await Promise.all(simulators.map(statsOf));
    const measuredMinutes = (Date.now() - windowStart) / 60_000;
    const cpu = process.cpuUsage(cpuBefore);
    const notHealthy = deployments - (await healthyCount());

    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;

    const airflowByRoute: Record<string, number> = {};
    const byNamespace = new Map<string, number>();
    const kubernetesByPath: Record<string, number> = {};
    let airflowTotal = 0;
    let kubernetesTotal = 0;
    for (const stats of all) {
      for (const [namespace, routes] of Object.entries(stats.airflow)) {
        for (const [route, n] of Object.entries(routes)) {
          airflowByRoute[route] = (airflowByRoute[route] ?? 0) + n;
          byNamespace.set(namespace, (byNamespace.get(namespace) ?? 0) + n);
          airflowTotal += n;
        }
      }
      for (const [path, n] of Object.entries(stats.byPath)) {
        if (!path.startsWith('proxy ')) {
          kubernetesByPath[path] = (kubernetesByPath[path] ?? 0) + n;
          kubernetesTotal += n;
        }
      }
    }
    // Deployments whose Airflow was not asked at all count as 0.
    const counts = [...byNamespace.values()];
    const airflowPerDeployment = Array.from(
      { length: deployments },
      (_, i) => counts[i] ?? 0,
    );
    return {
      deployments,
      clusters: clusterCount,
      convergeSeconds,
      windowMinutes: measuredMinutes,
      airflowTotal,
      airflowByRoute,
      airflowPerDeployment,
      kubernetesTotal,
      kubernetesByPath,
      openWatches: all.map(s => s.openWatches),
      heapPerDeployment: (heapAfter - heapBefore) / deployments,
      rssPerDeployment: (rssAfter - rssBefore) / deployments,
      cpuMsPerMinute: (cpu.user + cpu.system) / 1000 / measuredMinutes,
      notHealthy,
    };
  } finally {
    await backend?.stop();
    for (const simulator of simulators) {
      simulator.kill('SIGKILL');
      running.delete(simulator);
    }
    await database.knex.destroy();
    await dropBenchDatabase(database.created);
    await rm(dir, { recursive: true, force: true });
  }
}

function report(results: SizeResult[], budget: number) {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const perMinute = (r: SizeResult, n: number) => n / r.windowMinutes;
  const airflowPerDep = (r: SizeResult) =>
    perMinute(r, r.airflowTotal) / r.deployments;
  const kubernetesPerDep = (r: SizeResult) =>
    perMinute(r, r.kubernetesTotal) / r.deployments;
  const rows: Array<[string, (r: SizeResult) => string]> = [
    ['Deployments on clusters', r => `${r.deployments} on ${r.clusters}`],
    [
      'converge (first create to all HEALTHY)',
      r =>
        `${r.convergeSeconds.toFixed(0)} s (${(
          r.deployments / r.convergeSeconds
        ).toFixed(1)}/s)`,
    ],
    ['steady-state window', r => `${r.windowMinutes.toFixed(2)} min`],
    ['not HEALTHY at the end of the window', r => String(r.notHealthy)],
    [
      'Airflow requests per minute (total)',
      r => perMinute(r, r.airflowTotal).toFixed(1),
    ],
    [
      'Airflow requests per minute per Deployment',
      r => {
        const values = r.airflowPerDeployment.map(n => n / r.windowMinutes);
        return `${airflowPerDep(r).toFixed(2)} (median ${median(values).toFixed(
          2,
        )}, min ${Math.min(...values).toFixed(2)}, max ${Math.max(
          ...values,
        ).toFixed(2)})`;
      },
    ],
    [
      'per Deployment ÷ budget',
      r => `${(airflowPerDep(r) / budget).toFixed(2)} of ${budget}/min`,
    ],
    [
      `per Deployment ÷ one full observation (${FULL_OBSERVATION}) a minute`,
      r =>
        (airflowPerDep(r) / (FULL_OBSERVATION / INTERVAL_MINUTES)).toFixed(2),
    ],
    [
      'Airflow requests per minute by route',
      r =>
        Object.entries(r.airflowByRoute)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([route, n]) => `${route} ${perMinute(r, n).toFixed(1)}`)
          .join('; '),
    ],
    [
      'Kubernetes requests per minute (no proxy)',
      r => perMinute(r, r.kubernetesTotal).toFixed(1),
    ],
    [
      'Kubernetes requests per minute per cluster',
      r => (perMinute(r, r.kubernetesTotal) / r.clusters).toFixed(1),
    ],
    [
      'Kubernetes requests per minute per Deployment',
      r => kubernetesPerDep(r).toFixed(3),
    ],
    [
      'Kubernetes requests by verb and path (window)',
      r =>
        Object.entries(r.kubernetesByPath)
          .sort(([, a], [, b]) => b - a)
          .map(([path, n]) => `${path} ${n}`)
          .join('; ') || 'none',
    ],
    ['watches open per cluster', r => [...new Set(r.openWatches)].join(', ')],
    ['backend heap per Deployment (after GC)', r => kib(r.heapPerDeployment)],
    ['backend RSS per Deployment', r => kib(r.rssPerDeployment)],
    [
      'backend CPU',
      r =>
        `${r.cpuMsPerMinute.toFixed(0)} ms per minute (${(
          r.cpuMsPerMinute / 600
        ).toFixed(1)} % of a core)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) {
    console.log(`${key.padEnd(width)}  ${results.map(value).join('  |  ')}`);
  }
  if (results.length > 1) {
    const a = results[0];
    const b = results[results.length - 1];
    const growth = (f: (r: SizeResult) => number) => (f(b) / f(a)).toFixed(2);
    console.log(
      `\nPer Deployment from ${a.deployments} to ${b.deployments} ` +
        `(1.00 = constant per Deployment): Airflow requests ${growth(
          airflowPerDep,
        )}, Kubernetes requests ${growth(kubernetesPerDep)}, heap ${growth(
          r => r.heapPerDeployment,
        )}, CPU ${growth(r => r.cpuMsPerMinute / r.deployments)}`,
    );
  }
}

async function main() {
  const sizes = option('sizes', '10,100,1000').split(',').map(Number);
  const perCluster = Number(option('per-cluster', '100'));
  const windowMinutes = Number(option('window-minutes', '5'));
  const settleSeconds = Number(option('settle-seconds', '75'));
  const concurrency = Number(option('concurrency', '8'));
  if (windowMinutes < 2 * INTERVAL_MINUTES) {
    throw new Error(
      `--window-minutes must cover at least two monitor intervals (${
        2 * INTERVAL_MINUTES
      })`,
    );
  }
  const results: SizeResult[] = [];
  for (const size of sizes) {
    progress(`running ${size} Deployments`);
    results.push(
      await runSize(
        size,
        perCluster,
        windowMinutes,
        settleSeconds,
        concurrency,
      ),
    );
  }
  report(results, DEFAULT_AIRFLOW_REQUESTS_PER_MINUTE);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
