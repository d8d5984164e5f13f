/*
 * Scale benchmark: one backend's provisioning engine against K simulated
 * clusters, each simulator its own process (so this process's memory is
 * the backend's, watch caches included), with M Deployments per cluster.
 *
 * Printed per size: the simulators' own apply capacity (measured in the
 * same run, all at once), time to converge divided by the time the
 * simulators need for the applies it took, backend heap and RSS per
 * Deployment, CPU, database statements and Kubernetes API requests of
 * idle passes (the first after converging and the third, when Deployments
 * are settled), watches per cluster; then how each
 * per-Deployment figure changes from the smallest size to the largest
 * (1.00 = linear).
 *
 *   ./dev yarn bench:scale                      # 10x20 and 10x100
 *   ./dev yarn bench:scale --sizes 10x100,10x1000
 *   ./dev yarn bench:scale --sizes 10x1000 --concurrency 16
 *
 * SQLite in memory, or PostgreSQL when ASTRO_BENCH_POSTGRES_URL is set.
 * SCALE_BENCH_PROFILE=<prefix> writes a CPU profile of the backend's last
 * idle pass; SCALE_BENCH_PROFILE_SIMULATORS=<dir> has the simulators write
 * profiles of their whole run. 10,000 Deployments need more than Node's
 * default heap: NODE_OPTIONS=--max-old-space-size=8192.
 */
import {
  SimulatorProcess,
  startSimulatorProcess,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import { readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { benchDatabase, dropBenchDatabase, option } from './lib';
import { simulatedCluster, startBenchEngine } from './engineHarness';

const TOKEN = 'scale-bench-token';
const CAPACITY_SECONDS = 5;
const CAPACITY_CONCURRENCY = 8;

function gc() {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('Run with node --expose-gc (yarn bench:scale does)');
  }
  collect();
  collect();
}

/** What ran beside a pass's own work: GC pauses and the simulators' CPU. */
function besidePass(pass: IdlePass): string {
  return `${pass.gcPauseMs.toFixed(0)} ms GC pauses (${
    pass.majorGcs
  } full: ${pass.majorGcPauseMs.toFixed(
    0,
  )} ms); simulators meanwhile ${pass.simulatorsCpuMs.toFixed(0)} ms CPU`;
}

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms));

async function call(
  simulator: SimulatorProcess,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: any }> {
  const send = async () => {
    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'Content-Type': contentType } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  try {
    return await send();
  } catch (error) {
    // Two 10 x 1,000 runs lost their results to a request sent on a
    // connection the simulator had just closed as idle (once a read of the
    // stats, once their reset): idempotent requests are sent once more.
    if (!['GET', 'PUT', 'DELETE'].includes(method)) {
      throw error;
    }
    return send();
  }
}

/** Successful applies per second of all simulators together. */
async function applyCapacity(simulators: SimulatorProcess[]): Promise<number> {
  const apply = (simulator: SimulatorProcess, path: string, object: object) =>
    call(
      simulator,
      'PATCH',
      `${path}?fieldManager=capacity`,
      object,
      'application/apply-patch+yaml',
    );
  await Promise.all(
    simulators.map(s =>
      apply(s, '/api/v1/namespaces/capacity', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'capacity' },
      }),
    ),
  );
  const deadline = Date.now() + CAPACITY_SECONDS * 1000;
  let applies = 0;
  const worker = async (simulator: SimulatorProcess, lane: number) => {
    for (let n = 0; Date.now() < deadline; n++) {
      const name = `probe-${lane}-${n % 50}`;
      const { status } = await apply(
        simulator,
        `/api/v1/namespaces/capacity/configmaps/${name}`,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'capacity' },
          data: { n: String(n) },
        },
      );
      if (status < 300) {
        applies += 1;
      }
    }
  };
  const started = Date.now();
  await Promise.all(
    simulators.flatMap(s =>
      Array.from({ length: CAPACITY_CONCURRENCY }, (_, lane) =>
        worker(s, lane),
      ),
    ),
  );
  const rate = applies / ((Date.now() - started) / 1000);
  await Promise.all(
    simulators.map(s => call(s, 'DELETE', '/api/v1/namespaces/capacity')),
  );
  return rate;
}

/** CPU time (user + system) a process has used so far, from /proc. */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

async function simulatorsCpuMs(simulators: SimulatorProcess[]) {
  const each = await Promise.all(simulators.map(s => processCpuMs(s.pid)));
  return each.reduce((a, b) => a + b, 0);
}

async function sumStats(simulators: SimulatorProcess[]) {
  const all = await Promise.all(
    simulators.map(s => call(s, 'GET', '/simulator/v1/stats')),
  );
  let apply = 0;
  let requests = 0;
  for (const { body } of all) {
    apply += body.requests.apply;
    requests += body.total - body.requests.watch;
  }
  return { apply, requests };
}

interface IdlePass {
  ms: number;
  cpuMs: number;
  /** Deployments found settled (not checked object by object). */
  settled: number;
  /** Database statements the pass ran, and of them, writes. */
  statements: number;
  writeStatements: number;
  /** CPU the simulators used meanwhile (their own work, on the same cores). */
  simulatorsCpuMs: number;
  /** Time the main thread spent paused for garbage collection. */
  gcPauseMs: number;
  /** Full (mark-compact) collections, and their part of those pauses. */
  majorGcs: number;
  majorGcPauseMs: number;
}

interface SizeResult {
  label: string;
  deployments: number;
  capacity: number;
  convergeSeconds: number;
  /** CPU used while converging: this process (the backend) and the simulators. */
  convergeBackendCpuMs: number;
  convergeSimulatorsCpuMs: number;
  applies: number;
  requests: number;
  heapPerDeployment: number;
  rssPerDeployment: number;
  firstIdle: IdlePass;
  lastIdle: IdlePass;
  idleRequests: number;
  idleWrites: number;
  /** API requests (watches opened included) in one minute of steady state. */
  steadyMinuteRequests: number;
  steadyMinuteWatches: number;
  watches: string;
  cachedObjects: number;
  cachedBytes: number;
  managedFieldsBytes: number;
}

async function runSize(
  clusters: number,
  perCluster: number,
  concurrency: number,
): Promise<SizeResult> {
  const label = `${clusters}x${perCluster}`;
  // SCALE_BENCH_PROFILE_SIMULATORS=<dir>: the simulators write CPU
  // profiles of their whole run there when stopped.
  const simulatorProfiles = process.env.SCALE_BENCH_PROFILE_SIMULATORS;
  const simulatorEnv = simulatorProfiles
    ? {
        ...process.env,
        NODE_OPTIONS: `${
          process.env.NODE_OPTIONS ?? ''
        } --cpu-prof --cpu-prof-dir=${simulatorProfiles}`,
      }
    : process.env;
  const simulators = await Promise.all(
    Array.from({ length: clusters }, () =>
      startSimulatorProcess(
        [
          '--port',
          '0',
          '--token',
          TOKEN,
          '--pod-ready-delay-ms',
          '50',
          '--title',
          'Scale bench',
        ],
        { env: simulatorEnv },
      ),
    ),
  );
  const database = await benchDatabase('astro_scale_bench');
  try {
    const capacity = await applyCapacity(simulators);
    const declarations = simulators.map((s, k) =>
      simulatedCluster(`c${k}`, { url: s.url, token: TOKEN }),
    );
    const bench = await startBenchEngine({
      knex: database.knex,
      declarations,
      astroConfig: { reconciler: { concurrency } },
    });
    await Promise.all(
      simulators.map(s => call(s, 'DELETE', '/simulator/v1/stats')),
    );
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    const total = clusters * perCluster;
    const backendCpuBefore = process.cpuUsage();
    const simulatorsCpuBefore = await simulatorsCpuMs(simulators);
    const started = Date.now();
    for (let i = 0; i < perCluster; i++) {
      for (let k = 0; k < clusters; k++) {
        await bench.services.deployments.create('user:default/bench', 'bench', {
          name: `c${k}-d${i}`,
          workspace: 'ws',
          cluster: `c${k}`,
        });
      }
    }
    let lastReport = Date.now();
    for (;;) {
      const healthy = await bench.healthyCount();
      if (healthy >= total) {
        break;
      }
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        process.stderr.write(`  ${label}: ${healthy}/${total} HEALTHY\n`);
      }
      await sleep(200);
    }
    await bench.engine.loop.whenIdle();
    const convergeSeconds = (Date.now() - started) / 1000;
    const backendCpu = process.cpuUsage(backendCpuBefore);
    const convergeBackendCpuMs = (backendCpu.user + backendCpu.system) / 1000;
    const convergeSimulatorsCpuMs =
      (await simulatorsCpuMs(simulators)) - simulatorsCpuBefore;
    const converged = await sumStats(simulators);
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;

    await Promise.all(
      simulators.map(s => call(s, 'DELETE', '/simulator/v1/stats')),
    );
    // Database statements of the idle passes, and which of them write.
    let statements = 0;
    let writeStatements = 0;
    database.knex.on('query', (query: { sql: string }) => {
      statements += 1;
      if (!/^\s*select\b/i.test(query.sql)) {
        writeStatements += 1;
      }
    });
    // Garbage-collection pauses of the main thread, as V8 reports them.
    let gcPauseMs = 0;
    let majorGcs = 0;
    let majorGcPauseMs = 0;
    const gcObserver = new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        gcPauseMs += entry.duration;
        const { kind } = (
          entry as PerformanceEntry & { detail: { kind: number } }
        ).detail;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          majorGcs += 1;
          majorGcPauseMs += entry.duration;
        }
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const idlePass = async () => {
      statements = 0;
      writeStatements = 0;
      gcPauseMs = 0;
      majorGcs = 0;
      majorGcPauseMs = 0;
      const settledBefore = bench.engine.loop.settledPasses;
      const simulatorsBefore = await simulatorsCpuMs(simulators);
      const cpuBefore = process.cpuUsage();
      const idleStart = Date.now();
      await bench.engine.loop.enqueueAll();
      await bench.engine.loop.whenIdle();
      const cpu = process.cpuUsage(cpuBefore);
      const ms = Date.now() - idleStart;
      const simulatorsMs =
        (await simulatorsCpuMs(simulators)) - simulatorsBefore;
      // The observer hears of collections a few event-loop turns later
      // (the pass itself runs on promises, which leave it no turn).
      await sleep(50);
      return {
        ms,
        cpuMs: (cpu.user + cpu.system) / 1000,
        simulatorsCpuMs: simulatorsMs,
        gcPauseMs,
        majorGcs,
        majorGcPauseMs,
        settled: bench.engine.loop.settledPasses - settledBefore,
        statements,
        writeStatements,
      };
    };
    // The first pass checks every object of the Deployments whose last
    // pass applied something; later ones find them settled.
    const firstIdle = await idlePass();
    await idlePass();
    // SCALE_BENCH_PROFILE=<prefix>: a CPU profile of the last idle pass.
    const profile = process.env.SCALE_BENCH_PROFILE;
    const session = profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const lastIdle = await idlePass();
    if (session) {
      const { profile: taken } = await session.post('Profiler.stop');
      await writeFile(`${profile}-${label}.cpuprofile`, JSON.stringify(taken));
      session.disconnect();
    }
    const idle = await sumStats(simulators);
    const idleWrites = (
      await Promise.all(
        simulators.map(s => call(s, 'GET', '/simulator/v1/stats')),
      )
    ).reduce((n, { body }) => n + body.writes.length, 0);
    // One minute of steady state at the default 30 s interval: a pass at
    // its start and one halfway, the watches open all along. Every
    // request counts, watches (re)opened included.
    await Promise.all(
      simulators.map(s => call(s, 'DELETE', '/simulator/v1/stats')),
    );
    const minuteStarted = Date.now();
    await idlePass();
    await sleep(Math.max(0, minuteStarted + 30_000 - Date.now()));
    await idlePass();
    await sleep(Math.max(0, minuteStarted + 60_000 - Date.now()));
    gcObserver.disconnect();
    const minute = await Promise.all(
      simulators.map(s => call(s, 'GET', '/simulator/v1/stats')),
    );
    const steadyMinuteRequests = minute.reduce(
      (n, { body }) => n + body.total,
      0,
    );
    const steadyMinuteWatches = minute.reduce(
      (n, { body }) => n + body.requests.watch,
      0,
    );
    // What the watch caches hold for one Deployment, as JSON.
    const sample = await bench.services.deployments.getRecord('bench', 'c0-d0');
    const cached = [
      ...(await bench.engine.watched.objectsOf('c0', sample.id)).values(),
    ];
    const cachedBytes = cached.reduce(
      (n, o) => n + JSON.stringify(o).length,
      0,
    );
    const managedFieldsBytes = cached.reduce(
      (n, o) => n + JSON.stringify(o.metadata.managedFields ?? []).length,
      0,
    );
    if (process.env.SCALE_BENCH_BREAKDOWN) {
      const byKind = new Map<string, number>();
      for (const o of cached) {
        byKind.set(
          o.kind,
          (byKind.get(o.kind) ?? 0) + JSON.stringify(o).length,
        );
      }
      process.stderr.write(`${JSON.stringify([...byKind])}\n`);
    }
    const watches = JSON.stringify(
      Object.values(await bench.engine.watched.watchCounts())[0],
    );
    await bench.stop();
    return {
      label,
      deployments: total,
      capacity,
      convergeSeconds,
      convergeBackendCpuMs,
      convergeSimulatorsCpuMs,
      applies: converged.apply,
      requests: converged.requests,
      heapPerDeployment: (heapAfter - heapBefore) / total,
      rssPerDeployment: (rssAfter - rssBefore) / total,
      firstIdle,
      lastIdle,
      idleRequests: idle.requests,
      idleWrites,
      steadyMinuteRequests,
      steadyMinuteWatches,
      watches,
      cachedObjects: cached.length,
      cachedBytes,
      managedFieldsBytes,
    };
  } finally {
    // Stopped cleanly when profiled, so that they write their profiles.
    for (const simulator of simulators) {
      simulator.kill(simulatorProfiles ? 'SIGTERM' : 'SIGKILL');
    }
    await Promise.all(simulators.map(simulator => simulator.exited));
    await database.knex.destroy();
    await dropBenchDatabase(database.created);
  }
}

async function main() {
  const sizes = option('sizes', '10x20,10x100')
    .split(',')
    .map(size => size.split('x').map(Number) as [number, number]);
  // Deployments reconciled at once (astro.reconciler.concurrency).
  const concurrency = Number(option('concurrency', '4'));
  const results: SizeResult[] = [];
  for (const [clusters, perCluster] of sizes) {
    process.stderr.write(`running ${clusters}x${perCluster}\n`);
    results.push(await runSize(clusters, perCluster, concurrency));
  }
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows: Array<[string, (r: SizeResult) => string]> = [
    ['clusters x Deployments', r => `${r.label} = ${r.deployments}`],
    ['reconciler concurrency', () => String(concurrency)],
    [
      'simulators apply capacity (all at once)',
      r => `${r.capacity.toFixed(0)} applies/s`,
    ],
    [
      'converge (first create to all HEALTHY)',
      r =>
        `${r.convergeSeconds.toFixed(1)} s, ${(
          r.deployments / r.convergeSeconds
        ).toFixed(1)} Deployments/s`,
    ],
    [
      'CPU while converging: backend, simulators (cores busy)',
      r =>
        `${(r.convergeBackendCpuMs / 1000).toFixed(0)} s, ${(
          r.convergeSimulatorsCpuMs / 1000
        ).toFixed(0)} s (${(
          r.convergeBackendCpuMs /
          1000 /
          r.convergeSeconds
        ).toFixed(2)} + ${(
          r.convergeSimulatorsCpuMs /
          1000 /
          r.convergeSeconds
        ).toFixed(2)}); backend ${(
          r.convergeBackendCpuMs / r.deployments
        ).toFixed(0)} ms per Deployment`,
    ],
    [
      'applies / requests to converge',
      r =>
        `${r.applies} / ${r.requests} (${(r.applies / r.deployments).toFixed(
          1,
        )} / ${(r.requests / r.deployments).toFixed(1)} per Deployment)`,
    ],
    [
      'converge time / simulators time for those applies',
      r => (r.convergeSeconds / (r.applies / r.capacity)).toFixed(2),
    ],
    [
      'backend heap per Deployment (watch caches included)',
      r => kib(r.heapPerDeployment),
    ],
    ['backend RSS per Deployment', r => kib(r.rssPerDeployment)],
    [
      'first idle pass: time, CPU, settled',
      r =>
        `${r.firstIdle.ms} ms, ${r.firstIdle.cpuMs.toFixed(0)} ms CPU, ${
          r.firstIdle.settled
        } settled, ${besidePass(r.firstIdle)}`,
    ],
    [
      'idle pass (third): time, CPU, settled',
      r =>
        `${r.lastIdle.ms} ms, ${r.lastIdle.cpuMs.toFixed(0)} ms CPU (${(
          r.lastIdle.cpuMs / r.deployments
        ).toFixed(2)} ms per Deployment, ${(
          (r.lastIdle.cpuMs * 2) /
          600
        ).toFixed(2)} % of a core at one pass per 30 s), ${
          r.lastIdle.settled
        } settled, ${besidePass(r.lastIdle)}`,
    ],
    [
      'database statements per Deployment (writes): first, third idle pass',
      r =>
        [r.firstIdle, r.lastIdle]
          .map(
            p =>
              `${(p.statements / r.deployments).toFixed(1)} (${(
                p.writeStatements / r.deployments
              ).toFixed(1)})`,
          )
          .join(', '),
    ],
    [
      'three idle passes: writes, API requests',
      r => `${r.idleWrites}, ${r.idleRequests}`,
    ],
    [
      'one minute of steady state: API requests (watches opened)',
      r =>
        `${r.steadyMinuteRequests} (${r.steadyMinuteWatches}), with ${
          Number(r.watches) * Number(r.label.split('x')[0])
        } watches open`,
    ],
    ['watches per cluster', r => r.watches],
    [
      'watch cache of one Deployment (JSON)',
      r =>
        `${r.cachedObjects} objects, ${kib(
          r.cachedBytes,
        )}, of which managedFields ${kib(r.managedFieldsBytes)}`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) {
    console.log(`${key.padEnd(width)}  ${results.map(value).join('  |  ')}`);
  }
  if (results.length > 1) {
    const a = results[0];
    const b = results[results.length - 1];
    const per = (r: SizeResult, value: number) => value / r.deployments;
    const growth = (f: (r: SizeResult) => number) =>
      (per(b, f(b)) / per(a, f(a))).toFixed(2);
    console.log(
      `\nPer-Deployment growth from ${a.label} to ${b.label} (1.00 = linear): ` +
        `converge time ${growth(r => r.convergeSeconds)}, applies ${growth(
          r => r.applies,
        )}, ` +
        `heap ${growth(
          r => r.heapPerDeployment * r.deployments,
        )}, idle CPU ${growth(r => r.lastIdle.cpuMs)}, ` +
        `idle requests ${growth(r => r.idleRequests)}`,
    );
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
