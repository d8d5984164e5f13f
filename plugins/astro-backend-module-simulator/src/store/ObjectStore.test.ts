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
});
