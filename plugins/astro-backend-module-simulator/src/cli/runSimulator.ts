/**
 * `astro-simulator`: the Kubernetes simulator as its own process, so that a
 * backend can be killed and restarted while the cluster keeps its objects,
 * as a real cluster would. A backend uses it as any `kubernetes` cluster
 * (through the kubeconfig it writes).
 */
import { parseArgs } from 'node:util';
import { KubernetesSimulator } from '../KubernetesSimulator';

const USAGE = `Usage: astro-simulator [options]

Runs the Kubernetes API simulator until SIGINT or SIGTERM.

Options:
  --host <host>              interface to listen on (default 127.0.0.1)
  --port <port>              port for HTTPS and HTTP (default 6443; 0 picks one)
  --kubeconfig <file>        write a kubeconfig for the HTTPS endpoint here
  --state <file>             keep objects, token and TLS material in this file
                             across restarts (in memory only when absent)
  --token <token>            bearer token to require (default: from the state
                             file, else random; or env ASTRO_SIMULATOR_TOKEN)
  --pod-ready-delay-ms <ms>  time from pod creation to Ready (default 2000)
  --no-keda                  serve no KEDA resources
  --title <title>            name shown to users (default "Simulator process")
  -h, --help                 show this help
`;

/** What the command line asks for. */
export interface SimulatorArguments {
  host: string;
  port: number;
  kubeconfig?: string;
  state?: string;
  token?: string;
  podReadyDelayMs?: number;
  keda: boolean;
  title: string;
  help: boolean;
}

/** A command line the simulator cannot run with; the message names the option. */
export class UsageError extends Error {}

function integer(option: string, value: string | undefined, min: number) {
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > 2 ** 31) {
    throw new UsageError(
      `--${option} must be an integer of at least ${min}, got "${value}"`,
    );
  }
  return parsed;
}

/** Parses the command line (without `node` and the script). */
export function parseSimulatorArguments(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): SimulatorArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        kubeconfig: { type: 'string' },
        state: { type: 'string' },
        token: { type: 'string' },
        'pod-ready-delay-ms': { type: 'string' },
        'no-keda': { type: 'boolean' },
        title: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = integer('port', values.port, 0);
  if (port !== undefined && port > 65535) {
    throw new UsageError(`--port must be at most 65535, got "${values.port}"`);
  }
  return {
    host: values.host ?? '127.0.0.1',
    port: port ?? 6443,
    kubeconfig: values.kubeconfig,
    state: values.state,
    token: values.token ?? (env.ASTRO_SIMULATOR_TOKEN || undefined),
    podReadyDelayMs: integer(
      'pod-ready-delay-ms',
      values['pod-ready-delay-ms'],
      0,
    ),
    keda: !values['no-keda'],
    title: values.title ?? 'Simulator process',
    help: values.help ?? false,
  };
}

/**
 * Runs the simulator until a signal. Prints where it listens as its first
 * line of standard output: `Kubernetes simulator listening on <https-url>`.
 */
export async function runSimulator(
  argv: string[],
  io: {
    env: NodeJS.ProcessEnv;
    out: (line: string) => void;
    err: (line: string) => void;
    onSignal: (signal: NodeJS.Signals, handler: () => void) => void;
  },
): Promise<number> {
  let args: SimulatorArguments;
  try {
    args = parseSimulatorArguments(argv, io.env);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`astro-simulator: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  let simulator: KubernetesSimulator;
  try {
    simulator = await KubernetesSimulator.start({
      host: args.host,
      port: args.port,
      token: args.token,
      kubeconfigPath: args.kubeconfig,
      stateFile: args.state,
      podReadyDelayMs: args.podReadyDelayMs,
      keda: args.keda,
      title: args.title,
      logger: { warn: message => io.err(`warning: ${message}`) },
    });
  } catch (error) {
    io.err(`astro-simulator: ${(error as Error).message}`);
    return 1;
  }
  io.out(`Kubernetes simulator listening on ${simulator.httpsUrl}`);
  io.out(`  plain HTTP on the same port: ${simulator.url}`);
  if (simulator.kubeconfigFile) {
    io.out(`  kubeconfig: ${simulator.kubeconfigFile}`);
  }
  io.out(
    args.state
      ? `  state kept in ${args.state}`
      : '  state in memory only (use --state <file> to keep it)',
  );
  // The server's listener is the only thing that usually keeps the process
  // alive, and an injected outage closes it: hold the process until a signal.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  await new Promise<void>(resolve => {
    let stopping = false;
    const stop = () => {
      if (!stopping) {
        stopping = true;
        resolve();
      }
    };
    io.onSignal('SIGINT', stop);
    io.onSignal('SIGTERM', stop);
  });
  clearInterval(keepAlive);
  await simulator.stop();
  io.out('Kubernetes simulator stopped');
  return 0;
}

/**
 * The `astro-simulator` command: runs {@link runSimulator} with this
 * process's arguments, output and signals, then exits with its code.
 *
 * @public
 */
export function runSimulatorCommand(): void {
  runSimulator(process.argv.slice(2), {
    env: process.env,
    out: line => process.stdout.write(`${line}\n`),
    err: line => process.stderr.write(`${line}\n`),
    onSignal: (signal, handler) => process.on(signal, handler),
  }).then(
    code => process.exit(code),
    error => {
      process.stderr.write(`astro-simulator: ${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
