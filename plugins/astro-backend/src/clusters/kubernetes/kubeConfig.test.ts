import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import { ClusterDeclaration } from '@airflow-portal/plugin-astro-node';
import { KubernetesClusterDriver } from './KubernetesClusterDriver';

const declaration = (
  connection: ClusterDeclaration['connection'],
): ClusterDeclaration => ({
  name: 'target',
  driver: 'kubernetes',
  type: 'standard',
  provider: 'kubernetes',
  region: 'unknown',
  connection,
});

describe('connections of the kubernetes driver', () => {
  let simulator: KubernetesSimulator;
  let dir: string;

  beforeAll(async () => {
    simulator = await startKubernetesSimulator();
    dir = await mkdtemp(join(tmpdir(), 'astro-kubeconfig-'));
  });

  afterAll(async () => {
    await simulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a kubeconfig file and picks the named context', async () => {
    const path = join(dir, 'config');
    await writeFile(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: elsewhere',
        'clusters:',
        '  - name: sim',
        `    cluster: { server: "${simulator.url}", insecure-skip-tls-verify: true }`,
        '  - name: nowhere',
        '    cluster: { server: "https://127.0.0.1:1" }',
        'users:',
        '  - name: sim-user',
        `    user: { token: "${simulator.token}" }`,
        'contexts:',
        '  - name: sim',
        '    context: { cluster: sim, user: sim-user }',
        '  - name: elsewhere',
        '    context: { cluster: nowhere, user: sim-user }',
      ].join('\n'),
    );
    const client = await new KubernetesClusterDriver().connect(
      declaration({ kubeconfig: { path, context: 'sim' } }),
    );
    await expect(client.capabilities()).resolves.toMatchObject({
      serverVersion: { gitVersion: 'v1.31.0-simulator' },
    });
    await client.close();

    await expect(
      new KubernetesClusterDriver().connect(
        declaration({ kubeconfig: { path, context: 'missing' } }),
      ),
    ).rejects.toMatchObject({
      reason: 'Invalid',
      message: expect.stringContaining('context "missing" not found'),
    });
  });

  it('connects with a server URL and a token, accepting plain HTTP on loopback only', async () => {
    const client = await new KubernetesClusterDriver().connect(
      declaration({ server: `${simulator.url}/`, token: simulator.token }),
    );
    await expect(
      client.list({ apiVersion: 'v1', kind: 'Namespace' }),
    ).resolves.toMatchObject({
      items: expect.arrayContaining([
        expect.objectContaining({
          metadata: expect.objectContaining({ name: 'default' }),
        }),
      ]),
    });
    await client.close();

    await expect(
      new KubernetesClusterDriver().connect(
        declaration({ server: 'http://10.1.2.3:6443', token: 't' }),
      ),
    ).rejects.toMatchObject({
      reason: 'Invalid',
      message: expect.stringContaining('plain HTTP'),
    });
  });

  it('refuses a declaration without any connection', async () => {
    await expect(
      new KubernetesClusterDriver().connect(declaration(undefined)),
    ).rejects.toMatchObject({ reason: 'Invalid' });
    await expect(
      new KubernetesClusterDriver().connect(declaration({})),
    ).rejects.toMatchObject({ reason: 'Invalid' });
  });
});
