import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import {
  astroClustersExtensionPoint,
  ClusterDeclaration,
  ClusterSource,
} from '@airflow-portal/plugin-astro-node';
import { ConfigReader } from '@backstage/config';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSimulatorConfig } from './config';
import { astroModuleSimulator } from './module';
import { generateTlsMaterial } from './tls/certificates';

async function startWith(simulator: JsonObject) {
  const sources: ClusterSource[] = [];
  const fakeAstro = createBackendPlugin({
    pluginId: 'astro',
    register(env) {
      env.registerExtensionPoint(astroClustersExtensionPoint, {
        addClusterSource: source => sources.push(source),
        addDriver: () => {},
      });
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {},
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      fakeAstro,
      astroModuleSimulator,
      mockServices.rootConfig.factory({ data: { astro: { simulator } } }),
    ],
  });
  const clusters: ClusterDeclaration[] = (
    await Promise.all(sources.map(source => source.getClusters()))
  ).flat();
  return { backend, clusters };
}

/** GET over HTTPS trusting only `caData` (base64 PEM). */
function httpsGet(url: string, token: string, caData: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        ca: Buffer.from(caData, 'base64').toString(),
        headers: { Authorization: `Bearer ${token}` },
      },
      res => {
        let body = '';
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('astroModuleSimulator', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simulator-module-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a simulator and contributes it as a cluster labelled as a simulator', async () => {
    const kubeconfigPath = join(dir, 'sim-1.kubeconfig');
    const { backend, clusters } = await startWith({
      clusterName: 'sim-1',
      title: 'Local simulator',
      keda: false,
      kubeconfigPath,
    });
    expect(clusters).toEqual([
      {
        name: 'sim-1',
        title: 'Local simulator',
        description: expect.stringContaining('simulator'),
        driver: 'simulator',
        type: 'standard',
        provider: 'simulator',
        region: 'local',
        connection: {
          server: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
          token: expect.any(String),
          caData: expect.any(String),
        },
        airflowUrlTemplate: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/airflow\/\{namespace\}$/,
        ),
      },
    ]);
    const { server, token, caData } = clusters[0].connection!;
    // The backend's connection is HTTPS with the generated CA.
    const ca = new X509Certificate(Buffer.from(caData!, 'base64').toString());
    expect(ca.ca).toBe(true);
    const namespaces = await httpsGet(
      `${server}/api/v1/namespaces`,
      token!,
      caData!,
    );
    expect(namespaces.status).toBe(200);
    expect(JSON.parse(namespaces.body).kind).toBe('NamespaceList');
    // The kubeconfig written at start names the same server, user and CA.
    const kubeconfig = await readFile(kubeconfigPath, 'utf8');
    expect(kubeconfig).toContain(`server: "${server}"`);
    expect(kubeconfig).toContain(`token: "${token}"`);
    expect(kubeconfig).toContain(`certificate-authority-data: "${caData}"`);
    expect(kubeconfig).toContain('current-context: "sim-1"');
    // eslint-disable-next-line no-bitwise
    expect((await stat(kubeconfigPath)).mode & 0o077).toBe(0);
    // The simulated Airflow URL (plain HTTP, for browsers) needs no
    // simulator token; with no Airflow in the namespace it says it is not
    // serving.
    const airflowBase = clusters[0].airflowUrlTemplate!.replace(
      '/airflow/{namespace}',
      '',
    );
    const page = await fetch(`${airflowBase}/airflow/some-namespace`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Simulated Airflow: some-namespace');
    const info = await fetch(`${airflowBase}/simulator/v1/info`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await info.json()).toMatchObject({
      driver: 'simulator',
      title: 'Local simulator',
      keda: false,
    });

    await backend.stop();
    await expect(fetch(`${airflowBase}/version`)).rejects.toThrow();
    await expect(stat(kubeconfigPath)).rejects.toThrow();
  });

  it('uses the configured token and defaults', async () => {
    const { backend, clusters } = await startWith({
      token: 'dev-token',
      kubeconfigPath: join(dir, 'defaults.kubeconfig'),
    });
    expect(clusters[0]).toMatchObject({
      name: 'simulator',
      title: 'Built-in simulator',
      connection: { token: 'dev-token' },
    });
    const { server, caData } = clusters[0].connection!;
    const answer = await httpsGet(`${server}/apis`, 'dev-token', caData!);
    expect(answer.body).toContain('keda.sh/v1alpha1');
    await backend.stop();
  });

  it('serves a configured certificate and advertises its CA', async () => {
    const material = generateTlsMaterial();
    const files = {
      certFile: join(dir, 'cert.pem'),
      keyFile: join(dir, 'key.pem'),
      caFile: join(dir, 'ca.pem'),
    };
    await writeFile(files.certFile, material.cert);
    await writeFile(files.keyFile, material.key);
    await writeFile(files.caFile, material.ca);
    const { backend, clusters } = await startWith({
      tls: files,
      kubeconfigPath: join(dir, 'configured.kubeconfig'),
    });
    const { server, token, caData } = clusters[0].connection!;
    expect(Buffer.from(caData!, 'base64').toString()).toBe(material.ca);
    const answer = await httpsGet(
      `${server}/api/v1/namespaces/default`,
      token!,
      caData!,
    );
    expect(JSON.parse(answer.body).metadata.name).toBe('default');
    await backend.stop();
  });

  it('contributes nothing when disabled', async () => {
    const { backend, clusters } = await startWith({ enabled: false });
    expect(clusters).toEqual([]);
    await backend.stop();
  });

  it('writes the kubeconfig to the temporary directory by default', () => {
    expect(
      readSimulatorConfig(
        new ConfigReader({ astro: { simulator: { clusterName: 'dev' } } }),
      ).kubeconfigPath,
    ).toBe(join(tmpdir(), 'airflow-portal-simulator', 'dev.kubeconfig'));
  });

  it('reads the DAG sync settings', () => {
    expect(readSimulatorConfig(new ConfigReader({})).dagSync).toEqual({
      enabled: true,
      minIntervalMs: undefined,
      intervalMs: undefined,
    });
    expect(
      readSimulatorConfig(
        new ConfigReader({
          astro: {
            simulator: {
              dagSync: { enabled: false, minIntervalMs: 50, intervalMs: 500 },
            },
          },
        }),
      ).dagSync,
    ).toEqual({ enabled: false, minIntervalMs: 50, intervalMs: 500 });
  });
});
