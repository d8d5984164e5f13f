/**
 * The simulated DAG sync: what the `dag-sync` sidecar and the
 * `dag-sync-init` init container of a real pod do, done for every simulated
 * pod that has them, over real HTTP against the backend's bundle endpoints:
 *
 * 1. resolve the container's environment (`ASTRO_BUNDLE_URL`,
 *    `ASTRO_BUNDLE_TOKEN` from its Secret, `ASTRO_POD_NAME`,
 *    `ASTRO_SYNC_INTERVAL_SECONDS`);
 * 2. `GET <url>/current` with the bearer token;
 * 3. when the version differs from the one served, `GET
 *    <url>/versions/<version>`, verify its SHA-256 and unpack it in memory
 *    (refusing what the real script refuses);
 * 4. serve it, and `PUT <url>/pods/<pod>` `{ version }` — or `{ version,
 *    error }` naming the version still served when the switch failed.
 *
 * One timer drives all pods. Nothing is written to the pods: their UIDs,
 * resource versions and restart counts do not move because of a sync. The
 * served bundle lives as long as the pod (like the `dags` emptyDir): a new
 * pod, even with the same name, starts empty.
 */
import { createHash } from 'node:crypto';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { podPhase } from '../controllers/context';
import { RequestStats } from '../stats/RequestStats';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { arr, at, isRecord, labelsOf, str } from '../store/objects';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import {
  BundleArchiveError,
  BundleContents,
  DEFAULT_MAX_BUNDLE_BYTES,
  readBundleArchive,
  visibleFiles,
} from './bundleArchive';
import { podContainer, resolveContainerEnv } from './containerEnv';

const POD = ResourceCatalog.kind('Pod');

/** The names of the DAG sync containers (a contract with the renderer). */
export const DAG_SYNC_CONTAINER = 'dag-sync';
export const DAG_SYNC_INIT_CONTAINER = 'dag-sync-init';

/** Interval when `ASTRO_SYNC_INTERVAL_SECONDS` is absent or invalid. */
const DEFAULT_INTERVAL_SECONDS = 30;
/** How many pods sync at once. */
const CONCURRENCY = 16;
const VERSION = /^sha256:[0-9a-f]{64}$/;
const MAX_ERROR_LENGTH = 2000;

/**
 * Options of the simulated DAG sync.
 *
 * @public
 */
export interface DagSyncOptions {
  /** Whether simulated pods sync their DAG bundles. Default `true`. */
  enabled?: boolean;
  /**
   * The shortest interval between two syncs of one pod, whatever its
   * `ASTRO_SYNC_INTERVAL_SECONDS` says. Default 1000.
   */
  minIntervalMs?: number;
  /**
   * Replaces every pod's `ASTRO_SYNC_INTERVAL_SECONDS` (still at least
   * `minIntervalMs`), e.g. to sync fast in tests and benchmarks.
   */
  intervalMs?: number;
  /** Timeout of each bundle request. Default 30000. */
  requestTimeoutMs?: number;
  /** Largest bundle accepted (compressed and uncompressed). Default 256 MiB. */
  maxBundleBytes?: number;
}

/** A bundle a simulated pod serves. */
export interface ServedBundle {
  version: string;
  deployId: string | null;
  /** The files Airflow sees (symbolic links to files followed), sorted by path. */
  files: Map<string, Buffer>;
  contents: BundleContents;
  /** When the pod switched to it. */
  servedSince: Date;
}

/**
 * The DAG sync state of one simulated pod, as the control API shows it.
 *
 * @public
 */
export interface PodDagSyncStatus {
  namespace: string;
  pod: string;
  uid: string;
  /** The pod's `app.kubernetes.io/component` label. */
  component: string | null;
  /** `sidecar` polls; `init` (an init container only) syncs once. */
  mode: 'sidecar' | 'init';
  /** The bundle base URL the pod uses (`ASTRO_BUNDLE_URL`). */
  url: string | null;
  /** Effective interval between polls, in milliseconds. */
  intervalMs: number;
  /** The version the pod serves, `null` while it serves none. */
  version: string | null;
  deployId: string | null;
  /** Number of files it serves. */
  files: number;
  /** When it switched to the served version. */
  servedSince: string | null;
  /** Completed sync runs (each asks for the current bundle once). */
  syncs: number;
  /** Bundles downloaded. */
  downloads: number;
  /** Times it switched to another version. */
  switches: number;
  /** `PUT …/pods/<pod>` requests sent (successful or not). */
  reports: number;
  /** Sync runs that ended with an error. */
  errors: number;
  lastSyncAt: string | null;
  /** The error of the latest sync run, `null` when it succeeded. */
  lastError: string | null;
}

interface PodState {
  namespace: string;
  name: string;
  uid: string;
  mode: 'sidecar' | 'init';
  component: string | null;
  url: string | null;
  intervalMs: number;
  served?: ServedBundle;
  dueAt: number;
  running?: Promise<void>;
  /** Whether the served state still has to be reported. */
  reportPending: boolean;
  /** Whether the init run (first sync) happened. */
  initialized: boolean;
  syncs: number;
  downloads: number;
  switches: number;
  reports: number;
  errors: number;
  lastSyncAt?: Date;
  lastError?: string;
  lastLoggedError?: string;
}

class SyncError extends Error {}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH
    ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`
    : text;
}

function syncMode(pod: KubernetesObject): 'sidecar' | 'init' | undefined {
  if (podContainer(pod, DAG_SYNC_CONTAINER, 'containers')) {
    return 'sidecar';
  }
  if (podContainer(pod, DAG_SYNC_INIT_CONTAINER, 'initContainers')) {
    return 'init';
  }
  return undefined;
}

/**
 * Whether the pod's DAG sync runs now: the pod is running and, for a
 * sidecar, its `dag-sync` container is running (not crash-looping).
 */
function isSyncing(pod: KubernetesObject, mode: 'sidecar' | 'init'): boolean {
  if (podPhase(pod) !== 'Running') {
    return false;
  }
  if (mode === 'init') {
    return true;
  }
  const status = arr(at(pod, 'status', 'containerStatuses'))
    .filter(isRecord)
    .find(container => container.name === DAG_SYNC_CONTAINER);
  return status === undefined || isRecord(at(status, 'state', 'running'));
}

/** A short reason from an error answer of the backend (never a header). */
async function answerDetail(response: Response): Promise<string> {
  try {
    const text = (await response.text()).slice(0, 500);
    try {
      const body: unknown = JSON.parse(text);
      const message =
        str(at(body, 'error', 'message')) ??
        str(at(body, 'message')) ??
        str(at(body, 'detail'));
      if (message) {
        return `: ${message}`;
      }
    } catch {
      // not JSON
    }
    return text.trim() ? `: ${text.trim().slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail =
      cause instanceof Error && cause.message ? ` (${cause.message})` : '';
    return `${error.message}${detail}`;
  }
  return String(error);
}

/** Runs the DAG sync of all simulated pods. */
export class DagSync {
  private readonly pods = new Map<string, PodState>();
  private readonly abort = new AbortController();
  private readonly unsubscribe: () => void;
  private readonly minIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxBundleBytes: number;
  private timer?: NodeJS.Timeout;
  private timerDueAt = Infinity;
  /** Sync runs under way. */
  private running = 0;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: ObjectStore;
      stats: RequestStats;
      options: DagSyncOptions;
      warn: (message: string) => void;
    },
  ) {
    const { options } = deps;
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 1000);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.maxBundleBytes = options.maxBundleBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
    this.unsubscribe =
      options.enabled === false
        ? () => undefined
        : deps.store.subscribe(event => this.observe(event));
  }

  /** Stops the timer and the requests under way. */
  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled(
      [...this.pods.values()].map(state => state.running),
    );
    this.pods.clear();
  }

  /** Forgets every pod's state (the simulator was reset). */
  reset(): void {
    this.pods.clear();
    this.arm();
  }

  /** The state of the pods with a DAG sync, optionally of one namespace. */
  statuses(namespace?: string): PodDagSyncStatus[] {
    return [...this.pods.values()]
      .filter(state => namespace === undefined || state.namespace === namespace)
      .sort((a, b) =>
        key(a.namespace, a.name).localeCompare(key(b.namespace, b.name)),
      )
      .map(state => this.status(state));
  }

  /** The state of one pod, `undefined` when it has no DAG sync. */
  podStatus(namespace: string, pod: string): PodDagSyncStatus | undefined {
    const state = this.pods.get(key(namespace, pod));
    return state ? this.status(state) : undefined;
  }

  /** The bundle a pod serves now. */
  servedBundle(namespace: string, pod: string): ServedBundle | undefined {
    return this.pods.get(key(namespace, pod))?.served;
  }

  /**
   * Syncs every syncing pod now (sidecars and init containers that have
   * not run yet) and resolves when done; returns how many pods synced.
   */
  async syncNow(): Promise<number> {
    const runs: Array<Promise<void>> = [];
    for (const state of this.pods.values()) {
      if (state.mode === 'init' && state.initialized) {
        continue;
      }
      const pod = this.currentPod(state);
      if (!pod || !isSyncing(pod, state.mode)) {
        continue;
      }
      runs.push(this.run(state));
    }
    await Promise.all(runs);
    return runs.length;
  }

  private status(state: PodState): PodDagSyncStatus {
    const iso = (date?: Date) => (date ? date.toISOString() : null);
    return {
      namespace: state.namespace,
      pod: state.name,
      uid: state.uid,
      component: state.component,
      mode: state.mode,
      url: state.url,
      intervalMs: state.intervalMs,
      version: state.served?.version ?? null,
      deployId: state.served?.deployId ?? null,
      files: state.served?.files.size ?? 0,
      servedSince: iso(state.served?.servedSince),
      syncs: state.syncs,
      downloads: state.downloads,
      switches: state.switches,
      reports: state.reports,
      errors: state.errors,
      lastSyncAt: iso(state.lastSyncAt),
      lastError: state.lastError ?? null,
    };
  }

  private observe(event: StoreEvent): void {
    if (event.resource.kind !== 'Pod' || this.stopped) {
      return;
    }
    const pod = event.object;
    const podKey = key(pod.metadata.namespace ?? '', pod.metadata.name);
    if (event.type === 'DELETED') {
      const state = this.pods.get(podKey);
      if (state && state.uid === pod.metadata.uid) {
        this.pods.delete(podKey);
      }
      return;
    }
    const mode = syncMode(pod);
    let state = this.pods.get(podKey);
    if (!mode) {
      if (state) {
        this.pods.delete(podKey);
      }
      return;
    }
    if (!state || state.uid !== pod.metadata.uid) {
      // A new pod starts with an empty DAGs folder.
      state = {
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name,
        uid: pod.metadata.uid ?? '',
        mode,
        component: labelsOf(pod)[ASTRO_LABELS.component] ?? null,
        url: null,
        intervalMs: this.intervalOf(undefined),
        dueAt: Infinity,
        reportPending: true,
        initialized: false,
        syncs: 0,
        downloads: 0,
        switches: 0,
        reports: 0,
        errors: 0,
      };
      this.pods.set(podKey, state);
    }
    // A pod that started (or whose sidecar is back from a crash) syncs at
    // once; an init container runs once per pod.
    if (
      state.dueAt === Infinity &&
      !state.running &&
      (state.mode === 'sidecar' || !state.initialized) &&
      isSyncing(pod, state.mode)
    ) {
      state.dueAt = Date.now();
      this.arm();
    }
  }

  private intervalOf(seconds: string | undefined): number {
    const { intervalMs } = this.deps.options;
    if (intervalMs !== undefined) {
      return Math.max(this.minIntervalMs, intervalMs);
    }
    const parsed = seconds === undefined ? NaN : Number(seconds);
    const value =
      Number.isFinite(parsed) && parsed >= 0
        ? parsed
        : DEFAULT_INTERVAL_SECONDS;
    return Math.max(this.minIntervalMs, value * 1000);
  }

  /**
   * Sets the one timer to the earliest due pod; while as many pods sync as
   * may at once, the next run to finish arms it.
   */
  private arm(): void {
    if (this.stopped) {
      return;
    }
    let next = Infinity;
    for (const state of this.pods.values()) {
      if (this.running < CONCURRENCY && !state.running && state.dueAt < next) {
        next = state.dueAt;
      }
    }
    if (next === this.timerDueAt) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = next;
    if (next === Infinity) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Infinity;
      this.tick();
    }, Math.max(0, next - Date.now()));
    this.timer.unref?.();
  }

  private tick(): void {
    const now = Date.now();
    const due = [...this.pods.values()]
      .filter(state => !state.running && state.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const state of due) {
      if (this.running >= CONCURRENCY) {
        break;
      }
      const pod = this.currentPod(state);
      if (!pod) {
        this.pods.delete(key(state.namespace, state.name));
        continue;
      }
      if (!isSyncing(pod, state.mode)) {
        // Not running now; the pod's next change wakes it up again.
        state.dueAt = Infinity;
        continue;
      }
      this.run(state).catch(() => undefined);
    }
    this.arm();
  }

  private currentPod(state: PodState): KubernetesObject | undefined {
    const pod = this.deps.store.get(POD, state.namespace, state.name);
    return pod && pod.metadata.uid === state.uid ? pod : undefined;
  }

  /** One sync run of a pod; never rejects. */
  private run(state: PodState): Promise<void> {
    if (state.running) {
      return state.running;
    }
    const run = this.sync(state)
      .then(
        () => {
          state.lastError = undefined;
          state.lastLoggedError = undefined;
        },
        error => {
          if (this.stopped) {
            return;
          }
          state.errors++;
          state.lastError = truncate(errorText(error));
          if (state.lastLoggedError !== state.lastError) {
            state.lastLoggedError = state.lastError;
            this.deps.warn(
              `simulated DAG sync of pod ${state.namespace}/${state.name} failed: ${state.lastError}`,
            );
          }
        },
      )
      .finally(() => {
        this.running--;
        state.running = undefined;
        state.syncs++;
        state.lastSyncAt = new Date();
        state.initialized = true;
        state.dueAt =
          state.mode === 'sidecar' ? Date.now() + state.intervalMs : Infinity;
        this.arm();
      });
    this.running++;
    state.running = run;
    this.arm();
    return run;
  }

  private async sync(state: PodState): Promise<void> {
    const pod = this.currentPod(state);
    if (!pod) {
      return;
    }
    const container =
      podContainer(pod, DAG_SYNC_CONTAINER, 'containers') ??
      podContainer(pod, DAG_SYNC_INIT_CONTAINER, 'initContainers');
    if (!container) {
      return;
    }
    const env = resolveContainerEnv(this.deps.store, pod, container);
    state.intervalMs = this.intervalOf(env.values.ASTRO_SYNC_INTERVAL_SECONDS);
    if (env.errors.length > 0) {
      throw new SyncError(
        `CreateContainerConfigError: ${env.errors.join('; ')}`,
      );
    }
    const base = env.values.ASTRO_BUNDLE_URL?.replace(/\/+$/, '');
    if (!base) {
      throw new SyncError('ASTRO_BUNDLE_URL is not set');
    }
    state.url = base;
    const token = env.values.ASTRO_BUNDLE_TOKEN;
    const podName = env.values.ASTRO_POD_NAME || pod.metadata.name;
    const headers: Record<string, string> = token
      ? { Authorization: `Bearer ${token}` }
      : {};

    const current = await this.request(
      'current',
      `${base}/current`,
      { headers },
      'GET /current',
    );
    if (current.status === 404) {
      // No bundle yet: nothing to serve, nothing to report.
      await current.body?.cancel();
      return;
    }
    if (!current.ok) {
      const failure = `GET /current answered ${
        current.status
      }${await answerDetail(current)}`;
      await this.reportFailure(state, base, podName, headers, failure);
      throw new SyncError(failure);
    }
    const ref: unknown = await current.json().catch(() => undefined);
    const version = str(at(ref, 'version'));
    if (!version || !VERSION.test(version)) {
      const failure = 'GET /current answered no valid version';
      await this.reportFailure(state, base, podName, headers, failure);
      throw new SyncError(failure);
    }
    if (state.served?.version === version) {
      if (state.reportPending) {
        await this.report(state, base, podName, headers, { version });
      }
      return;
    }

    let bundle: ServedBundle;
    try {
      bundle = await this.download(state, base, headers, version, ref);
    } catch (error) {
      const failure = errorText(error);
      await this.reportFailure(state, base, podName, headers, failure);
      throw error;
    }
    if (this.currentPod(state) === undefined || this.stopped) {
      return;
    }
    state.served = bundle;
    state.switches++;
    state.reportPending = true;
    await this.report(state, base, podName, headers, { version });
  }

  private async download(
    state: PodState,
    base: string,
    headers: Record<string, string>,
    version: string,
    ref: unknown,
  ): Promise<ServedBundle> {
    const answer = await this.request(
      'download',
      `${base}/versions/${version}`,
      { headers },
      `GET /versions/${version}`,
    );
    if (!answer.ok) {
      throw new SyncError(
        `GET /versions/${version} answered ${answer.status}${await answerDetail(
          answer,
        )}`,
      );
    }
    const declared = Number(answer.headers.get('content-length') ?? '0');
    if (declared > this.maxBundleBytes) {
      await answer.body?.cancel();
      throw new SyncError(
        `the bundle is larger than ${this.maxBundleBytes} bytes`,
      );
    }
    const bytes = new Uint8Array(await answer.arrayBuffer());
    state.downloads++;
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (actual !== version) {
      throw new SyncError(
        `checksum mismatch: expected ${version}, got ${actual}`,
      );
    }
    let contents: BundleContents;
    try {
      contents = readBundleArchive(bytes, { maxBytes: this.maxBundleBytes });
    } catch (error) {
      if (error instanceof BundleArchiveError) {
        throw new SyncError(`refused bundle ${version}: ${error.message}`);
      }
      throw error;
    }
    return {
      version,
      deployId: str(at(ref, 'deployId')) ?? null,
      files: visibleFiles(contents),
      contents,
      servedSince: new Date(),
    };
  }

  /** Reports the version still served, with why the switch failed. */
  private async reportFailure(
    state: PodState,
    base: string,
    podName: string,
    headers: Record<string, string>,
    error: string,
  ): Promise<void> {
    // The report names the version the pod serves; a pod serving nothing
    // has nothing to report (the backend's timeout covers it).
    if (!state.served) {
      return;
    }
    state.reportPending = true;
    await this.report(state, base, podName, headers, {
      version: state.served.version,
      error: truncate(error),
    }).catch(() => undefined);
  }

  private async report(
    state: PodState,
    base: string,
    podName: string,
    headers: Record<string, string>,
    body: { version: string; error?: string },
  ): Promise<void> {
    state.reports++;
    const answer = await this.request(
      'report',
      `${base}/pods/${encodeURIComponent(podName)}`,
      {
        method: 'PUT',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
      `PUT /pods/${podName}`,
    );
    if (!answer.ok) {
      throw new SyncError(
        `PUT /pods/${podName} answered ${answer.status}${await answerDetail(
          answer,
        )}`,
      );
    }
    await answer.body?.cancel();
    if (body.error === undefined) {
      state.reportPending = false;
    }
  }

  private async request(
    kind: 'current' | 'download' | 'report',
    url: string,
    init: RequestInit,
    what: string,
  ): Promise<Response> {
    if (this.stopped) {
      throw new SyncError('the simulator stopped');
    }
    const signal = AbortSignal.any([
      this.abort.signal,
      AbortSignal.timeout(this.requestTimeoutMs),
    ]);
    try {
      const response = await fetch(url, { ...init, signal, redirect: 'error' });
      this.deps.stats.countDagSync(
        kind,
        !response.ok && response.status !== 404,
      );
      return response;
    } catch (error) {
      this.deps.stats.countDagSync(kind, true);
      throw new SyncError(`${what} failed: ${errorText(error)}`);
    }
  }
}
