import { createServer, Agent as HttpAgent, Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AddressInfo } from 'node:net';
import { KeepAliveAgents } from './KeepAliveAgents';
import { KubernetesClusterDriver } from './KubernetesClusterDriver';

jest.setTimeout(30_000);

describe('KeepAliveAgents', () => {
  it('hands out one keep-alive agent while the TLS options stay the same', () => {
    const agents = new KeepAliveAgents(1000);
    const first = agents.reuse(new HttpsAgent({ ca: 'ca-1' }));
    const second = agents.reuse(new HttpsAgent({ ca: 'ca-1' }));
    expect(second).toBe(first);
    expect(first).toBeInstanceOf(HttpsAgent);
    expect((first as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    agents.close();
  });

  it('replaces the agent when the credentials change, closing the old one later', async () => {
    const agents = new KeepAliveAgents(20);
    const old = agents.reuse(new HttpsAgent({ cert: 'cert-1', key: 'key-1' }));
    const destroy = jest.spyOn(old, 'destroy');
    const rotated = agents.reuse(
      new HttpsAgent({ cert: 'cert-2', key: 'key-1' }),
    );
    expect(rotated).not.toBe(old);
    // Requests still running on the old agent may finish first.
    expect(destroy).not.toHaveBeenCalled();
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(destroy).toHaveBeenCalled();
    agents.close();
  });

  it('keeps plain HTTP and HTTPS agents apart', () => {
    const agents = new KeepAliveAgents(1000);
    const plain = agents.reuse(new HttpAgent());
    const tls = agents.reuse(new HttpsAgent());
    expect(plain).not.toBeInstanceOf(HttpsAgent);
    expect(tls).toBeInstanceOf(HttpsAgent);
    agents.close();
  });

  it('passes agents of other kinds (proxies) through as built', () => {
    class ProxyAgent extends HttpAgent {}
    const proxy = new ProxyAgent();
    expect(new KeepAliveAgents(1000).reuse(proxy)).toBe(proxy);
  });
});

/*
 * What it changes on the wire: requests of the production driver and the
 * TCP connections a stand-in API server accepts for them.
 */
describe('the kubernetes driver reuses connections', () => {
  let server: Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"metadatabase":{"status":"healthy"}}');
      });
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('sends sequential requests over one connection, concurrent ones over a few', async () => {
    const client = await new KubernetesClusterDriver({
      requestTimeoutMs: 2000,
    }).connect({
      name: 'stand-in',
      driver: 'kubernetes',
      type: 'standard',
      provider: 'test',
      region: 'local',
      connection: { server: url, token: 'cluster-token' },
    });
    const probe = () =>
      client.proxyGet({
        namespace: 'ns',
        service: 'api-server',
        port: 8080,
        path: '/api/v2/monitor/health',
      });
    connections = 0;
    for (let i = 0; i < 20; i++) {
      expect((await probe()).status).toBe(200);
    }
    // Without reuse: one connection per request (20).
    expect(connections).toBe(1);

    connections = 0;
    await Promise.all(Array.from({ length: 8 }, probe));
    await Promise.all(Array.from({ length: 8 }, probe));
    // At most one new connection per request running at once, reused after.
    expect(connections).toBeLessThanOrEqual(8);
    await client.close();
  });
});
