import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import { KubernetesClusterDriver } from './KubernetesClusterDriver';

/*
 * The service proxy call as it leaves the driver: a tiny HTTP server
 * stands in for the API server and records what reached it.
 */
describe('KubernetesClusterClient.proxyGet', () => {
  let server: Server;
  let url: string;
  const seen: Array<{
    url?: string;
    method?: string;
    headers: IncomingHttpHeaders;
    body: string;
  }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        seen.push({
          url: req.url,
          method: req.method,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"metadatabase":{"status":"healthy"}}');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
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

  it('sends the extra headers to the service proxy, beside the cluster credentials', async () => {
    const client = await connect();
    const response = await client.proxyGet({
      namespace: 'astro-etl-1a2b3c',
      service: 'api-server',
      port: 8080,
      path: '/api/v2/monitor/health?x=1',
      headers: {
        [AIRFLOW_ACCESS.proxyTokenHeader]: 'service.jwt.value',
        Authorization: 'Bearer must-not-replace-the-cluster-token',
      },
    });
    expect(response.status).toBe(200);
    const proxied = seen.find(r => r.url?.includes('/proxy/'));
    expect(proxied?.url).toBe(
      '/api/v1/namespaces/astro-etl-1a2b3c/services/api-server:8080/proxy/api/v2/monitor/health?x=1',
    );
    expect(proxied?.headers[AIRFLOW_ACCESS.proxyTokenHeader]).toBe(
      'service.jwt.value',
    );
    expect(proxied?.headers.authorization).toBe('Bearer cluster-token');
    await client.close();
  });

  it('sends no extra header when none is given', async () => {
    const client = await connect();
    await client.proxyGet({
      namespace: 'ns',
      service: 'api-server',
      port: 'http',
      path: '/api/v2/monitor/health',
    });
    const proxied = seen.find(r => r.url?.includes('/proxy/'));
    expect(proxied?.headers[AIRFLOW_ACCESS.proxyTokenHeader]).toBeUndefined();
    await client.close();
  });

  it('sends writes with their method and JSON body (proxyRequest)', async () => {
    const client = await connect();
    const response = await client.proxyRequest({
      method: 'PATCH',
      namespace: 'ns',
      service: 'api-server',
      port: 8080,
      path: '/api/v2/dags/etl?update_mask=is_paused',
      headers: { [AIRFLOW_ACCESS.proxyTokenHeader]: 'service.jwt.value' },
      body: { is_paused: true },
    });
    expect(response.status).toBe(200);
    const proxied = seen.find(r => r.url?.includes('/proxy/'));
    expect(proxied).toMatchObject({
      method: 'PATCH',
      url: '/api/v1/namespaces/ns/services/api-server:8080/proxy/api/v2/dags/etl?update_mask=is_paused',
      body: '{"is_paused":true}',
    });
    expect(proxied?.headers['content-type']).toBe('application/json');
    await client.close();
  });
});
