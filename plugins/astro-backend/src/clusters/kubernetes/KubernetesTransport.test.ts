import { ClusterError } from '@airflow-portal/plugin-astro-node';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { isClosedBeforeAnswer } from './errors';
import { KubernetesClusterDriver } from './KubernetesClusterDriver';

jest.setTimeout(30_000);

/*
 * A stand-in API server that closes the connection under the next
 * `resets` requests without answering, as a server does when it drops a
 * kept-alive connection as idle just as a request goes out on it.
 */
describe('a connection closed before any answer', () => {
  let server: Server;
  let url: string;
  let resets = 0;
  const received: string[] = [];
  /** Connections are numbered as opened; those below this are reset. */
  let connections = 0;
  let staleBefore = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/api/v1') {
        // Discovery, for the client's apply.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'APIResourceList',
            groupVersion: 'v1',
            resources: [
              { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
            ],
          }),
        );
        return;
      }
      received.push(req.method ?? '');
      const opened = (req.socket as { opened?: number }).opened ?? 0;
      if (resets > 0 || opened < staleBefore) {
        resets = Math.max(0, resets - 1);
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          req.method === 'PATCH'
            ? JSON.stringify({
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: { name: 'settings', namespace: 'ns' },
              })
            : '{"ok":true}',
        );
      });
    });
    server.on('connection', socket => {
      connections += 1;
      (socket as { opened?: number }).opened = connections;
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  beforeEach(() => {
    received.length = 0;
    resets = 0;
    staleBefore = 0;
  });

  const connect = () =>
    new KubernetesClusterDriver({ requestTimeoutMs: 2000 }).connect({
      name: 'stand-in',
      driver: 'kubernetes',
      type: 'standard',
      provider: 'test',
      region: 'local',
      connection: { server: url, token: 'cluster-token' },
    });
  const proxied = (method: 'GET' | 'POST') => ({
    method,
    namespace: 'ns',
    service: 'api-server',
    port: 8080,
    path: '/api/v2/monitor/health',
    body: method === 'POST' ? { run: 1 } : undefined,
  });

  it('sends a GET once more, and answers with the second answer', async () => {
    const client = await connect();
    resets = 1;
    const response = await client.proxyRequest(proxied('GET'));
    expect(response).toEqual({ status: 200, body: '{"ok":true}' });
    expect(received).toEqual(['GET', 'GET']);
    await client.close();
  });

  it('sends it again on a new connection, not on another kept one', async () => {
    const client = await connect();
    // Three connections kept open, then every one of them goes stale.
    await Promise.all([1, 2, 3].map(() => client.proxyRequest(proxied('GET'))));
    staleBefore = connections + 1;
    received.length = 0;
    const response = await client.proxyRequest(proxied('GET'));
    expect(response.status).toBe(200);
    expect(received).toEqual(['GET', 'GET']);
    await client.close();
  });

  it('sends a GET at most twice', async () => {
    const client = await connect();
    resets = 5;
    const failure = await client.proxyRequest(proxied('GET')).catch(e => e);
    expect(failure).toBeInstanceOf(ClusterError);
    expect(failure.reason).toBe('Unreachable');
    expect(failure.message).toContain('the API server cannot be reached');
    expect(received).toEqual(['GET', 'GET']);
    await client.close();
  });

  it('sends a server-side apply once more: the same apply again changes nothing', async () => {
    const client = await connect();
    resets = 1;
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'ns' },
      data: { a: '1' },
    };
    await client.apply(configMap, { fieldManager: 'airflow-portal' });
    expect(received).toEqual(['PATCH', 'PATCH']);
    await client.close();
  });

  it('never sends another write again', async () => {
    const client = await connect();
    resets = 1;
    const failure = await client.proxyRequest(proxied('POST')).catch(e => e);
    expect(failure).toBeInstanceOf(ClusterError);
    expect(failure.reason).toBe('Unreachable');
    expect(received).toEqual(['POST']);
    // The connection it failed on is not reused for the next one.
    expect((await client.proxyRequest(proxied('POST'))).status).toBe(200);
    expect(received).toEqual(['POST', 'POST']);
    await client.close();
  });
});

describe('isClosedBeforeAnswer', () => {
  const withCode = (message: string, code: string) =>
    Object.assign(new Error(message), { code });

  it('holds for resets, broken pipes and hang-ups, also as a cause', () => {
    expect(
      isClosedBeforeAnswer(withCode('read ECONNRESET', 'ECONNRESET')),
    ).toBe(true);
    expect(isClosedBeforeAnswer(withCode('write EPIPE', 'EPIPE'))).toBe(true);
    expect(isClosedBeforeAnswer(new Error('socket hang up'))).toBe(true);
    expect(
      isClosedBeforeAnswer(
        new Error('request failed', {
          cause: withCode('read ECONNRESET', 'ECONNRESET'),
        }),
      ),
    ).toBe(true);
  });

  it('does not hold for refusals, timeouts, TLS failures or mapped errors', () => {
    expect(
      isClosedBeforeAnswer(withCode('connect ECONNREFUSED', 'ECONNREFUSED')),
    ).toBe(false);
    const timeout = new Error('timed out');
    timeout.name = 'TimeoutError';
    expect(isClosedBeforeAnswer(timeout)).toBe(false);
    expect(isClosedBeforeAnswer(withCode('expired', 'CERT_HAS_EXPIRED'))).toBe(
      false,
    );
    expect(
      isClosedBeforeAnswer(new ClusterError('Unreachable', 'socket hang up')),
    ).toBe(false);
    expect(isClosedBeforeAnswer('socket hang up')).toBe(false);
  });
});
