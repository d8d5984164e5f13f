/**
 * JSON Patch (RFC 6902, `application/json-patch+json`): `add`, `remove`,
 * `replace`, `move`, `copy` and `test` on JSON pointers (RFC 6901).
 *
 * As the API server answers: a patch that is not a list of well-formed
 * operations is a `400 BadRequest`; an operation that does not apply (a
 * missing path, a failed `test`) is a `422 Invalid`.
 */
import { statusErrors } from '../api/status';
import { clone, deepEqual, isRecord } from '../store/objects';

/** The API server's limit on the operations of one JSON patch. */
const MAX_OPERATIONS = 10000;

type Operation =
  | { op: 'add' | 'replace' | 'test'; path: string[]; value: unknown }
  | { op: 'remove'; path: string[] }
  | { op: 'move' | 'copy'; from: string[]; path: string[] };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Splits a JSON pointer into its unescaped reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    throw statusErrors.badRequest(
      `invalid JSON pointer "${pointer}": it must be empty or start with "/"`,
    );
  }
  return pointer
    .slice(1)
    .split('/')
    .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function decode(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw statusErrors.badRequest(
      'the JSON patch must be a list of operations, e.g. [{"op": "replace", "path": "/spec/replicas", "value": 2}]',
    );
  }
  if (patch.length > MAX_OPERATIONS) {
    throw statusErrors.badRequest(
      `the allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`,
    );
  }
  return patch.map((entry, index): Operation => {
    const where = `operation ${index}`;
    if (!isRecord(entry)) {
      throw statusErrors.badRequest(
        `${where} of the JSON patch is not an object`,
      );
    }
    const op = entry.op;
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw statusErrors.badRequest(
        `${where} of the JSON patch has an unknown op ${JSON.stringify(
          op ?? null,
        )}: use add, remove, replace, move, copy or test`,
      );
    }
    if (typeof entry.path !== 'string') {
      throw statusErrors.badRequest(`${where} (${op}) has no path`);
    }
    const path = parsePointer(entry.path);
    if (op === 'remove') {
      return { op, path };
    }
    if (op === 'move' || op === 'copy') {
      if (typeof entry.from !== 'string') {
        throw statusErrors.badRequest(`${where} (${op}) has no from`);
      }
      return { op, from: parsePointer(entry.from), path };
    }
    if (!('value' in entry)) {
      throw statusErrors.badRequest(`${where} (${op}) has no value`);
    }
    return { op: op as 'add' | 'replace' | 'test', path, value: entry.value };
  });
}

function notApplicable(message: string): Error {
  return statusErrors.unprocessable(message);
}

function describe(path: string[]): string {
  return `/${path
    .map(t => t.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
}

function arrayIndex(
  list: unknown[],
  token: string,
  path: string[],
  forAdd: boolean,
): number {
  if (forAdd && token === '-') {
    return list.length;
  }
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    throw notApplicable(`invalid array index "${token}" in ${describe(path)}`);
  }
  const index = Number(token);
  if (index > list.length || (!forAdd && index === list.length)) {
    throw notApplicable(
      `array index ${index} out of bounds in ${describe(path)}`,
    );
  }
  return index;
}

/** The container of the last token of `path`. */
function parentOf(document: unknown, path: string[]): unknown {
  let current = document;
  for (let i = 0; i < path.length - 1; i++) {
    const token = path[i];
    if (Array.isArray(current)) {
      current = current[arrayIndex(current, token, path, false)];
    } else if (isRecord(current) && token in current) {
      current = current[token];
    } else {
      throw notApplicable(`doc is missing path: ${describe(path)}`);
    }
  }
  return current;
}

function get(document: unknown, path: string[]): unknown {
  if (path.length === 0) {
    return document;
  }
  const parent = parentOf(document, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    return parent[arrayIndex(parent, last, path, false)];
  }
  if (isRecord(parent) && last in parent) {
    return parent[last];
  }
  throw notApplicable(`doc is missing key: ${describe(path)}`);
}

function add(document: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) {
    return value;
  }
  const parent = parentOf(document, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, last, path, true), 0, value);
  } else if (isRecord(parent)) {
    parent[last] = value;
  } else {
    throw notApplicable(`doc is missing path: ${describe(path)}`);
  }
  return document;
}

function remove(document: unknown, path: string[]): unknown {
  if (path.length === 0) {
    throw notApplicable('cannot remove the whole document');
  }
  const parent = parentOf(document, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, last, path, false), 1);
  } else if (isRecord(parent) && last in parent) {
    delete parent[last];
  } else {
    throw notApplicable(`doc is missing key: ${describe(path)}`);
  }
  return document;
}

function replace(document: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) {
    return value;
  }
  get(document, path);
  const parent = parentOf(document, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    parent[arrayIndex(parent, last, path, false)] = value;
  } else if (isRecord(parent)) {
    parent[last] = value;
  }
  return document;
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return (
    prefix.length < path.length && prefix.every((token, i) => path[i] === token)
  );
}

/** Applies a JSON patch to a copy of `document`. */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  const operations = decode(patch);
  let result = clone(document);
  operations.forEach((operation, index) => {
    switch (operation.op) {
      case 'add':
        result = add(result, operation.path, clone(operation.value));
        break;
      case 'remove':
        result = remove(result, operation.path);
        break;
      case 'replace':
        result = replace(result, operation.path, clone(operation.value));
        break;
      case 'move': {
        if (isPrefix(operation.from, operation.path)) {
          throw notApplicable(
            `operation ${index} (move) cannot move ${describe(
              operation.from,
            )} into its own child ${describe(operation.path)}`,
          );
        }
        const value = get(result, operation.from);
        result = remove(result, operation.from);
        result = add(result, operation.path, value);
        break;
      }
      case 'copy':
        result = add(
          result,
          operation.path,
          clone(get(result, operation.from)),
        );
        break;
      case 'test':
      default: {
        let actual: unknown;
        try {
          actual = get(result, operation.path);
        } catch {
          actual = undefined;
        }
        const missingNull = actual === undefined && operation.value === null;
        if (
          !missingNull &&
          (actual === undefined || !deepEqual(actual, operation.value))
        ) {
          throw notApplicable(
            `testing value ${describe(
              operation.path,
            )} failed (operation ${index})`,
          );
        }
        break;
      }
    }
  });
  return result;
}
