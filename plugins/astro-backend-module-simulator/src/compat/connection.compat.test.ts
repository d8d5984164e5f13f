import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

describe('kubectl reaches the simulator over HTTPS with its kubeconfig', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('writes a kubeconfig at start that kubectl uses as it is', async () => {
    const text = await readFile(harness.kubeconfigPath, 'utf8');
    expect(text).toContain(`server: "${harness.simulator.httpsUrl}"`);
    expect(text).toContain('certificate-authority-data:');
    const out = await harness.kubectl(['get', 'namespaces', '-o', 'name']);
    expect(out.split('\n')).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/kube-system']),
    );
    const version = JSON.parse(
      await harness.kubectl(['version', '-o', 'json']),
    );
    expect(version.serverVersion.gitVersion).toMatch(/simulator/);
  });

  it('serves the same kubeconfig at /simulator/v1/kubeconfig', async () => {
    const response = await fetch(
      `${harness.simulator.url}/simulator/v1/kubeconfig`,
      { headers: { Authorization: `Bearer ${harness.simulator.token}` } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/yaml/);
    expect(await response.text()).toBe(
      await readFile(harness.kubeconfigPath, 'utf8'),
    );
    const anonymous = await fetch(
      `${harness.simulator.url}/simulator/v1/kubeconfig`,
    );
    expect(anonymous.status).toBe(401);
  });

  it('presents a certificate for the loopback addresses signed by the advertised CA', async () => {
    const ca = new X509Certificate(harness.simulator.caCertificate!);
    expect(ca.ca).toBe(true);
    const out = await harness.kubectl([
      'get',
      '--raw',
      '/api/v1/namespaces/default',
      '--server',
      harness.simulator.httpsUrl.replace('127.0.0.1', 'localhost'),
    ]);
    expect(JSON.parse(out).metadata.name).toBe('default');
  });

  it('is refused by kubectl when the CA is not trusted', async () => {
    const other = await startCompatHarness();
    try {
      const result = await harness.run('kubectl', [
        'get',
        'namespaces',
        '--certificate-authority',
        await harness.file('other-ca.pem', other.simulator.caCertificate!),
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/certificate/);
    } finally {
      await other.stop();
    }
  });

  it('still answers plain HTTP on the same port', async () => {
    const response = await fetch(`${harness.simulator.url}/api/v1/namespaces`, {
      headers: { Authorization: `Bearer ${harness.simulator.token}` },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).kind).toBe('NamespaceList');
  });
});
