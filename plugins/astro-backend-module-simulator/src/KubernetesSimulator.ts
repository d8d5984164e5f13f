import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiOperations } from './api/ApiOperations';
import { SIMULATED_VERSION } from './api/discovery';
import { ResourceCatalog } from './api/resources';
import { StatusError, statusErrors } from './api/status';
import { AirflowDags } from './airflow/AirflowDags';
import { AirflowHealth } from './airflow/AirflowHealth';
import { AirflowRuns } from './airflow/AirflowRuns';
import { SimulatedClock } from './airflow/SimulatedClock';
import { AirflowWebApp } from './airflow/AirflowWebApp';
import { ControllerManager } from './controllers/ControllerManager';
import { SimulationState } from './controllers/SimulationState';
import { handleControlRequest, SimulatorInfo } from './control/controlRoutes';
import { SimulatorControl } from './control/SimulatorControl';
import { DagSync, DagSyncOptions } from './dagsync/DagSync';
import { FaultInjector } from './faults/FaultInjector';
import { OpenApiDocuments } from './openapi/documents';
import { sendJson, sendStatusError, sleep } from './server/http';
import { KubernetesApiHandler, verbOf } from './server/KubernetesApiHandler';
import { parseRoute, pathClassOf } from './server/routes';
import { SimulatorHttpServer } from './server/SimulatorHttpServer';
import { WatchHub } from './server/WatchHub';
import {
  readStateFile,
  SimulatorState,
  StateFileWriter,
  typedObjectsOf,
} from './persistence/StateFile';
import {
  DEFAULT_SIMULATED_NODES,
  seedNodes,
  SimulatedNode,
} from './nodes/simulatedNodes';
import { RequestStats } from './stats/RequestStats';
import { ObjectStore } from './store/ObjectStore';
import { generateTlsMaterial, TlsMaterial } from './tls/certificates';
import {
  kubeconfigYaml,
  removeKubeconfigFile,
  writeKubeconfigFile,
} from './tls/kubeconfig';

/**
 * Options of a {@link KubernetesSimulator}.
 *
 * @public
 */
export interface KubernetesSimulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number;
  /** Bearer token the API requires; a random one when absent. */
  token?: string;
  /**
   * The HTTPS endpoint's certificate and key (PEM) and the CA that signed
   * it (advertised in kubeconfigs; the system's roots are trusted when
   * absent). A new CA and certificate are generated when absent.
   */
  tls?: { cert: string; key: string; ca?: string };
  /** Name of the cluster, user and context in kubeconfigs. Default `simulator`. */
  name?: string;
  /**
   * Where to write a kubeconfig (mode 0600) once listening; removed again
   * by {@link KubernetesSimulator.stop}.
   */
  kubeconfigPath?: string;
  /** Whether KEDA (`keda.sh/v1alpha1`) is installed. Default `true`. */
  keda?: boolean;
  /** Shown to users, e.g. `Built-in simulator`. */
  title?: string;
  /** Time from pod creation to Ready (and for a Job to finish). Default 2000. */
  podReadyDelayMs?: number;
  /** Interval of crash-loop restarts. Default 10000. */
  crashLoopRestartMs?: number;
  /** How long a deleted namespace stays `Terminating`. Default 500. */
  namespaceDeletionDelayMs?: number;
  /** Interval of watch bookmarks. Default 30000. */
  bookmarkIntervalMs?: number;
  /** Changes kept for resuming watches; older versions get `410 Gone`. Default 5000. */
  historyLimit?: number;
  /** Seed of the fault injector's random numbers. */
  faultSeed?: number;
  /**
   * The simulated DAG sync of pods with a `dag-sync` sidecar or a
   * `dag-sync-init` init container (on by default).
   */
  dagSync?: DagSyncOptions;
  /**
   * A file that keeps the simulator's state across its restarts: objects,
   * resource version, token and TLS material (read at start when it exists;
   * written shortly after every change and at stop; mode 0600). A token or
   * TLS material given in these options wins over the file's. In memory
   * only when absent.
   */
  stateFile?: string;
  /**
   * The cluster's nodes, listed at `/api/v1/nodes` with their capacity and
   * allocatable CPU and memory. Default: eight nodes of 16 CPUs and 64 GiB
   * (15800m and 62Gi allocatable each).
   */
  nodes?: readonly SimulatedNode[];
  /** Receives controller failures; silent when absent. */
  logger?: { warn(message: string, meta?: Error | object): void };
}

const SEED_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * A Kubernetes API simulator served over HTTP: discovery, server-side
 * apply, get/list/watch with resource versions, deletes with cascades, the
 * service proxy with a simulated Airflow API, simulated controllers, and
 * fault injection. State is held in memory, and kept in a file across
 * restarts when `stateFile` is given.
 *
 * @public
 */
export class KubernetesSimulator {
  /** The control API, in process. */
  readonly control: SimulatorControl;
  /** The bearer token the API requires. */
  readonly token: string;
  /** Shown to users. */
  readonly title: string;
  /**
   * PEM of the CA that signed the HTTPS endpoint's certificate (generated
   * per start unless given), or `undefined` for a configured certificate
   * without a CA.
   */
  readonly caCertificate: string | undefined;

  private readonly server: SimulatorHttpServer;
  private readonly controllers: ControllerManager;
  private readonly airflow: AirflowHealth;
  private readonly dagSync: DagSync;
  private readonly dags: AirflowDags;
  private readonly runs: AirflowRuns;
  private readonly stopWatchingNamespaces: () => void;
  private readonly web: AirflowWebApp;
  private readonly watches: WatchHub;
  private readonly host: string;
  private readonly catalog: ResourceCatalog;
  private readonly stats = new RequestStats();
  private readonly faults: FaultInjector;
  private readonly handler: KubernetesApiHandler;
  private readonly name: string;
  private readonly kubeconfigPath?: string;
  private writtenKubeconfig?: string;
  private stateWriter?: StateFileWriter;
  private stopped = false;

  /** Starts a simulator and resolves once it listens. */
  static async start(
    options: KubernetesSimulatorOptions = {},
  ): Promise<KubernetesSimulator> {
    const restored = options.stateFile
      ? await readStateFile(options.stateFile)
      : undefined;
    const simulator = new KubernetesSimulator(options, restored);
    try {
      await simulator.server.listen();
    } catch (error) {
      await simulator.stop();
      throw error;
    }
    if (simulator.kubeconfigPath) {
      try {
        const content = simulator.kubeconfig();
        await writeKubeconfigFile(simulator.kubeconfigPath, content);
        simulator.writtenKubeconfig = content;
      } catch (error) {
        await simulator.stop();
        throw error;
      }
    }
    return simulator;
  }

  private constructor(
    options: KubernetesSimulatorOptions,
    restored?: SimulatorState,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.token =
      options.token ?? restored?.token ?? randomBytes(24).toString('base64url');
    this.title = options.title ?? 'Built-in simulator';
    this.name = options.name ?? 'simulator';
    this.kubeconfigPath = options.kubeconfigPath;
    const tls: TlsMaterial = options.tls
      ? { ca: '', ...options.tls }
      : restored?.tls ?? generateTlsMaterial([this.host]);
    this.caCertificate = tls.ca || undefined;
    const catalog = new ResourceCatalog({ keda: options.keda ?? true });
    this.catalog = catalog;
    const store = new ObjectStore({ historyLimit: options.historyLimit });
    if (restored) {
      store.restore({
        resourceVersion: restored.resourceVersion,
        objects: typedObjectsOf(restored, catalog),
      });
    }
    const api = new ApiOperations(store);
    const state = new SimulationState();
    const stats = this.stats;
    const faults = new FaultInjector({ seed: options.faultSeed });
    this.faults = faults;
    this.watches = new WatchHub(store, options.bookmarkIntervalMs ?? 30_000);
    this.airflow = new AirflowHealth(store);
    this.dagSync = new DagSync({
      store,
      stats,
      options: options.dagSync ?? {},
      warn: message => options.logger?.warn(message),
    });
    this.dags = new AirflowDags({ store, dagSync: this.dagSync });
    const runs = new AirflowRuns(new SimulatedClock(), namespace =>
      this.dags.parsedDags(namespace),
    );
    this.runs = runs;
    this.dags.onParsed(namespace => runs.catchUp(namespace));
    this.stopWatchingNamespaces = store.subscribe(event => {
      if (event.resource.kind === 'Namespace' && event.type === 'DELETED') {
        runs.forget(event.object.metadata.name);
      }
    });
    this.web = new AirflowWebApp({
      store,
      health: this.airflow,
      dags: this.dags,
      runs,
      queues: state,
    });
    this.controllers = new ControllerManager({
      store,
      api,
      state,
      catalog,
      timings: {
        podReadyDelayMs: options.podReadyDelayMs ?? 2000,
        crashLoopRestartMs: options.crashLoopRestartMs ?? 10_000,
        namespaceDeletionDelayMs: options.namespaceDeletionDelayMs ?? 500,
      },
      warn: (message, error) =>
        options.logger?.warn(
          message,
          error instanceof Error ? error : undefined,
        ),
    });
    this.handler = new KubernetesApiHandler({
      store,
      api,
      catalog,
      watches: this.watches,
      airflow: this.airflow,
      dags: this.dags,
      runs,
      queues: state,
      stats,
      openapi: new OpenApiDocuments(),
    });
    this.server = new SimulatorHttpServer(
      (req, res) => {
        this.handle(req, res).catch(error => this.fail(res, error));
      },
      this.host,
      options.port ?? 0,
      tls,
    );
    const seed = () => {
      for (const name of SEED_NAMESPACES) {
        api.apply(
          ResourceCatalog.kind('Namespace'),
          undefined,
          name,
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
          { manager: 'kube-apiserver' },
        );
      }
      seedNodes(api, options.nodes ?? DEFAULT_SIMULATED_NODES);
    };
    this.control = new SimulatorControl({
      store,
      api,
      catalog,
      state,
      faults,
      stats,
      watches: this.watches,
      server: this.server,
      controllers: this.controllers,
      dagSync: this.dagSync,
      dags: this.dags,
      runs,
      health: this.airflow,
      seed,
    });
    this.controllers.start();
    if (restored) {
      this.controllers.resyncAll();
    }
    seed();
    if (options.stateFile) {
      this.stateWriter = new StateFileWriter({
        path: options.stateFile,
        store,
        identity: { token: this.token, tls },
        warn: (message, error) =>
          options.logger?.warn(
            message,
            error instanceof Error ? error : undefined,
          ),
      });
      this.stateWriter.start();
    }
  }

  /**
   * The API server URL over plain HTTP, e.g. `http://127.0.0.1:39017`: for
   * in-process clients, `fetch` and browsers (the simulated Airflow). The
   * same port serves {@link KubernetesSimulator.httpsUrl}.
   */
  get url(): string {
    return `http://${this.authority}`;
  }

  /**
   * The API server URL over HTTPS, e.g. `https://127.0.0.1:39017`, with a
   * certificate signed by {@link KubernetesSimulator.caCertificate}: what
   * kubectl and helm need, as they send no bearer token over plain HTTP.
   */
  get httpsUrl(): string {
    return `https://${this.authority}`;
  }

  private get authority(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${host}:${this.server.listeningPort}`;
  }

  /**
   * A kubeconfig (YAML) for the HTTPS endpoint with the CA and the token,
   * e.g. for `KUBECONFIG`; also served at `GET /simulator/v1/kubeconfig`.
   */
  kubeconfig(options: { namespace?: string } = {}): string {
    return kubeconfigYaml({
      name: this.name,
      server: this.httpsUrl,
      ca: this.caCertificate,
      token: this.token,
      namespace: options.namespace,
    });
  }

  /** Where the kubeconfig was written at start, if it was. */
  get kubeconfigFile(): string | undefined {
    return this.writtenKubeconfig ? this.kubeconfigPath : undefined;
  }

  /** The port the simulator listens on. */
  get port(): number {
    return this.server.listeningPort;
  }

  /** Stops the server, the controllers and every watch. */
  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.controllers.stop();
    this.airflow.stop();
    this.dags.stop();
    this.runs.stop();
    this.stopWatchingNamespaces();
    this.watches.endAll();
    await Promise.all([
      this.dagSync.stop(),
      this.server.close(),
      this.stateWriter?.stop(),
    ]);
    if (this.kubeconfigPath && this.writtenKubeconfig) {
      await removeKubeconfigFile(this.kubeconfigPath, this.writtenKubeconfig);
    }
  }

  private info(): SimulatorInfo {
    return {
      driver: 'simulator',
      title: this.title,
      keda: this.catalog.kedaEnabled,
      kubernetesVersion: SIMULATED_VERSION.gitVersion,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const route = parseRoute(this.catalog, url.pathname);
    const anonymous =
      route.kind === 'version' ||
      route.kind === 'health' ||
      route.kind === 'airflowUi';
    if (!anonymous && req.headers.authorization !== `Bearer ${this.token}`) {
      throw statusErrors.unauthorized();
    }
    if (route.kind === 'airflowUi') {
      // The simulated Airflow behind a simulated Deployment's Airflow URL.
      await this.web.handle(route.namespace, route.path, req, res);
      return;
    }
    if (route.kind === 'control') {
      await handleControlRequest(
        this.control,
        { info: () => this.info(), kubeconfig: () => this.kubeconfig() },
        route.segments,
        req,
        res,
      );
      return;
    }
    const verb = verbOf(route, req, url.searchParams);
    this.stats.count(verb, pathClassOf(route, url.pathname));
    const latency = this.faults.latencyFor(verb);
    if (latency > 0) {
      await sleep(latency);
    }
    if (this.control.isErroring()) {
      throw statusErrors.serviceUnavailable(
        'the simulated API server is unavailable (injected fault)',
      );
    }
    const failure = this.faults.failureFor(verb);
    if (failure) {
      throw failure;
    }
    await this.handler.handle(route, req, res, url.searchParams);
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof StatusError) {
      sendStatusError(res, error);
      return;
    }
    sendJson(
      res,
      500,
      statusErrors.internal(
        error instanceof Error ? error.message : String(error),
      ).status,
    );
  }
}

/**
 * Starts a {@link KubernetesSimulator}, e.g. in a test:
 * `const sim = await startKubernetesSimulator({ podReadyDelayMs: 10 })`.
 *
 * @public
 */
export function startKubernetesSimulator(
  options: KubernetesSimulatorOptions = {},
): Promise<KubernetesSimulator> {
  return KubernetesSimulator.start(options);
}
