import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import { ClusterClient } from '@airflow-portal/plugin-astro-node';
import { KubernetesClusterDriver } from './KubernetesClusterDriver';

/*
 * Lists in pages, through the production driver against the simulator. A
 * small proxy in front of the simulator records each list request and can
 * act between two pages (write an object, compact the history), which is
 * where a paginated list can go wrong.
 */

const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const NAMESPACE = 'paged';

interface ListRequest {
  url: URL;
  status: number;
  resourceVersion?: string;
}

async function startProxy(target: string) {
  const lists: ListRequest[] = [];
  let afterPage: ((page: number) => Promise<void>) | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, target);
    const isList =
      req.method === 'GET' &&
      url.pathname.endsWith('/configmaps') &&
      url.searchParams.get('watch') !== 'true';
    const upstream = httpRequest(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      response => {
        if (!isList) {
          res.writeHead(response.statusCode!, response.headers);
          response.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', async () => {
          const body = Buffer.concat(chunks);
          const parsed = JSON.parse(body.toString('utf8'));
          lists.push({
            url,
            status: response.statusCode!,
            resourceVersion: parsed.metadata?.resourceVersion,
          });
          const page = lists.length;
          await afterPage?.(page);
          res.writeHead(response.statusCode!, response.headers);
          res.end(body);
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lists,
    /** Runs after the proxy read a list page and before it answers it. */
    onPage(hook: (page: number) => Promise<void>) {
      afterPage = hook;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

describe('KubernetesClusterClient lists in pages', () => {
  let simulator: KubernetesSimulator;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let direct: ClusterClient;
  let paged: ClusterClient;

  const connect = (server: string, listPageSize?: number) =>
    new KubernetesClusterDriver({
      requestTimeoutMs: 5000,
      listPageSize,
      informerBackoff: { initialMs: 50, maxMs: 500 },
    }).connect({
      name: 'paged',
      driver: 'kubernetes',
      type: 'standard',
      provider: 'test',
      region: 'local',
      connection: { server, token: simulator.token },
    });

  const configMap = (name: string) =>
    direct.apply(
      {
        ...CONFIG_MAP,
        metadata: { name, namespace: NAMESPACE },
        data: { name },
      },
      { fieldManager: 'test' },
    );

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({});
    proxy = await startProxy(simulator.url);
    direct = await connect(simulator.url);
    paged = await connect(proxy.url, 2);
    await direct.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
      { fieldManager: 'test' },
    );
    for (const n of [1, 2, 3, 4, 5]) {
      await configMap(`cm-${n}`);
    }
  });

  afterEach(async () => {
    await paged.close();
    await direct.close();
    await proxy.close();
    await simulator.stop();
  });

  it('reads every page and reports the first page’s resource version', async () => {
    proxy.onPage(async page => {
      if (page === 1) {
        // A write between pages moves the server's version on.
        await configMap('cm-6');
      }
    });
    const list = await paged.list({ ...CONFIG_MAP, namespace: NAMESPACE });
    expect(list.items.map(o => o.metadata.name)).toEqual([
      'cm-1',
      'cm-2',
      'cm-3',
      'cm-4',
      'cm-5',
      'cm-6',
    ]);
    expect(proxy.lists.map(l => l.url.searchParams.get('limit'))).toEqual([
      '2',
      '2',
      '2',
    ]);
    expect(proxy.lists[0].url.searchParams.get('continue')).toBeNull();
    expect(proxy.lists[1].url.searchParams.get('continue')).toBeTruthy();
    // Every page reports the first page's version, and so does the list.
    expect(new Set(proxy.lists.map(l => l.resourceVersion)).size).toBe(1);
    expect(list.resourceVersion).toBe(proxy.lists[0].resourceVersion);
  });

  it('an informer also sees what changed between pages before the token', async () => {
    proxy.onPage(async page => {
      if (page === 1) {
        // Sorts before the next page's start: no page lists it, the
        // watch from the first page's version replays its creation.
        await configMap('a-between');
      }
    });
    const informer = paged.informer({ ...CONFIG_MAP, namespace: NAMESPACE });
    await informer.start();
    const names = () =>
      informer
        .list()
        .map(o => o.metadata.name)
        .sort();
    for (let i = 0; i < 50 && names().length < 6; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    informer.stop();
    expect(names()).toEqual([
      'a-between',
      'cm-1',
      'cm-2',
      'cm-3',
      'cm-4',
      'cm-5',
    ]);
  });

  it('starts over in one request when a continue token expired', async () => {
    proxy.onPage(async page => {
      if (page === 1) {
        // A write, then a compaction past the list's version.
        await configMap('cm-6');
        simulator.control.compactHistory();
      }
    });
    const list = await paged.list({ ...CONFIG_MAP, namespace: NAMESPACE });
    expect(list.items).toHaveLength(6);
    expect(
      proxy.lists.map(l => [l.status, l.url.searchParams.get('limit')]),
    ).toEqual([
      [200, '2'],
      [410, '2'],
      [200, null],
    ]);
  });
});
