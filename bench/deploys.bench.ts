/*
 * DAG deploy benchmark: the Astro backend (HTTP, real scheduler) reconciling
 * one Deployment on the Kubernetes simulator, whose pods run the DAG sync,
 * and a series of DAG deploys made with a Deployment token through the
 * generated client, as the CLI makes them.
 *
 * Prints, per DAG deploy:
 *   - bytes uploaded and API requests the client sent,
 *   - DAG sync requests the Deployment's pods sent (current / download /
 *     report) and bytes they downloaded,
 *   - Kubernetes API writes (must be 0: a DAG deploy changes no object),
 *   - component restarts (pods replaced or containers restarted; must be 0),
 *   - time from the upload's answer to DEPLOYED, against the sync interval.
 *
 * Run: ./dev yarn bench:deploys [-- --deploys 10 --files 20 --interval 1]
 * Uses SQLite in memory, or PostgreSQL when ASTRO_BENCH_POSTGRES_URL is set.
 */
import { createHash } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AstroApiClient,
  ASTRO_LABELS,
} from '@airflow-portal/plugin-astro-common';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../plugins/astro-backend/src/__testUtils__/engineTestBackend';
import { benchDatabase, dropBenchDatabase, option } from './lib';

/** A ustar archive of regular files (enough for a DAGs folder). */
function tarGz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) {
      sum += byte;
    }
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function dagFiles(count: number, generation: number) {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`dag_${i}.py`] = [
      'from airflow import DAG',
      `with DAG("bench_${i}_v${generation}", schedule="@hourly"):`,
      '    pass',
      '',
    ].join('\n');
  }
  return files;
}

const stat = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    median: sorted[Math.floor(sorted.length / 2)],
    max: sorted[sorted.length - 1],
  };
};

async function main() {
  const deploys = Number(option('deploys', '10'));
  const fileCount = Number(option('files', '20'));
  const interval = Number(option('interval', '1'));

  const simulator = await startTestSimulator();
  const database = await benchDatabase('astro_deploys_bench');
  const backend = await startEngineTestBackend({
    knex: database.knex as any,
    simulator,
    encryptionKey: testEncryptionKey(),
    bundleBaseUrl: 'discovered',
    config: {
      demo: { seed: true },
      deploys: { syncIntervalSeconds: interval, timeoutSeconds: 120 },
    },
  });
  const baseUrl = `http://localhost:${
    (backend.server.address() as AddressInfo).port
  }/api/astro`;

  let clientRequests = 0;
  let clientBytes = 0;
  const clientFor = (token: string) =>
    new AstroApiClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: {
        fetch: async (input, init) => {
          clientRequests += 1;
          const body = init?.body;
          if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
            clientBytes += body.byteLength;
          }
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      },
    });

  try {
    const user = clientFor(mockCredentials.user.token());
    const path = { org: 'demo', dep: 'bench-deploys' };
    await user.createDeployment({
      path: { org: path.org },
      body: {
        name: path.dep,
        workspace: 'data-engineering',
        cluster: SIM_CLUSTER,
        settings: {
          executor: 'CELERY',
          workerQueues: [
            { name: 'default', isDefault: true, minWorkers: 2, maxWorkers: 4 },
          ],
        },
      },
    });
    const deployment = await waitFor(
      async () => {
        const d = await user.getDeployment({ path });
        return d.status === 'HEALTHY' && d.observedGeneration === d.generation
          ? d
          : undefined;
      },
      { timeoutMs: 120_000, what: 'the Deployment to be HEALTHY' },
    );
    const token = await user.createDeploymentToken({
      path,
      body: { name: 'bench' },
    });
    const ci = clientFor(token.value);

    const components = async () => {
      const response = await fetch(
        `${simulator.url}/api/v1/namespaces/${deployment.namespace}/pods`,
        { headers: { Authorization: `Bearer ${simulator.token}` } },
      );
      const list = await response.json();
      return new Map<string, number>(
        list.items
          .filter((p: any) => p.metadata.labels?.[ASTRO_LABELS.component])
          .map((p: any) => [
            p.metadata.uid,
            (p.status?.containerStatuses ?? []).reduce(
              (sum: number, c: any) => sum + (c.restartCount ?? 0),
              0,
            ),
          ]),
      );
    };
    const syncingPods = simulator.control.dagSyncStatus(
      deployment.namespace,
    ).length;

    const perDeploy: Array<{
      bytes: number;
      requests: number;
      syncRequests: number;
      downloads: number;
      downloadedBytes: number;
      writes: number;
      restarts: number;
      ms: number;
    }> = [];
    for (let i = 0; i < deploys; i++) {
      const bundle = tarGz(dagFiles(fileCount, i));
      const checksum = `sha256:${createHash('sha256')
        .update(bundle)
        .digest('hex')}`;
      const podsBefore = await components();
      const statsBefore = simulator.control.stats();
      clientRequests = 0;
      clientBytes = 0;

      const created = await ci.createDeploy({
        path,
        query: { type: 'DAG', checksum, origin: 'CI' },
        body: bundle,
      });
      const answered = Date.now();
      const uploadRequests = clientRequests;
      const uploadBytes = clientBytes;
      await waitFor(
        async () => {
          const d = await ci.getDeploy({
            path: { ...path, deploy: created.id },
          });
          if (d.status === 'FAILED') {
            throw new Error(`deploy failed: ${d.statusReason}`);
          }
          return d.status === 'DEPLOYED' ? d : undefined;
        },
        { timeoutMs: 120_000, what: `deploy ${i + 1} to be DEPLOYED` },
      );
      const ms = Date.now() - answered;
      const statsAfter = simulator.control.stats();
      const podsAfter = await components();
      let restarts = 0;
      for (const [uid, count] of podsBefore) {
        const after = podsAfter.get(uid);
        restarts += after === undefined ? 1 : after - count;
      }
      const sync = (key: 'current' | 'download' | 'report') =>
        statsAfter.dagSync[key] - statsBefore.dagSync[key];
      perDeploy.push({
        bytes: uploadBytes,
        requests: uploadRequests,
        syncRequests: sync('current') + sync('download') + sync('report'),
        downloads: sync('download'),
        downloadedBytes: sync('download') * bundle.length,
        writes: statsAfter.writes.length - statsBefore.writes.length,
        restarts,
        ms,
      });
    }

    const sum = (key: keyof (typeof perDeploy)[number]) =>
      perDeploy.reduce((total, d) => total + d[key], 0);
    const time = stat(perDeploy.map(d => d.ms));
    console.log(`DAG deploys on the simulator (${database.label})`);
    console.log(
      `  ${deploys} deploys of ${fileCount} DAG files, ${syncingPods} pods with DAG sync, sync interval ${interval} s`,
    );
    console.log(
      `  uploaded per deploy:          ${(sum('bytes') / deploys).toFixed(
        0,
      )} bytes in ${(sum('requests') / deploys).toFixed(1)} request(s)`,
    );
    console.log(
      `  DAG sync requests per deploy: ${(
        sum('syncRequests') / deploys
      ).toFixed(1)} (${(sum('downloads') / deploys).toFixed(1)} downloads = ${(
        sum('downloads') /
        deploys /
        syncingPods
      ).toFixed(2)} per pod, ${(sum('downloadedBytes') / deploys).toFixed(
        0,
      )} bytes)`,
    );
    console.log(
      `  Kubernetes writes per deploy: ${(sum('writes') / deploys).toFixed(1)}`,
    );
    console.log(
      `  component restarts per deploy: ${(sum('restarts') / deploys).toFixed(
        1,
      )}`,
    );
    console.log(
      `  upload answered → DEPLOYED:   median ${time.median} ms (min ${
        time.min
      }, max ${time.max}) = ${(time.median / (interval * 1000)).toFixed(
        2,
      )} × the sync interval`,
    );
  } finally {
    await backend.stop();
    await simulator.stop();
    await database.knex.destroy();
    await dropBenchDatabase(database.created);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
