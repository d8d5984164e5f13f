/**
 * The simulator's state on disk, so that a simulator run as its own process
 * keeps its objects across its own restarts, as a cluster keeps them in
 * etcd: every stored object, the resource version, and the identity clients
 * were configured with (bearer token and TLS material, so kubeconfigs and
 * backend declarations stay valid).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { ObjectStore, TypedObject } from '../store/ObjectStore';
import { TlsMaterial } from '../tls/certificates';

/** Tag of the file's format; a file with another tag is refused. */
export const STATE_FORMAT = 'astro-simulator-state/v1';

/** What a state file holds. */
export interface SimulatorState {
  format: typeof STATE_FORMAT;
  savedAt: string;
  token: string;
  tls: TlsMaterial;
  resourceVersion: number;
  objects: KubernetesObject[];
}

function isObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a state file; `undefined` when there is none. A file that exists but
 * is not a state file of this format is an error naming the file, never
 * silently replaced.
 */
export async function readStateFile(
  path: string,
): Promise<SimulatorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not a simulator state file (not JSON)`);
  }
  if (!isObjectLike(parsed) || parsed.format !== STATE_FORMAT) {
    throw new Error(
      `${path} is not a simulator state file (format must be "${STATE_FORMAT}")`,
    );
  }
  const { token, tls, resourceVersion, objects } = parsed;
  if (
    typeof token !== 'string' ||
    !isObjectLike(tls) ||
    typeof tls.cert !== 'string' ||
    typeof tls.key !== 'string' ||
    typeof resourceVersion !== 'number' ||
    !Array.isArray(objects)
  ) {
    throw new Error(`${path} is a damaged simulator state file`);
  }
  return parsed as unknown as SimulatorState;
}

/**
 * The typed objects of a state, in the store's terms. An object of a kind
 * the simulator does not know is an error naming it.
 */
export function typedObjectsOf(
  state: SimulatorState,
  catalog: ResourceCatalog,
): TypedObject[] {
  return state.objects.map(object => {
    const resource = catalog.anyByKind(object.apiVersion, object.kind);
    if (!resource) {
      throw new Error(
        `the state file holds ${object.apiVersion} ${object.kind} ${object.metadata.name}, which the simulator does not serve`,
      );
    }
    return { resource, object };
  });
}

/**
 * Keeps a state file up to date with a store: written (to a temporary file,
 * then renamed, so a reader or a crash never sees half a file) at most
 * `delayMs` after a change, and on {@link StateFileWriter.stop}.
 */
export class StateFileWriter {
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  private dirty = false;

  constructor(
    private readonly options: {
      path: string;
      store: ObjectStore;
      identity: { token: string; tls: TlsMaterial };
      delayMs?: number;
      warn: (message: string, error?: unknown) => void;
    },
  ) {}

  /** Starts following the store's changes. */
  start(): void {
    this.unsubscribe = this.options.store.subscribe(() => this.changed());
  }

  /** Writes what is pending and stops following the store. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes the current state now (after a write in progress, if any). */
  async flush(): Promise<void> {
    await this.writing;
    this.writing = this.write().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private changed(): void {
    this.dirty = true;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush().catch(error =>
          this.options.warn(
            `could not write the simulator state to ${this.options.path}`,
            error,
          ),
        );
      }, this.options.delayMs ?? 200);
    }
  }

  private async write(): Promise<void> {
    this.dirty = false;
    const snapshot = this.options.store.snapshot();
    const state: SimulatorState = {
      format: STATE_FORMAT,
      savedAt: new Date().toISOString(),
      token: this.options.identity.token,
      tls: this.options.identity.tls,
      resourceVersion: snapshot.resourceVersion,
      objects: snapshot.objects.map(({ object }) => object),
    };
    const { path } = this.options;
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    // The file holds the bearer token and the TLS key: owner only.
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
    await rename(temporary, path);
  }

  /** Whether changes are waiting to be written. */
  get pending(): boolean {
    return this.dirty;
  }
}
