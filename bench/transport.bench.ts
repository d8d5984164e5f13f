/*
 * Connection reuse of the Kubernetes driver: the same GET sent N times,
 * one after the other and 8 at a time, over HTTPS to a simulator running
 * as its own process, through stock `@kubernetes/client-node` (a new agent,
 * so a new TCP connection and TLS handshake, per request) and through the
 * plugin's driver (one keep-alive agent per API server). Counts the TCP
 * connections this process opened (Node's `net.client.socket` diagnostics
 * channel) and this process's CPU time, in the same run.
 *
 *   ./dev yarn bench:transport [--requests 400]
 */
import { subscribe } from 'node:diagnostics_channel';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSimulatorProcess } from '@airflow-portal/plugin-astro-backend-module-simulator';
import { KubernetesClusterDriver } from '../plugins/astro-backend/src/clusters/kubernetes';
import { option } from './lib';

const REQUESTS = Number(option('requests', '400'));
const CONCURRENCY = 8;

let sockets = 0;
subscribe('net.client.socket', () => {
  sockets += 1;
});

interface Arm {
  label: string;
  get: () => Promise<unknown>;
}

interface Measure {
  wallMs: number;
  cpuMs: number;
  connections: number;
}

async function measure(
  get: () => Promise<unknown>,
  concurrency: number,
): Promise<Measure> {
  const before = sockets;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < REQUESTS) {
        sent += 1;
        await get();
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    wallMs: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    connections: sockets - before,
  };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'astro-transport-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const simulator = await startSimulatorProcess([
    '--port',
    '0',
    '--kubeconfig',
    kubeconfig,
    '--token',
    randomBytes(16).toString('hex'),
  ]);
  try {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const client = await new KubernetesClusterDriver({
      requestTimeoutMs: 10_000,
    }).connect({
      name: 'bench',
      driver: 'kubernetes',
      type: 'standard',
      provider: 'simulator',
      region: 'local',
      connection: { kubeconfig: { path: kubeconfig } },
    });
    const arms: Arm[] = [
      {
        label: 'stock client-node',
        get: () => core.readNamespace({ name: 'default' }),
      },
      {
        label: 'driver (keep-alive)',
        get: () =>
          client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }),
      },
    ];
    console.log(
      `Transport: ${REQUESTS} GETs of a Namespace over HTTPS (${
        kc.getCurrentCluster()?.server
      }), simulator pid ${simulator.pid}`,
    );
    for (const arm of arms) {
      await measure(arm.get, 1); // warm-up: module loading, first handshake
    }
    const results: Record<string, Record<number, Measure>> = {};
    for (const concurrency of [1, CONCURRENCY]) {
      for (const arm of arms) {
        const m = await measure(arm.get, concurrency);
        (results[arm.label] ??= {})[concurrency] = m;
        console.log(
          `${arm.label.padEnd(20)} concurrency ${concurrency}: ${
            m.connections
          } connections, ${(m.wallMs / REQUESTS).toFixed(
            2,
          )} ms per request, client CPU ${(m.cpuMs / REQUESTS).toFixed(
            2,
          )} ms per request`,
        );
      }
    }
    for (const concurrency of [1, CONCURRENCY]) {
      const stock = results['stock client-node'][concurrency];
      const driver = results['driver (keep-alive)'][concurrency];
      console.log(
        `concurrency ${concurrency}: driver ÷ stock — connections ${(
          driver.connections / stock.connections
        ).toFixed(3)}, time ${(driver.wallMs / stock.wallMs).toFixed(
          2,
        )}, client CPU ${(driver.cpuMs / stock.cpuMs).toFixed(2)}`,
      );
    }
    await client.close();
  } finally {
    simulator.kill('SIGTERM');
    await simulator.exited;
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
