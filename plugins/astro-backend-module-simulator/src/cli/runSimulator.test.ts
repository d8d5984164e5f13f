import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSimulatorArguments, UsageError } from './runSimulator';
import {
  SIMULATOR_BIN,
  SimulatorProcess,
  startSimulatorProcess,
} from './SimulatorProcess';

describe('astro-simulator arguments', () => {
  it('names the option that is wrong', () => {
    expect(() => parseSimulatorArguments(['--port', 'http'])).toThrow(
      new UsageError('--port must be an integer of at least 0, got "http"'),
    );
    expect(() => parseSimulatorArguments(['--port', '70000'])).toThrow(
      '--port must be at most 65535',
    );
    expect(() => parseSimulatorArguments(['--stat', 'x'])).toThrow(
      "Unknown option '--stat'",
    );
  });

  it('takes the token from the environment when not given', () => {
    expect(
      parseSimulatorArguments([], { ASTRO_SIMULATOR_TOKEN: 'from-env' }),
    ).toMatchObject({
      token: 'from-env',
      port: 6443,
      host: '127.0.0.1',
      keda: true,
    });
  });
});

describe('the astro-simulator process', () => {
  let dir: string;
  let running: SimulatorProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-process-'));
  });
  afterEach(() => {
    running?.kill('SIGKILL');
    running = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const call = (url: string, method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: 'Bearer process-token',
        'Content-Type': 'application/apply-patch+yaml',
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('serves until SIGTERM, keeps its objects in the state file, and has them again after a restart', async () => {
    const state = join(dir, 'state.json');
    const kubeconfig = join(dir, 'kubeconfig');
    const args = [
      '--port',
      '0',
      '--state',
      state,
      '--kubeconfig',
      kubeconfig,
      '--token',
      'process-token',
    ];
    running = await startSimulatorProcess(args);
    expect(await readFile(kubeconfig, 'utf8')).toContain(running.httpsUrl);
    const created = await call(
      running.url,
      'PATCH',
      '/api/v1/namespaces/kept?fieldManager=test',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } },
    );
    expect(created.status).toBe(201);
    const uid = (await created.json()).metadata.uid;

    running.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.output()).toContain('Kubernetes simulator stopped');

    running = await startSimulatorProcess(args);
    const read = await call(running.url, 'GET', '/api/v1/namespaces/kept');
    expect(read.status).toBe(200);
    expect((await read.json()).metadata.uid).toBe(uid);
  });

  it('keeps running through an injected outage and answers again after it', async () => {
    running = await startSimulatorProcess([
      '--port',
      '0',
      '--token',
      'process-token',
    ]);
    const down = await fetch(`${running.url}/simulator/v1/faults/unavailable`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer process-token',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ durationMs: 1500, mode: 'refuse' }),
    });
    expect(down.status).toBe(202);
    await expect(fetch(`${running.url}/version`)).rejects.toThrow();
    await new Promise(resolve => setTimeout(resolve, 2500));
    const version = await fetch(`${running.url}/version`);
    expect(version.status).toBe(200);
  });

  it('exits with 2 and the usage on a wrong option', async () => {
    const child = spawn(process.execPath, [SIMULATOR_BIN, '--port', 'nope'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    const code = await new Promise(done => child.on('exit', done));
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be an integer');
    expect(stderr).toContain('Usage: astro-simulator');
  });
});
