import { StatusError } from '../api/status';
import { applyJsonPatch, parsePointer } from './jsonPatch';

const doc = () => ({
  metadata: { name: 'web', annotations: { 'a/b': '1', 'c~d': '2' } },
  spec: { replicas: 1, containers: [{ name: 'a' }, { name: 'b' }] },
});

function failure(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the patch to fail');
}

describe('JSON patch', () => {
  it('unescapes pointers', () => {
    expect(parsePointer('/metadata/annotations/a~1b')).toEqual([
      'metadata',
      'annotations',
      'a/b',
    ]);
    expect(parsePointer('/c~0d')).toEqual(['c~d']);
  });

  it('adds, removes, replaces, moves, copies and tests', () => {
    const result = applyJsonPatch(doc(), [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/containers/-', value: { name: 'c' } },
      { op: 'add', path: '/spec/containers/0', value: { name: 'z' } },
      { op: 'remove', path: '/spec/containers/2' },
      { op: 'remove', path: '/metadata/annotations/a~1b' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/labels' },
      { op: 'move', from: '/metadata/annotations/c~0d', path: '/spec/moved' },
    ]) as any;
    expect(result.spec).toEqual({
      replicas: 3,
      containers: [{ name: 'z' }, { name: 'a' }, { name: 'c' }],
      moved: '2',
    });
    expect(result.metadata).toEqual({
      name: 'web',
      annotations: {},
      labels: 'web',
    });
  });

  it('answers 422 when an operation does not apply', () => {
    const failed = failure(() =>
      applyJsonPatch(doc(), [{ op: 'test', path: '/spec/replicas', value: 2 }]),
    );
    expect(failed.status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(failed.message).toContain('/spec/replicas');
    expect(
      failure(() => applyJsonPatch(doc(), [{ op: 'remove', path: '/spec/x' }]))
        .code,
    ).toBe(422);
    expect(
      failure(() =>
        applyJsonPatch(doc(), [{ op: 'replace', path: '/nope/x', value: 1 }]),
      ).code,
    ).toBe(422);
    expect(
      failure(() =>
        applyJsonPatch(doc(), [
          { op: 'add', path: '/spec/containers/9', value: {} },
        ]),
      ).code,
    ).toBe(422);
  });

  it('answers 400 for a malformed patch', () => {
    expect(failure(() => applyJsonPatch(doc(), { op: 'add' })).code).toBe(400);
    expect(
      failure(() => applyJsonPatch(doc(), [{ op: 'frobnicate', path: '/a' }]))
        .message,
    ).toContain('frobnicate');
    expect(
      failure(() => applyJsonPatch(doc(), [{ op: 'add', path: '/a' }])).message,
    ).toContain('no value');
    expect(
      failure(() => applyJsonPatch(doc(), [{ op: 'move', path: '/a' }]))
        .message,
    ).toContain('no from');
  });

  it('does not change the document', () => {
    const original = doc();
    applyJsonPatch(original, [{ op: 'remove', path: '/spec' }]);
    expect(original).toEqual(doc());
  });
});
