import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpClient } from '../__testUtils__/http';
import { KubernetesSimulator } from '../KubernetesSimulator';
import { readStateFile, STATE_FORMAT } from './StateFile';

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'team' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
    },
  },
});

async function waitFor<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('the state file', () => {
  let dir: string;
  let simulator: KubernetesSimulator | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-state-'));
  });
  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = (options: { podReadyDelayMs?: number } = {}) =>
    KubernetesSimulator.start({
      stateFile: join(dir, 'state.json'),
      podReadyDelayMs: options.podReadyDelayMs ?? 50,
    });

  it('keeps objects, their identity and the resource version across a restart', async () => {
    simulator = await start();
    const first = httpClient(simulator);
    await first.apply('/api/v1/namespaces/team', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    const created = await first.apply(
      '/apis/apps/v1/namespaces/team/deployments/web',
      deployment('web', 2),
    );
    expect(created.status).toBe(201);
    const ready = await waitFor(async () => {
      const { body } = await first.get(
        '/apis/apps/v1/namespaces/team/deployments/web',
      );
      return body.status?.readyReplicas === 2 ? body : undefined;
    });
    const pods = (await first.get('/api/v1/namespaces/team/pods')).body;
    const token = simulator.token;
    const ca = simulator.caCertificate;
    const version = Number(pods.metadata.resourceVersion);
    await simulator.stop();

    simulator = await start();
    const second = httpClient(simulator);
    expect(simulator.token).toBe(token);
    expect(simulator.caCertificate).toBe(ca);
    const again = (
      await second.get('/apis/apps/v1/namespaces/team/deployments/web')
    ).body;
    expect(again.metadata.uid).toBe(ready.metadata.uid);
    expect(again.metadata.resourceVersion).toBe(ready.metadata.resourceVersion);
    expect(again.status.readyReplicas).toBe(2);
    const podsAgain = (await second.get('/api/v1/namespaces/team/pods')).body;
    expect(podsAgain.items.map((p: any) => p.metadata.uid).sort()).toEqual(
      pods.items.map((p: any) => p.metadata.uid).sort(),
    );
    expect(Number(podsAgain.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      version,
    );

    // New writes go on from the restored resource version, and a watch
    // from before the restart must re-list (no history survives).
    const scaled = await second.apply(
      '/apis/apps/v1/namespaces/team/deployments/web',
      deployment('web', 3),
    );
    expect(Number(scaled.body.metadata.resourceVersion)).toBeGreaterThan(
      version,
    );
    const watch = await second.get(
      `/api/v1/namespaces/team/pods?watch=true&resourceVersion=${
        version - 1
      }&timeoutSeconds=1`,
    );
    expect(watch.text).toContain('"code":410');
    await waitFor(async () => {
      const { body } = await second.get(
        '/apis/apps/v1/namespaces/team/deployments/web',
      );
      return body.status?.readyReplicas === 3 ? true : undefined;
    });
  });

  it('brings up pods that were still starting when the simulator stopped', async () => {
    simulator = await start({ podReadyDelayMs: 60_000 });
    const first = httpClient(simulator);
    await first.apply('/api/v1/namespaces/team', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    await first.apply(
      '/apis/apps/v1/namespaces/team/deployments/slow',
      deployment('slow', 1),
    );
    await waitFor(async () => {
      const { body } = await first.get('/api/v1/namespaces/team/pods');
      return body.items[0]?.status?.phase === 'Pending' ? true : undefined;
    });
    await simulator.stop();

    simulator = await start({ podReadyDelayMs: 50 });
    const second = httpClient(simulator);
    const ready = await waitFor(async () => {
      const { body } = await second.get(
        '/apis/apps/v1/namespaces/team/deployments/slow',
      );
      return body.status?.readyReplicas === 1 ? body : undefined;
    });
    expect(ready.status.availableReplicas).toBe(1);
  });

  it('is written owner-only, shortly after a change, without a stop', async () => {
    simulator = await start();
    await httpClient(simulator).apply('/api/v1/namespaces/written', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'written' },
    });
    const state = await waitFor(async () => {
      const read = await readStateFile(join(dir, 'state.json')).catch(
        () => undefined,
      );
      return read?.objects.some(o => o.metadata.name === 'written')
        ? read
        : undefined;
    });
    expect(state.format).toBe(STATE_FORMAT);
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not a state file instead of replacing it', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, '{"format":"something-else"}');
    await expect(
      KubernetesSimulator.start({ stateFile: path }),
    ).rejects.toThrow(`${path} is not a simulator state file`);
    expect(await readFile(path, 'utf8')).toBe('{"format":"something-else"}');
    await writeFile(path, 'not json');
    await expect(readStateFile(path)).rejects.toThrow('(not JSON)');
    expect(await readStateFile(join(dir, 'absent.json'))).toBeUndefined();
  });
});
