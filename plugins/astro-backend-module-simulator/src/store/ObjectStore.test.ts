import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { StatusError } from '../api/status';
import { ObjectStore, StoreEvent } from './ObjectStore';

const CONFIG_MAP = ResourceCatalog.kind('ConfigMap');
const DEPLOYMENT = ResourceCatalog.kind('Deployment');

const configMap = (
  name: string,
  data: Record<string, string>,
): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns' },
  data,
});

describe('ObjectStore', () => {
  it('gives every write a new, increasing resource version', () => {
    const store = new ObjectStore();
    const a = store.create(CONFIG_MAP, configMap('a', { x: '1' }));
    const b = store.create(CONFIG_MAP, configMap('b', { x: '1' }));
    const a2 = store.update(CONFIG_MAP, { ...a, data: { x: '2' } });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(
      Number(a.metadata.resourceVersion),
    );
    expect(Number(a2.metadata.resourceVersion)).toBeGreaterThan(
      Number(b.metadata.resourceVersion),
    );
    expect(a2.metadata.uid).toBe(a.metadata.uid);
    expect(store.resourceVersion).toBe(a2.metadata.resourceVersion);
  });

  it('does not write an update that changes nothing', () => {
    const store = new ObjectStore();
    const events: StoreEvent[] = [];
    store.subscribe(event => events.push(event));
    const a = store.create(CONFIG_MAP, configMap('a', { x: '1' }));
    const same = store.update(CONFIG_MAP, { ...a, data: { x: '1' } });
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    expect(events.map(e => e.type)).toEqual(['ADDED']);
  });

  it('moves the generation only when the spec changes', () => {
    const store = new ObjectStore();
    const d = store.create(DEPLOYMENT, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns' },
      spec: { replicas: 1 },
    });
    const labelled = store.update(DEPLOYMENT, {
      ...d,
      metadata: { ...d.metadata, labels: { a: 'b' } },
    });
    const scaled = store.update(DEPLOYMENT, {
      ...labelled,
      spec: { replicas: 2 },
    });
    expect([d, labelled, scaled].map(o => o.metadata.generation)).toEqual([
      1, 1, 2,
    ]);
  });

  it('refuses a second object of the same name with AlreadyExists', () => {
    const store = new ObjectStore();
    store.create(CONFIG_MAP, configMap('a', {}));
    expect(() => store.create(CONFIG_MAP, configMap('a', {}))).toThrow(
      'configmaps "a" already exists',
    );
  });

  it('replays changes after a resource version and forgets them when compacted', () => {
    const store = new ObjectStore();
    const a = store.create(CONFIG_MAP, configMap('a', {}));
    store.create(CONFIG_MAP, configMap('b', {}));
    store.remove(CONFIG_MAP, 'ns', 'a');
    const since = Number(a.metadata.resourceVersion);
    expect(
      store
        .changesSince(CONFIG_MAP, since)
        .map(e => `${e.type} ${e.object.metadata.name}`),
    ).toEqual(['ADDED b', 'DELETED a']);
    store.compact();
    expect(() => store.changesSince(CONFIG_MAP, since)).toThrow(StatusError);
    expect(
      store.changesSince(CONFIG_MAP, Number(store.resourceVersion)),
    ).toEqual([]);
  });

  it('keeps a bounded history; older versions are gone', () => {
    const store = new ObjectStore({ historyLimit: 2 });
    const first = store.create(CONFIG_MAP, configMap('a', {}));
    store.create(CONFIG_MAP, configMap('b', {}));
    store.create(CONFIG_MAP, configMap('c', {}));
    store.create(CONFIG_MAP, configMap('d', {}));
    expect(() =>
      store.changesSince(CONFIG_MAP, Number(first.metadata.resourceVersion)),
    ).toThrow(/too old resource version/);
  });

  it('delivers changes made by a listener after the change that caused them', () => {
    const store = new ObjectStore();
    const seen: string[] = [];
    store.subscribe(event => {
      if (event.type === 'ADDED' && event.object.metadata.name === 'a') {
        store.create(CONFIG_MAP, configMap('caused', {}));
      }
    });
    store.subscribe(event =>
      seen.push(`${event.object.metadata.name}@${event.resourceVersion}`),
    );
    store.create(CONFIG_MAP, configMap('a', {}));
    expect(seen).toEqual(['a@1', 'caused@2']);
  });

  it('finds the dependents of an owner', () => {
    const store = new ObjectStore();
    const owner = store.create(CONFIG_MAP, configMap('owner', {}));
    store.create(CONFIG_MAP, {
      ...configMap('dependent', {}),
      metadata: {
        name: 'dependent',
        namespace: 'ns',
        ownerReferences: [{ uid: owner.metadata.uid }],
      },
    });
    expect(
      store.dependentsOf(owner.metadata.uid!).map(d => d.object.metadata.name),
    ).toEqual(['dependent']);
  });

  it('lists one namespace from its index, also after deletes and a restore', () => {
    const store = new ObjectStore();
    const inNamespace = (
      namespace: string,
      name: string,
    ): KubernetesObject => ({
      ...configMap(name, {}),
      metadata: { name, namespace },
    });
    store.create(CONFIG_MAP, inNamespace('b', 'x'));
    store.create(CONFIG_MAP, inNamespace('a', 'y'));
    store.create(CONFIG_MAP, inNamespace('a', 'x'));
    const names = (namespace?: string) =>
      store
        .list(CONFIG_MAP, { namespace })
        .map(o => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names('a')).toEqual(['a/x', 'a/y']);
    expect(names()).toEqual(['a/x', 'a/y', 'b/x']);
    store.remove(CONFIG_MAP, 'a', 'x');
    expect(names('a')).toEqual(['a/y']);
    expect(store.listNamespace('a').map(o => o.object.metadata.name)).toEqual([
      'y',
    ]);
    store.remove(CONFIG_MAP, 'a', 'y');
    expect(names('a')).toEqual([]);
    expect(store.listNamespace('a')).toEqual([]);
    store.restore(store.snapshot());
    expect(names('b')).toEqual(['b/x']);
    expect(names('a')).toEqual([]);
  });

  it('finds the dependents of an owner as their owner references change', () => {
    const store = new ObjectStore();
    const owned = (name: string, ...uids: string[]): KubernetesObject => ({
      ...configMap(name, {}),
      metadata: {
        name,
        namespace: 'ns',
        ownerReferences: uids.map(uid => ({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: uid,
          uid,
        })),
      },
    });
    const dependents = (uid: string) =>
      store
        .dependentsOf(uid)
        .map(d => d.object.metadata.name)
        .sort();
    const a = store.create(CONFIG_MAP, owned('a', 'u1'));
    store.create(CONFIG_MAP, owned('b', 'u1', 'u2'));
    store.create(DEPLOYMENT, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'a',
        namespace: 'ns',
        ownerReferences: [{ uid: 'u1' }],
      },
      spec: {},
    });
    expect(
      store
        .dependentsOf('u1')
        .map(d => d.resource.kind)
        .sort(),
    ).toEqual(['ConfigMap', 'ConfigMap', 'Deployment']);
    expect(dependents('u2')).toEqual(['b']);
    // Re-owned: u1 loses it, u3 gains it.
    store.update(CONFIG_MAP, { ...a, ...owned('a', 'u3') });
    expect(dependents('u1')).toEqual(['a', 'b']);
    expect(dependents('u3')).toEqual(['a']);
    store.remove(CONFIG_MAP, 'ns', 'b');
    expect(dependents('u2')).toEqual([]);
    store.restore(store.snapshot());
    expect(dependents('u3')).toEqual(['a']);
    store.clear();
    expect(dependents('u3')).toEqual([]);
  });
});
