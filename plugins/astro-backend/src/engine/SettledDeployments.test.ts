import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { EngineState } from '../store';
import { RenderResult } from '../render';
import {
  PassInputs,
  resourceVersionsOf,
  SettledDeployments,
} from './SettledDeployments';

const rendered: RenderResult = { hash: 'h1', objects: [], conditions: [] };

function object(name: string, resourceVersion: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', resourceVersion },
  };
}

function cached(...objects: KubernetesObject[]) {
  return new Map(objects.map(o => [`v1/ConfigMap/ns/${o.metadata.name}`, o]));
}

const state: EngineState = {
  deploymentId: 'd',
  appliedHash: 'h1',
  appliedGeneration: 3,
  appliedObjects: {
    'v1/ConfigMap/ns/a': { hash: 'ha', signature: 'sa' },
    'v1/ConfigMap/ns/b': { hash: 'hb', signature: 'sb' },
  },
  everHealthy: true,
  attempts: 0,
};

const inputs: PassInputs = {
  generation: 3,
  rendered,
  cacheInstance: 7,
  state,
};

describe('SettledDeployments', () => {
  const live = cached(object('a', '10'), object('b', '11'));

  function settledOnce() {
    const settled = new SettledDeployments();
    settled.record('d', inputs, resourceVersionsOf(live));
    return settled;
  }

  it('knows nothing of a Deployment no pass settled', () => {
    const settled = new SettledDeployments();
    expect(settled.has('d')).toBe(false);
    expect(settled.unchanged('d', inputs, live)).toBe(false);
  });

  it('finds a Deployment unchanged while its inputs and cached objects are', () => {
    const settled = settledOnce();
    expect(settled.has('d')).toBe(true);
    expect(
      settled.unchanged(
        'd',
        {
          ...inputs,
          state: { ...state, appliedObjects: { ...state.appliedObjects } },
        },
        cached(object('a', '10'), object('b', '11')),
      ),
    ).toBe(true);
  });

  it('sees an object edited, deleted or added out of band', () => {
    const settled = settledOnce();
    expect(
      settled.unchanged(
        'd',
        inputs,
        cached(object('a', '10'), object('b', '12')),
      ),
    ).toBe(false);
    expect(settled.unchanged('d', inputs, cached(object('a', '10')))).toBe(
      false,
    );
    expect(
      settled.unchanged(
        'd',
        inputs,
        cached(object('a', '10'), object('c', '11')),
      ),
    ).toBe(false);
    expect(
      settled.unchanged(
        'd',
        inputs,
        cached(object('a', '10'), object('b', '11'), object('c', '13')),
      ),
    ).toBe(false);
  });

  it('sees a new render, generation, watch cache or stored state', () => {
    const settled = settledOnce();
    const changed: PassInputs[] = [
      { ...inputs, rendered: { ...rendered } },
      { ...inputs, generation: 4 },
      { ...inputs, cacheInstance: 8 },
      { ...inputs, state: { ...state, appliedHash: 'h0' } },
      { ...inputs, state: { ...state, appliedGeneration: 2 } },
      {
        ...inputs,
        state: { ...state, lastError: { message: 'x', unreachable: true } },
      },
      {
        ...inputs,
        state: {
          ...state,
          appliedObjects: {
            ...state.appliedObjects,
            'v1/ConfigMap/ns/b': { hash: 'hb', signature: 'other' },
          },
        },
      },
    ];
    for (const each of changed) {
      expect(settled.unchanged('d', each, live)).toBe(false);
    }
  });

  it('keeps the versions from when the pass started', () => {
    const changing = cached(object('a', '10'), object('b', '11'));
    const settled = new SettledDeployments();
    const versions = resourceVersionsOf(changing);
    // Edited while the pass ran, after it checked the object.
    changing.set('v1/ConfigMap/ns/b', object('b', '12'));
    settled.record('d', inputs, versions);
    expect(settled.unchanged('d', inputs, changing)).toBe(false);
  });

  it('forgets a Deployment', () => {
    const settled = settledOnce();
    settled.forget('d');
    expect(settled.unchanged('d', inputs, live)).toBe(false);
  });
});
