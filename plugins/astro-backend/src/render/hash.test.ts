import { ASTRO_ANNOTATIONS } from '@airflow-portal/plugin-astro-common';
import {
  canonicalJson,
  contentHash,
  objectContentHash,
  renderedObjectKey,
} from './hash';

describe('hash helpers', () => {
  it('hashes equal values equally whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"e":3,"f":2}]},"b":1}',
    );
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(contentHash({ a: 1, b: undefined })).toBe(contentHash({ a: 1 }));
  });

  it('ignores the generation annotation in object hashes only', () => {
    const object = (generation: string, extra?: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        annotations: {
          [ASTRO_ANNOTATIONS.generation]: generation,
          ...(extra ? { other: extra } : {}),
        },
      },
    });
    expect(objectContentHash(object('1'))).toBe(objectContentHash(object('2')));
    expect(objectContentHash(object('1'))).not.toBe(
      objectContentHash(object('1', 'changed')),
    );
    expect(contentHash(object('1'))).not.toBe(contentHash(object('2')));
  });

  it('keys objects by apiVersion, kind, namespace and name', () => {
    expect(
      renderedObjectKey({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'scheduler', namespace: 'ns' },
      }),
    ).toBe('apps/v1/Deployment/ns/scheduler');
    expect(
      renderedObjectKey({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'ns' },
      }),
    ).toBe('v1/Namespace//ns');
  });
});
