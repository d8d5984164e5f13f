import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import { watchTimeoutSeconds } from './KubernetesClusterClient';
import { KubernetesClusterDriver } from './KubernetesClusterDriver';

jest.setTimeout(30_000);

describe('watchTimeoutSeconds', () => {
  it('is between the shortest timeout and twice it', () => {
    expect(watchTimeoutSeconds(300, () => 0)).toBe(300);
    expect(watchTimeoutSeconds(300, () => 0.5)).toBe(450);
    expect(watchTimeoutSeconds(300, () => 0.999999)).toBe(599);
  });
});

/*
 * The watches the production driver's informers open against the
 * simulator, seen by a proxy that records the timeout each one asks for.
 */
describe('informers opened together', () => {
  let simulator: KubernetesSimulator;
  let proxy: Server;
  const asked: number[] = [];

  beforeAll(async () => {
    simulator = await startKubernetesSimulator({ port: 0 });
    proxy = createServer((req, res) => {
      const url = new URL(req.url!, simulator.url);
      if (url.searchParams.get('watch') === 'true') {
        asked.push(Number(url.searchParams.get('timeoutSeconds')));
      }
      const upstream = httpRequest(
        url,
        { method: req.method, headers: { ...req.headers, host: url.host } },
        response => {
          res.writeHead(response.statusCode!, response.headers);
          response.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise(resolve => proxy.close(resolve));
    await simulator.stop();
  });

  it('ask for different watch timeouts, none shorter than configured or twice as long', async () => {
    const client = await new KubernetesClusterDriver({
      watchTimeoutSeconds: 60,
    }).connect({
      name: 'watched',
      driver: 'kubernetes',
      type: 'standard',
      provider: 'test',
      region: 'local',
      connection: {
        server: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        token: simulator.token,
      },
    });
    const informers = Array.from({ length: 20 }, (_, n) =>
      client.informer(
        { apiVersion: 'v1', kind: 'ConfigMap' },
        { labelSelector: `informer=n${n}` },
      ),
    );
    await Promise.all(informers.map(informer => informer.start()));
    const deadline = Date.now() + 10_000;
    while (asked.length < 20 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(asked).toHaveLength(20);
    for (const seconds of asked) {
      expect(seconds).toBeGreaterThanOrEqual(60);
      expect(seconds).toBeLessThan(120);
    }
    // 20 draws of 60 values: all equal only with probability 60^-19.
    expect(new Set(asked).size).toBeGreaterThan(1);
    informers.forEach(informer => informer.stop());
    await client.close();
  });
});
