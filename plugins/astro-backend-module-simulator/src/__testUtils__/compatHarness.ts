/**
 * The shared harness of the client-compatibility suite: a simulator, a
 * temporary directory with its kubeconfig, and the real kubectl and helm
 * binaries run against it with `KUBECONFIG` set.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KubernetesSimulator,
  KubernetesSimulatorOptions,
} from '../KubernetesSimulator';
import { installKubeClients, KubeClients } from './kubeClients';

/** What a client run printed and how it exited. */
export interface RunResult {
  /** Exit code; `null` when killed (e.g. by the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How to run a client. */
export interface RunOptions {
  /** Written to the client's standard input. */
  input?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kills the client after this long. Default 60 s. */
  timeoutMs?: number;
}

/** A running simulator with kubectl and helm pointed at it. */
export interface CompatHarness {
  simulator: KubernetesSimulator;
  clients: KubeClients;
  /** The harness's temporary directory (also `HOME` of the clients). */
  dir: string;
  /** Path of the kubeconfig the clients use. */
  kubeconfigPath: string;
  /** The environment the clients run with. */
  env: Record<string, string>;
  /** Runs kubectl; resolves with its result whatever the exit code. */
  run(
    binary: 'kubectl' | 'helm',
    args: string[],
    options?: RunOptions,
  ): Promise<RunResult>;
  /** Runs kubectl and resolves with its standard output; rejects on failure. */
  kubectl(args: string[], options?: RunOptions): Promise<string>;
  /** Runs helm and resolves with its standard output; rejects on failure. */
  helm(args: string[], options?: RunOptions): Promise<string>;
  /** Writes a file into the harness directory; resolves to its path. */
  file(name: string, content: string): Promise<string>;
  /** Stops the simulator and removes the directory. */
  stop(): Promise<void>;
}

/**
 * Starts a simulator (fast timings unless overridden), writes its
 * kubeconfig into a new temporary directory and unpacks kubectl and helm.
 */
export async function startCompatHarness(
  options: KubernetesSimulatorOptions = {},
): Promise<CompatHarness> {
  const [clients, dir] = await Promise.all([
    installKubeClients(),
    mkdtemp(join(tmpdir(), 'simulator-compat-')),
  ]);
  const kubeconfigPath = join(dir, 'kubeconfig');
  const simulator = await KubernetesSimulator.start({
    podReadyDelayMs: 20,
    namespaceDeletionDelayMs: 50,
    dagSync: { enabled: false },
    kubeconfigPath,
    ...options,
  });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    KUBECONFIG: kubeconfigPath,
    KUBECACHEDIR: join(dir, 'kube-cache'),
    HELM_CACHE_HOME: join(dir, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(dir, 'helm', 'config'),
    HELM_DATA_HOME: join(dir, 'helm', 'data'),
    NO_COLOR: '1',
  };
  const run = (
    binary: 'kubectl' | 'helm',
    args: string[],
    runOptions: RunOptions = {},
  ) =>
    new Promise<RunResult>(resolve => {
      const child = execFile(
        clients[binary],
        args,
        {
          env: { ...env, ...runOptions.env },
          cwd: dir,
          timeout: runOptions.timeoutMs ?? 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code =
            error && typeof error.code === 'number' ? error.code : null;
          resolve({ code: error ? code : 0, stdout, stderr });
        },
      );
      child.stdin?.end(runOptions.input ?? '');
    });
  const succeed =
    (binary: 'kubectl' | 'helm') =>
    async (args: string[], runOptions?: RunOptions) => {
      const result = await run(binary, args, runOptions);
      if (result.code !== 0) {
        throw new Error(
          `${binary} ${args.join(' ')} exited with ${result.code}:\n${
            result.stderr
          }${result.stdout}`,
        );
      }
      return result.stdout;
    };
  return {
    simulator,
    clients,
    dir,
    kubeconfigPath,
    env,
    run,
    kubectl: succeed('kubectl'),
    helm: succeed('helm'),
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    async stop() {
      await simulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
