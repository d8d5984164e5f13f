import { ServerResponse } from 'node:http';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { groupVersionOf, ResourceType, resourceKey } from '../api/resources';
import { StatusError } from '../api/status';
import {
  ObjectStore,
  Selection,
  selectionMatches,
  StoreEvent,
  WatchEventType,
} from '../store/ObjectStore';

/** A watch request, as the routes parsed it. */
export interface WatchRequest {
  type: ResourceType;
  selection: Selection;
  /** Absent or `0`: start with the current objects as `ADDED` events. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
}

/** Strips fields a real list omits; watch events keep apiVersion and kind. */
function eventLine(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}

/**
 * Serves watch streams (one JSON event per line), replaying from the
 * store's history when a resource version is given, with periodic
 * bookmarks, server-side timeouts, and the ability to drop every open
 * watch at once (a fault).
 */
export class WatchHub {
  private readonly active = new Set<ServerResponse>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {}

  /** The number of open watch streams. */
  get size(): number {
    return this.active.size;
  }

  serve(res: ServerResponse, request: WatchRequest): void {
    const { type, selection } = request;
    const key = resourceKey(type);
    let replay: StoreEvent[] = [];
    let initial: KubernetesObject[] = [];
    const from = request.resourceVersion;
    try {
      if (!from || from === '0') {
        initial = this.store.list(type, selection);
      } else {
        replay = this.store.changesSince(type, Number(from));
      }
    } catch (error) {
      if (error instanceof StatusError) {
        // A real API server answers a too old version inside the stream.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(eventLine('ERROR', error.status));
        return;
      }
      throw error;
    }

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    this.active.add(res);

    const send = (eventType: WatchEventType | 'BOOKMARK', object: unknown) => {
      if (!res.writableEnded && !res.destroyed) {
        res.write(eventLine(eventType, object));
      }
    };
    const forward = (event: StoreEvent) => {
      const matches = selectionMatches(selection, event.object);
      if (event.type === 'MODIFIED') {
        const matched = event.previous
          ? selectionMatches(selection, event.previous)
          : matches;
        if (matches && matched) {
          send('MODIFIED', event.object);
        } else if (matches) {
          send('ADDED', event.object);
        } else if (matched) {
          send('DELETED', event.object);
        }
      } else if (matches) {
        send(event.type, event.object);
      }
    };

    for (const object of initial) {
      send('ADDED', object);
    }
    for (const event of replay) {
      forward(event);
    }
    const unsubscribe = this.store.subscribe(event => {
      if (resourceKey(event.resource) === key) {
        forward(event);
      }
    });
    const bookmarks = request.allowBookmarks
      ? setInterval(
          () =>
            send('BOOKMARK', {
              kind: type.kind,
              apiVersion: groupVersionOf(type),
              metadata: { resourceVersion: this.store.resourceVersion },
            }),
          this.bookmarkIntervalMs,
        )
      : undefined;
    bookmarks?.unref?.();
    const timeout =
      request.timeoutSeconds && request.timeoutSeconds > 0
        ? setTimeout(() => res.end(), request.timeoutSeconds * 1000)
        : undefined;
    timeout?.unref?.();

    res.on('close', () => {
      unsubscribe();
      clearInterval(bookmarks);
      clearTimeout(timeout);
      this.active.delete(res);
    });
  }

  /** Drops every open watch abruptly; returns how many were dropped. */
  dropAll(): number {
    const count = this.active.size;
    for (const res of [...this.active]) {
      res.destroy();
    }
    return count;
  }

  /** Ends every open watch cleanly; returns how many were ended. */
  endAll(): number {
    const count = this.active.size;
    for (const res of [...this.active]) {
      res.end();
    }
    return count;
  }
}
