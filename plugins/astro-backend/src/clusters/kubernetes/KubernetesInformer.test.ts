import {
  KubernetesObject,
  ObjectList,
} from '@airflow-portal/plugin-astro-node';
import { InformerSource, KubernetesInformer } from './KubernetesInformer';
import { WatchEvent } from './KubernetesTransport';

const object = (name: string, rv: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

/** A source whose lists and watches the test scripts. */
function scriptedSource(lists: Array<ObjectList | Error>) {
  const calls = { list: 0, watch: 0 };
  let emit: ((event: WatchEvent) => void) | undefined;
  let end: ((error?: unknown) => void) | undefined;
  const source: InformerSource = {
    describe: action => `${action} configmaps`,
    async list() {
      const next = lists[Math.min(calls.list, lists.length - 1)];
      calls.list++;
      if (next instanceof Error) {
        throw next;
      }
      return next;
    },
    async watch(_rv, onEvent, onDone) {
      calls.watch++;
      emit = onEvent;
      end = onDone;
      return () => {};
    },
  };
  return {
    source,
    calls,
    emit: (event: WatchEvent) => emit?.(event),
    end: (error?: unknown) => end?.(error),
  };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

const options = { backoff: { initialMs: 10, maxMs: 40 }, idleTimeoutMs: 5000 };

describe('KubernetesInformer', () => {
  it('retries a failing first list with backoff, reporting each failure', async () => {
    const { source, calls } = scriptedSource([
      new Error('down'),
      new Error('still down'),
      { items: [object('a', '1')], resourceVersion: '1' },
    ]);
    const informer = new KubernetesInformer(source, options);
    const errors: string[] = [];
    informer.on('error', e => errors.push(e.message));
    await informer.start();
    expect(errors).toEqual(['down', 'still down']);
    expect(calls.list).toBe(3);
    expect(informer.list()).toEqual([object('a', '1')]);
    informer.stop();
  });

  it('re-lists after a watch error and reports the differences', async () => {
    const scripted = scriptedSource([
      { items: [object('a', '1'), object('b', '1')], resourceVersion: '1' },
      { items: [object('a', '2'), object('c', '3')], resourceVersion: '3' },
    ]);
    const informer = new KubernetesInformer(scripted.source, options);
    const seen: string[] = [];
    informer.on('add', o => seen.push(`add ${o.metadata.name}`));
    informer.on('update', o => seen.push(`update ${o.metadata.name}`));
    informer.on('delete', o => seen.push(`delete ${o.metadata.name}`));
    await informer.start();
    await until(() => scripted.calls.watch === 1);
    scripted.end(
      Object.assign(new Error('Premature close'), {
        code: 'ERR_STREAM_PREMATURE_CLOSE',
      }),
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(seen).toEqual(['add a', 'add b', 'update a', 'add c', 'delete b']);
    informer.stop();
  });

  it('restarts an idle watch from a fresh list without reporting an error', async () => {
    const scripted = scriptedSource([{ items: [], resourceVersion: '1' }]);
    const informer = new KubernetesInformer(scripted.source, {
      ...options,
      idleTimeoutMs: 30,
    });
    const errors: Error[] = [];
    informer.on('error', e => errors.push(e));
    await informer.start();
    await new Promise(resolve => setTimeout(resolve, 100));
    informer.stop();
    expect(scripted.calls.list).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('follows bookmarks and answers a 410 in the stream with a new list', async () => {
    const scripted = scriptedSource([{ items: [], resourceVersion: '1' }]);
    const informer = new KubernetesInformer(scripted.source, options);
    let synced = 0;
    informer.on('synced', () => synced++);
    await informer.start();
    await until(() => scripted.calls.watch === 1);
    scripted.emit({
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: '7' } },
    });
    scripted.emit({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, message: 'too old' },
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(synced).toBe(2);
    informer.stop();
  });

  it('resolves start and stops retrying when stopped during a backoff', async () => {
    const { source, calls } = scriptedSource([new Error('down')]);
    const informer = new KubernetesInformer(source, {
      ...options,
      backoff: { initialMs: 10_000, maxMs: 10_000 },
    });
    const started = informer.start();
    await new Promise(resolve => setTimeout(resolve, 20));
    informer.stop();
    await expect(started).resolves.toBeUndefined();
    expect(calls.list).toBe(1);
  });

  describe('recover', () => {
    /** Backoff long enough that only `recover` can end it within a test. */
    const slow = { ...options, backoff: { initialMs: 60_000, maxMs: 60_000 } };

    it('resolves at once while the watch is open, listing nothing', async () => {
      const scripted = scriptedSource([{ items: [], resourceVersion: '1' }]);
      const informer = new KubernetesInformer(scripted.source, slow);
      await informer.start();
      await until(() => scripted.calls.watch === 1);
      await informer.recover();
      expect(scripted.calls).toEqual({ list: 1, watch: 1 });
      informer.stop();
    });

    it('lists again at once after a failed watch instead of after its backoff', async () => {
      const scripted = scriptedSource([
        { items: [object('a', '1')], resourceVersion: '1' },
        { items: [object('a', '5'), object('b', '5')], resourceVersion: '5' },
      ]);
      const informer = new KubernetesInformer(scripted.source, slow);
      const errors: string[] = [];
      informer.on('error', e => errors.push(e.message));
      await informer.start();
      await until(() => scripted.calls.watch === 1);
      scripted.end(new Error('connection refused'));
      await until(() => errors.length === 1);
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(scripted.calls.list).toBe(1);

      const started = Date.now();
      await informer.recover();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(scripted.calls.list).toBe(2);
      expect(informer.list().map(o => o.metadata.resourceVersion)).toEqual([
        '5',
        '5',
      ]);
      await until(() => scripted.calls.watch === 2);
      informer.stop();
    });

    it('rejects with the failure of the list it asked for, and a later call lists again', async () => {
      const scripted = scriptedSource([
        { items: [], resourceVersion: '1' },
        new Error('still refused'),
        { items: [object('a', '9')], resourceVersion: '9' },
      ]);
      const informer = new KubernetesInformer(scripted.source, slow);
      await informer.start();
      await until(() => scripted.calls.watch === 1);
      scripted.end(new Error('connection refused'));
      await new Promise(resolve => setTimeout(resolve, 20));

      await expect(informer.recover()).rejects.toThrow('still refused');
      await informer.recover();
      expect(scripted.calls.list).toBe(3);
      expect(informer.list()).toEqual([object('a', '9')]);
      informer.stop();
    });

    it('resolves a pending call when stopped during the list it asked for', async () => {
      let lists = 0;
      const source: InformerSource = {
        describe: action => `${action} configmaps`,
        list: () =>
          ++lists === 1
            ? Promise.reject(new Error('down'))
            : new Promise<ObjectList>(() => {}),
        watch: async () => () => {},
      };
      const informer = new KubernetesInformer(source, slow);
      void informer.start();
      await new Promise(resolve => setTimeout(resolve, 20));
      const recovering = informer.recover();
      await until(() => lists === 2);
      informer.stop();
      await expect(recovering).resolves.toBeUndefined();
    });
  });
});
