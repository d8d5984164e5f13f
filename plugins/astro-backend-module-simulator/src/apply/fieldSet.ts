/**
 * Field paths and the `FieldsV1` encoding of `metadata.managedFields`.
 *
 * A field path names one leaf of an object: a scalar, a list (lists are
 * atomic in the simulator) or an empty map. Paths are handled as their
 * JSON encoding so that they can live in sets.
 */
import { clone, isRecord, JsonObject } from '../store/objects';

/** The segments of a field path, e.g. `['spec', 'replicas']`. */
export type FieldPath = string[];

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

export function pathFromKey(key: string): FieldPath {
  const parsed: unknown = JSON.parse(key);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** `.spec.replicas`: a path as API server messages print it. */
export function describePath(path: FieldPath): string {
  return path.map(segment => `.${segment}`).join('');
}

/** The keys of every leaf path of a value. */
export function leafKeys(value: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (current: unknown, prefix: FieldPath) => {
    if (isRecord(current) && Object.keys(current).length > 0) {
      for (const [key, child] of Object.entries(current)) {
        if (child !== undefined) {
          visit(child, [...prefix, key]);
        }
      }
    } else if (prefix.length > 0) {
      keys.add(pathKey(prefix));
    }
  };
  visit(value, []);
  return keys;
}

/** The value at a path, `undefined` when absent. */
export function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[segment];
  }
  return current;
}

/**
 * Removes the field at a path, and then every map on the way up that the
 * removal left empty (never `metadata` itself).
 */
export function removeAt(target: JsonObject, path: FieldPath): void {
  const parents: JsonObject[] = [];
  let current: JsonObject = target;
  for (const segment of path.slice(0, -1)) {
    const next = current[segment];
    if (!isRecord(next)) {
      return;
    }
    parents.push(current);
    current = next;
  }
  delete current[path[path.length - 1]];
  for (let depth = path.length - 2; depth >= 0; depth--) {
    const parent = parents[depth];
    const child = parent[path[depth]];
    const keep = depth === 0 && path[0] === 'metadata';
    if (isRecord(child) && Object.keys(child).length === 0 && !keep) {
      delete parent[path[depth]];
    } else {
      break;
    }
  }
}

/** Merges `source` into `target`: maps recursively, everything else replaced. */
export function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) {
      continue;
    }
    const existing = target[key];
    if (isRecord(value) && isRecord(existing)) {
      mergeInto(existing, value);
    } else {
      target[key] = clone(value);
    }
  }
}

/** Encodes leaf paths as `FieldsV1` (`{"f:spec":{"f:replicas":{}}}`). */
export function encodeFieldsV1(keys: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const key of keys) {
    let current = root;
    for (const segment of pathFromKey(key)) {
      const name = `f:${segment}`;
      const next = current[name];
      if (isRecord(next)) {
        current = next;
      } else {
        const created: JsonObject = {};
        current[name] = created;
        current = created;
      }
    }
  }
  return root;
}

/** Decodes `FieldsV1` into leaf path keys. */
export function decodeFieldsV1(fields: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (current: unknown, prefix: FieldPath) => {
    const entries = isRecord(current)
      ? Object.entries(current).filter(([name]) => name.startsWith('f:'))
      : [];
    if (entries.length === 0) {
      if (prefix.length > 0) {
        keys.add(pathKey(prefix));
      }
      return;
    }
    for (const [name, child] of entries) {
      visit(child, [...prefix, name.slice(2)]);
    }
  };
  visit(fields, []);
  return keys;
}
