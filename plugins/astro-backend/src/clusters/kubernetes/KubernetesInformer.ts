import {
  ClusterError,
  ClusterInformer,
  KubernetesObject,
  ObjectList,
} from '@airflow-portal/plugin-astro-node';
import { BackoffOptions, backoffDelay } from '../../lib/backoff';
import { errorFromException, reasonForStatus } from './errors';
import { WatchEvent } from './KubernetesTransport';

/** What an informer needs from its client. */
export interface InformerSource {
  /** Describes an action on the watched type in error messages. */
  describe(action: 'list' | 'watch'): string;
  list(): Promise<ObjectList>;
  /** Opens a watch from a resource version; resolves to its closer. */
  watch(
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: unknown) => void,
  ): Promise<() => void>;
}

type ObjectListener = (object: KubernetesObject) => void;
type ErrorListener = (error: Error) => void;
type SyncedListener = () => void;

/** How one watch ended. */
type WatchOutcome = 'closed' | 'gone' | 'idle' | 'stopped';

/** A watch that ended sooner than this counts as a failed attempt. */
const MIN_HEALTHY_WATCH_MS = 1000;

function keyOf(object: KubernetesObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function isObject(value: unknown): value is KubernetesObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    'metadata' in value &&
    typeof value.metadata === 'object' &&
    value.metadata !== null
  );
}

function resourceVersionOf(value: unknown): string | undefined {
  if (isObject(value) && typeof value.metadata.resourceVersion === 'string') {
    return value.metadata.resourceVersion;
  }
  return undefined;
}

/**
 * A list-then-watch cache of one type of object. A watch closed by the
 * server is resumed from the last resource version; a failed one (an HTTP
 * error, a dropped connection, an idle stream, `410 Gone`) is followed by
 * a fresh list and a new watch, after an exponential backoff for errors.
 * Listeners see `add`/`update`/`delete` for every difference, also those
 * found by a re-list, and `error` for each failure. Stopping is not an
 * error.
 */
export class KubernetesInformer implements ClusterInformer {
  private readonly cache = new Map<string, KubernetesObject>();
  private readonly listeners = {
    add: new Set<ObjectListener>(),
    update: new Set<ObjectListener>(),
    delete: new Set<ObjectListener>(),
    error: new Set<ErrorListener>(),
    synced: new Set<SyncedListener>(),
  };
  private resourceVersion = '';
  private attempt = 0;
  private stopped = false;
  private starting?: Promise<void>;
  private resolveStart?: () => void;
  private interrupt?: () => void;
  /** Its last list or watch failed: it waits out a backoff or lists again. */
  private failed = false;
  /** Ends a backoff early (see {@link KubernetesInformer.recover}). */
  private wake?: () => void;
  /** Callers of `recover` waiting for the next list or failure. */
  private recovering: Array<{
    resolve: () => void;
    reject: (error: Error) => void;
  }> = [];

  constructor(
    private readonly source: InformerSource,
    private readonly options: {
      backoff: BackoffOptions;
      /** A watch with no event (not even a bookmark) for this long is restarted. */
      idleTimeoutMs: number;
      /** Called when the informer stops, e.g. to forget it. */
      onStop?: () => void;
      /** Applied to every object before it is cached (see `ClusterClient.informer`). */
      transform?: (object: KubernetesObject) => KubernetesObject;
    },
  ) {}

  start(): Promise<void> {
    if (!this.starting) {
      this.starting = new Promise(resolve => {
        this.resolveStart = resolve;
      });
      this.run().catch(error => this.emitError(error));
    }
    return this.starting;
  }

  stop(): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.interrupt?.();
    this.resolveStart?.();
    this.settleRecovering();
    this.options.onStop?.();
  }

  /**
   * Lists again now when the last list or watch failed, instead of after
   * the rest of its backoff; resolves once the cache holds that list and
   * rejects with the failure when it fails. Resolves at once when nothing
   * failed since the last list (its watch is open or resumes by itself).
   */
  recover(): Promise<void> {
    if (this.stopped || !this.failed) {
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve, reject) => {
      this.recovering.push({ resolve, reject });
    });
    this.wake?.();
    return done;
  }

  /** Answers the callers of `recover`: resolved, or rejected with a failure. */
  private settleRecovering(error?: Error) {
    for (const waiter of this.recovering.splice(0)) {
      if (error) {
        waiter.reject(error);
      } else {
        waiter.resolve();
      }
    }
  }

  list(): KubernetesObject[] {
    return [...this.cache.values()];
  }

  on(event: 'add' | 'update' | 'delete', listener: ObjectListener): () => void;
  on(event: 'error', listener: ErrorListener): () => void;
  on(event: 'synced', listener: SyncedListener): () => void;
  on(
    event: 'add' | 'update' | 'delete' | 'error' | 'synced',
    listener: ObjectListener | ErrorListener | SyncedListener,
  ): () => void {
    const set: Set<typeof listener> = this.listeners[event];
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) {
          await this.relist();
        }
        const startedAt = Date.now();
        const outcome = await this.watchOnce();
        if (outcome === 'stopped') {
          return;
        }
        if (outcome === 'closed') {
          if (Date.now() - startedAt < MIN_HEALTHY_WATCH_MS) {
            await this.pause();
          }
        } else {
          // `410 Gone` or a stalled stream: start over from a fresh list.
          this.resourceVersion = '';
          if (
            outcome === 'gone' &&
            Date.now() - startedAt < MIN_HEALTHY_WATCH_MS
          ) {
            await this.pause();
          }
        }
      } catch (error) {
        if (this.stopped) {
          return;
        }
        this.failed = true;
        this.settleRecovering(this.emitError(error));
        this.resourceVersion = '';
        await this.pause();
      }
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.source.list();
    if (this.stopped) {
      return;
    }
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      this.upsert(key, item);
    }
    for (const [key, object] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', object);
      }
    }
    this.resourceVersion = resourceVersion;
    this.attempt = 0;
    this.failed = false;
    for (const listener of [...this.listeners.synced]) {
      listener();
    }
    this.resolveStart?.();
    this.settleRecovering();
  }

  private upsert(key: string, received: KubernetesObject): void {
    const object = this.options.transform
      ? this.options.transform(received)
      : received;
    const existing = this.cache.get(key);
    this.cache.set(key, object);
    if (!existing) {
      this.emit('add', object);
    } else if (
      existing.metadata.resourceVersion !== object.metadata.resourceVersion
    ) {
      this.emit('update', object);
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve, reject) => {
      if (this.stopped) {
        resolve('stopped');
        return;
      }
      let settled = false;
      let close: (() => void) | undefined;
      let idle: NodeJS.Timeout | undefined;
      const finish = (settle: () => void) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(idle);
        this.interrupt = undefined;
        close?.();
        settle();
      };
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(
          () => finish(() => resolve('idle')),
          this.options.idleTimeoutMs,
        );
        idle.unref?.();
      };
      this.interrupt = () => finish(() => resolve('stopped'));
      arm();
      const onEvent = (event: WatchEvent) => {
        if (settled) {
          return;
        }
        arm();
        const failure = this.apply(event);
        if (failure === 'gone') {
          finish(() => resolve('gone'));
        } else if (failure) {
          finish(() => reject(failure));
        }
      };
      const onDone = (error?: unknown) => {
        if (
          error !== undefined &&
          typeof error === 'object' &&
          error !== null &&
          'statusCode' in error &&
          error.statusCode === 410
        ) {
          finish(() => resolve('gone'));
        } else if (error !== undefined) {
          finish(() =>
            reject(errorFromException(this.source.describe('watch'), error)),
          );
        } else {
          finish(() => resolve('closed'));
        }
      };
      this.source.watch(this.resourceVersion, onEvent, onDone).then(
        closer => {
          close = closer;
          if (settled) {
            closer();
          }
        },
        error =>
          finish(() =>
            reject(errorFromException(this.source.describe('watch'), error)),
          ),
      );
    });
  }

  /** Applies one watch event; returns why the watch must end, if it must. */
  private apply(event: WatchEvent): 'gone' | ClusterError | undefined {
    const { type, object } = event;
    if (type === 'ERROR') {
      const status =
        typeof object === 'object' && object !== null ? { ...object } : {};
      const code =
        'code' in status && typeof status.code === 'number' ? status.code : 500;
      if (code === 410) {
        return 'gone';
      }
      const message =
        'message' in status && typeof status.message === 'string'
          ? status.message
          : 'watch error';
      return new ClusterError(
        reasonForStatus(code, message),
        `${this.source.describe('watch')}: ${message}`,
        code,
      );
    }
    const resourceVersion = resourceVersionOf(object);
    if (type === 'BOOKMARK') {
      if (resourceVersion) {
        this.resourceVersion = resourceVersion;
      }
      return undefined;
    }
    if (!isObject(object)) {
      return undefined;
    }
    const key = keyOf(object);
    if (type === 'ADDED' || type === 'MODIFIED') {
      this.upsert(key, object);
    } else if (type === 'DELETED') {
      const existing = this.cache.get(key);
      this.cache.delete(key);
      if (existing) {
        this.emit('delete', object);
      }
    }
    if (resourceVersion) {
      this.resourceVersion = resourceVersion;
    }
    return undefined;
  }

  private pause(): Promise<void> {
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.options.backoff);
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const end = () => {
        clearTimeout(timer);
        this.interrupt = undefined;
        this.wake = undefined;
        resolve();
      };
      timer = setTimeout(end, delay);
      timer.unref?.();
      this.interrupt = end;
      this.wake = end;
    });
  }

  private emit(
    event: 'add' | 'update' | 'delete',
    object: KubernetesObject,
  ): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        listener(object);
      } catch {
        // A failing listener must not break the informer.
      }
    }
  }

  private emitError(error: unknown): Error {
    const mapped =
      error instanceof Error
        ? error
        : new ClusterError(
            'Unknown',
            `${this.source.describe('watch')}: ${String(error)}`,
          );
    for (const listener of [...this.listeners.error]) {
      try {
        listener(mapped);
      } catch {
        // A failing listener must not break the informer.
      }
    }
    return mapped;
  }
}
