import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KubernetesSimulator } from '../KubernetesSimulator';
import {
  CompatHarness,
  startCompatHarness,
} from '../__testUtils__/compatHarness';

jest.setTimeout(120_000);

/** The `sh` blocks of the README that run kubectl. */
async function readmeRecipes(): Promise<string[]> {
  const readme = await readFile(
    join(__dirname, '..', '..', 'README.md'),
    'utf8',
  );
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map(match => match[1])
    .filter(block => block.includes('kubectl'));
}

function bash(script: string, env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>(
    resolve => {
      execFile(
        'bash',
        ['--noprofile', '--norc', '-euo', 'pipefail', '-c', script],
        { env, cwd, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr,
          }),
      );
    },
  );
}

describe('the kubectl recipes of the README work as written', () => {
  let harness: CompatHarness;

  beforeAll(async () => {
    harness = await startCompatHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('has two recipes', async () => {
    expect(await readmeRecipes()).toHaveLength(2);
  });

  it('reads the cluster with the kubeconfig written at start', async () => {
    const [recipe] = await readmeRecipes();
    // Where the module writes it by default, under a private TMPDIR.
    const simulator = await KubernetesSimulator.start({
      kubeconfigPath: join(
        harness.dir,
        'airflow-portal-simulator',
        'simulator.kubeconfig',
      ),
    });
    try {
      await simulator.control.applyObject(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'recipe-pod', namespace: 'default' },
          spec: { containers: [{ name: 'main', image: 'busybox' }] },
        },
        { fieldManager: 'test' },
      );
      const result = await bash(
        recipe,
        {
          ...harness.env,
          KUBECONFIG: '',
          TMPDIR: harness.dir,
          PATH: `${dirname(harness.clients.kubectl)}:${harness.env.PATH}`,
        },
        harness.dir,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/default\s+recipe-pod/);
    } finally {
      await simulator.stop();
    }
  });

  it('fetches the kubeconfig of a fixed port and token and uses it', async () => {
    const [, recipe] = await readmeRecipes();
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(recipe)?.[1]);
    const simulator = await KubernetesSimulator.start({
      port,
      token: 'readme-token',
    });
    try {
      const result = await bash(
        recipe,
        {
          ...harness.env,
          KUBECONFIG: '',
          SIMULATOR_TOKEN: 'readme-token',
          PATH: `${dirname(harness.clients.kubectl)}:${harness.env.PATH}`,
        },
        harness.dir,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/kube-system\s+Active/);
    } finally {
      await simulator.stop();
    }
  });
});
