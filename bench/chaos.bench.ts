/*
 * Chaos benchmark: two backends, each its own process, on one PostgreSQL
 * database, reconcile Deployments on a Kubernetes simulator that runs as a
 * process of its own (so it outlives them, as a cluster would). Clients
 * create and patch Deployments with retries while each backend is killed
 * with SIGKILL and restarted, and the simulator injects API errors,
 * latency, dropped watches and finally an outage. Then it waits for the
 * fleet to converge and counts what was lost.
 *
 *   ./dev yarn bench:chaos
 *   ./dev yarn bench:chaos --deployments 40 --kills 6 --outage-seconds 30
 *
 * Needs PostgreSQL (`ASTRO_BENCH_POSTGRES_URL`, default
 * postgresql://postgres@127.0.0.1:5432/postgres): two processes cannot
 * share an in-memory SQLite database.
 */
import { fork, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  SimulatorProcess,
  startSimulatorProcess,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import { option } from './lib';

const DEPLOYMENTS = Number(option('deployments', '20'));
const CLIENTS = Number(option('clients', '4'));
const KILLS = Number(option('kills', '6'));
const OUTAGE_SECONDS = Number(option('outage-seconds', '30'));
const INTERVAL_SECONDS = Number(option('interval-seconds', '10'));
const LEASE_SECONDS = Number(option('lease-seconds', '20'));
const CONVERGE_TIMEOUT_SECONDS = Number(option('timeout-seconds', '600'));
const ORG = 'chaos';
const WORKSPACE = 'fleet';
const BASE_GRACE = 3600;

// ------------------------------------------------------------ a backend

/** Runs one backend replica in this (child) process. */
async function serveBackend() {
  const env = process.env;
  const knex = knexFactory({
    client: 'pg',
    connection: env.CHAOS_DATABASE_URL!,
    pool: { min: 0, max: 10 },
  });
  const backend = await startTestBackend({
    features: [
      import('@airflow-portal/plugin-astro-backend'),
      schedulerServiceFactory,
      mockServices.database.factory({ knex }),
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.rootConfig.factory({
        data: {
          astro: {
            secrets: { encryptionKey: env.CHAOS_ENCRYPTION_KEY! },
            reconciler: {
              schedule: {
                frequency: { seconds: INTERVAL_SECONDS },
                timeout: { minutes: 5 },
              },
              leaseTtlSeconds: LEASE_SECONDS,
            },
            monitor: {
              schedule: {
                frequency: { seconds: INTERVAL_SECONDS },
                timeout: { minutes: 1 },
              },
            },
            deploys: { bundleBaseUrl: 'http://backend.chaos/api/astro' },
            clusters: [
              {
                name: 'process',
                title: 'Simulator process',
                provider: 'simulator',
                region: 'local',
                kubeconfig: { path: env.CHAOS_KUBECONFIG! },
                airflowUrlTemplate: `${env.CHAOS_SIMULATOR_URL}/airflow/{namespace}`,
              },
            ],
          },
        },
      }),
    ],
  });
  const port = (backend.server.address() as AddressInfo).port;
  process.send!({ type: 'chaos-backend-ready', port });
}

// ------------------------------------------------------------ the run

interface Replica {
  name: string;
  child?: ChildProcess;
  baseUrl?: string;
  starts: number;
}

const counters = {
  requests: 0,
  serverErrors: 0,
  connectionErrors: 0,
  retries: 0,
  kills: 0,
  faultWindows: 0,
  watchDrops: 0,
};

const started = Date.now();
/** Progress on standard error, so standard output is the measurements. */
const progress = (message: string) =>
  process.stderr.write(
    `[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`,
  );

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms));
const jitter = (ms: number) => ms / 2 + Math.random() * ms;

async function startReplica(replica: Replica, env: NodeJS.ProcessEnv) {
  const child = fork(__filename, ['--serve-backend'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => {
      if (m?.type === 'chaos-backend-ready') {
        resolve(m.port!);
      }
    });
    child.once('exit', code =>
      reject(new Error(`backend ${replica.name} exited: ${code}`)),
    );
  });
  replica.child = child;
  replica.baseUrl = `http://127.0.0.1:${port}/api/astro`;
  replica.starts += 1;
}

function kill(replica: Replica) {
  replica.child?.kill('SIGKILL');
  replica.child = undefined;
  replica.baseUrl = undefined;
  counters.kills += 1;
}

/**
 * Sends a request to a live replica, retrying on connection errors and
 * 5xx (with the same body and idempotency key) until `deadline`.
 */
async function send(
  replicas: Replica[],
  method: string,
  path: string,
  body?: unknown,
  idempotencyKey?: string,
  deadline = Date.now() + 300_000,
): Promise<{ status: number; body: any }> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      counters.retries += 1;
      await sleep(jitter(200));
    }
    if (Date.now() > deadline) {
      throw new Error(`${method} ${path}: no answer before the deadline`);
    }
    const live = replicas.filter(r => r.baseUrl);
    if (live.length === 0) {
      continue;
    }
    const target = live[Math.floor(Math.random() * live.length)];
    try {
      counters.requests += 1;
      const response = await fetch(`${target.baseUrl}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status >= 500) {
        counters.serverErrors += 1;
        continue;
      }
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    } catch {
      counters.connectionErrors += 1;
    }
  }
}

async function simulatorCall(
  simulator: SimulatorProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

/** Reads from the simulator; `undefined` while it is down. */
async function simulatorGet(
  simulator: SimulatorProcess,
  token: string,
  path: string,
): Promise<any | undefined> {
  try {
    const response = await fetch(`${simulator.url}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const adminUrl =
    process.env.ASTRO_BENCH_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = `astro_chaos_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl });
  await admin.raw(`create database ${database}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${database}`;
  const dir = await mkdtemp(join(tmpdir(), 'astro-chaos-'));
  const token = randomBytes(16).toString('hex');
  const kubeconfig = join(dir, 'kubeconfig');
  const simulator = await startSimulatorProcess([
    '--port',
    '0',
    '--kubeconfig',
    kubeconfig,
    '--state',
    join(dir, 'state.json'),
    '--token',
    token,
    '--pod-ready-delay-ms',
    '300',
  ]);
  const env = {
    ...process.env,
    CHAOS_DATABASE_URL: databaseUrl.toString(),
    CHAOS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CHAOS_KUBECONFIG: kubeconfig,
    CHAOS_SIMULATOR_URL: simulator.url,
  };
  const replicas: Replica[] = [
    { name: 'a', starts: 0 },
    { name: 'b', starts: 0 },
  ];
  try {
    progress('starting two backends');
    // One after the other on the new database: Backstage's scheduler
    // creates its own migration tables without a lock, and two first
    // starts at the same moment race on them (our plugin's migrations
    // wait for each other; see store/migrations.ts).
    for (const replica of replicas) {
      await startReplica(replica, env);
    }
    progress('backends ready');
    console.log(
      `Chaos: ${DEPLOYMENTS} Deployments, ${CLIENTS} clients, 2 backends (reconcile every ${INTERVAL_SECONDS} s, lease ${LEASE_SECONDS} s) on PostgreSQL, simulator pid ${simulator.pid}`,
    );
    await send(replicas, 'POST', '/organizations', { name: ORG }, 'org');
    await send(
      replicas,
      'POST',
      `/organizations/${ORG}/workspaces`,
      { name: WORKSPACE },
      'ws',
    );
    await simulatorCall(simulator, token, 'DELETE', '/simulator/v1/stats');

    // What clients were told: created Deployments and the last value each
    // acknowledged patch set.
    const created = new Set<string>();
    const acknowledged = new Map<string, number>();
    const names = Array.from(
      { length: DEPLOYMENTS },
      (_, i) => `dep-${String(i).padStart(3, '0')}`,
    );
    const mine = (client: number) =>
      names.filter((_, i) => i % CLIENTS === client);

    let patching = true;
    let patches = 0;
    const client = async (index: number) => {
      for (const name of mine(index)) {
        const answer = await send(
          replicas,
          'POST',
          `/organizations/${ORG}/deployments`,
          {
            name,
            workspace: WORKSPACE,
            cluster: 'process',
            settings: { workerGracePeriodSeconds: BASE_GRACE },
          },
          `create-${name}`,
        );
        if (answer.status !== 201) {
          throw new Error(`create ${name}: ${answer.status}`);
        }
        created.add(name);
        progress(`created ${name}`);
        acknowledged.set(name, BASE_GRACE);
      }
      for (let round = 1; patching; round++) {
        for (const name of mine(index)) {
          if (!patching) {
            break;
          }
          const value = BASE_GRACE + round;
          const answer = await send(
            replicas,
            'PATCH',
            `/organizations/${ORG}/deployments/${name}`,
            { settings: { workerGracePeriodSeconds: value } },
          );
          if (answer.status !== 200) {
            throw new Error(`patch ${name}: ${answer.status}`);
          }
          acknowledged.set(name, value);
          patches += 1;
          await sleep(jitter(400));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));

    // The faults, one after the other.
    const faults = (async () => {
      await sleep(3_000);
      await simulatorCall(simulator, token, 'PUT', '/simulator/v1/faults', {
        errorRates: { apply: 0.1, get: 0.05, list: 0.05, watch: 0.05 },
        errorStatus: 503,
        latencyMs: 25,
      });
      counters.faultWindows += 1;
      for (let k = 0; k < KILLS; k++) {
        await sleep(jitter(6_000));
        const victim = replicas[k % replicas.length];
        kill(victim);
        progress(`killed backend ${victim.name} (kill ${k + 1} of ${KILLS})`);
        if (k % 2 === 1) {
          await simulatorCall(
            simulator,
            token,
            'POST',
            '/simulator/v1/faults/drop-watches',
          );
          counters.watchDrops += 1;
        }
        await sleep(jitter(1_500));
        await startReplica(victim, env);
      }
      await simulatorCall(simulator, token, 'DELETE', '/simulator/v1/faults');
      await sleep(3_000);
      await simulatorCall(
        simulator,
        token,
        'POST',
        '/simulator/v1/faults/unavailable',
        { durationMs: OUTAGE_SECONDS * 1000, mode: 'refuse' },
      );
      counters.faultWindows += 1;
      progress(`simulator unavailable for ${OUTAGE_SECONDS} s`);
      const outageStart = Date.now();
      await sleep(OUTAGE_SECONDS * 1000);
      // Back when it answers again.
      while (!(await simulatorGet(simulator, token, '/version'))) {
        await sleep(100);
      }
      return { lastFaultEnd: Date.now(), outageMs: Date.now() - outageStart };
    })();
    const { lastFaultEnd, outageMs } = await faults;
    progress('last fault over; waiting for convergence');
    patching = false;
    await Promise.all(clients);

    // Converged: every Deployment HEALTHY at its latest generation, with
    // the last acknowledged value stored and on the cluster.
    const convergeDeadline = Date.now() + CONVERGE_TIMEOUT_SECONDS * 1000;
    let converged: number | undefined;
    let pending: string[] = [...created];
    while (Date.now() < convergeDeadline) {
      const next: string[] = [];
      for (const name of pending) {
        const { body } = await send(
          replicas,
          'GET',
          `/organizations/${ORG}/deployments/${name}`,
        );
        const want = acknowledged.get(name);
        let ok =
          body.status === 'HEALTHY' &&
          body.observedGeneration === body.generation &&
          body.settings?.workerGracePeriodSeconds === want;
        if (ok) {
          const workers = await simulatorGet(
            simulator,
            token,
            `/apis/apps/v1/namespaces/${body.namespace}/deployments`,
          );
          ok = (workers?.items ?? [])
            .filter((d: any) => /worker/.test(d.metadata.name))
            .every(
              (d: any) =>
                d.spec.template.spec.terminationGracePeriodSeconds === want,
            );
        }
        if (!ok) {
          next.push(name);
        }
      }
      pending = next;
      if (pending.length === 0) {
        converged = Date.now() - lastFaultEnd;
        break;
      }
      await sleep(250);
    }

    // What was lost: every acknowledged create is read back.
    const present = new Map<string, any>();
    for (const name of created) {
      const answer = await send(
        replicas,
        'GET',
        `/organizations/${ORG}/deployments/${name}`,
      );
      if (answer.status === 200) {
        present.set(name, answer.body);
      }
    }
    const lostDeployments = [...created].filter(n => !present.has(n));
    const lostWrites = [...created].filter(
      n =>
        present.get(n)?.settings?.workerGracePeriodSeconds !==
        acknowledged.get(n),
    );
    const stats = await simulatorCall(
      simulator,
      token,
      'GET',
      '/simulator/v1/stats',
    );
    const writes = (stats.writes ?? []) as Array<{
      verb: string;
      kind: string;
      namespace?: string;
      name: string;
      dryRun: boolean;
      status: number;
      changed: boolean;
    }>;
    const applies = writes.filter(w => w.verb === 'apply' && !w.dryRun);
    const duplicateApplies = applies.filter(w => w.status < 300 && !w.changed);
    const duplicateByKind = new Map<string, number>();
    for (const w of duplicateApplies) {
      duplicateByKind.set(w.kind, (duplicateByKind.get(w.kind) ?? 0) + 1);
    }

    const rows: Array<[string, string | number]> = [
      ['Deployments created (acknowledged)', created.size],
      ['patches acknowledged', patches],
      ['backend kills (SIGKILL)', counters.kills],
      ['backend starts', replicas.reduce((n, r) => n + r.starts, 0)],
      ['fault windows (API errors + latency; outage)', counters.faultWindows],
      ['watch drops', counters.watchDrops],
      ['outage (s)', (outageMs / 1000).toFixed(1)],
      [
        'client requests / retries',
        `${counters.requests} / ${counters.retries}`,
      ],
      ['connection errors seen by clients', counters.connectionErrors],
      ['5xx answered', counters.serverErrors],
      ['Deployments lost', lostDeployments.length],
      ['acknowledged writes lost', lostWrites.length],
      [
        'applies (successful / failed)',
        `${applies.filter(w => w.status < 300).length} / ${
          applies.filter(w => w.status >= 300).length
        }`,
      ],
      [
        'duplicate applies (content already stored)',
        `${duplicateApplies.length}${
          duplicateByKind.size
            ? ` (${[...duplicateByKind]
                .map(([k, n]) => `${k} ${n}`)
                .join(', ')})`
            : ''
        }`,
      ],
      ['write log complete', writes.length < 10_000 ? 'yes' : 'no (truncated)'],
      [
        'converged after the last fault',
        converged === undefined
          ? `no: ${pending.length} not converged after ${CONVERGE_TIMEOUT_SECONDS} s`
          : `${(converged / 1000).toFixed(1)} s = ${(
              converged /
              1000 /
              INTERVAL_SECONDS
            ).toFixed(2)} reconcile intervals`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [key, value] of rows) {
      console.log(`${key.padEnd(width)}  ${value}`);
    }
    for (const name of pending.slice(0, 10)) {
      const d = present.get(name);
      console.log(
        `not converged: ${name} ${d?.status} (${d?.statusReason}) generation ${
          d?.observedGeneration
        }/${d?.generation}, workerGracePeriodSeconds ${
          d?.settings?.workerGracePeriodSeconds
        } (acknowledged ${acknowledged.get(name)})`,
      );
    }
  } finally {
    for (const replica of replicas) {
      replica.child?.kill('SIGKILL');
    }
    simulator.kill('SIGKILL');
    await sleep(500);
    await admin.raw(`drop database if exists ${database} with (force)`);
    await admin.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve-backend')) {
  serveBackend().catch(error => {
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
