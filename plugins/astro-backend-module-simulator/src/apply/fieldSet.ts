/**
 * Field paths and the `FieldsV1` encoding of `metadata.managedFields`.
 *
 * A field path is a list of `FieldsV1` path elements: `f:<name>` for a
 * field of a map, `k:<keys as JSON>` for an element of an associative list
 * (a list with merge keys, such as containers by `name`), `v:<JSON>` for a
 * member of a set (such as `finalizers`). A path names one leaf of an
 * object (a scalar, an atomic list or an empty map) or, when it ends in a
 * `k:` or `v:` element, the presence of that list element. Which lists are
 * associative or sets comes from the kind's {@link PatchSchema}. Paths are
 * handled as their JSON encoding so that they can live in sets.
 */
import { clone, deepEqual, isRecord, JsonObject } from '../store/objects';
import {
  LIST_MAP_KEY_DEFAULTS,
  listMapKeysOf,
  PatchField,
  PatchSchema,
} from './patchSchema';

/** The elements of a field path, e.g. `['f:spec', 'f:replicas']`. */
export type FieldPath = string[];

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

export function pathFromKey(key: string): FieldPath {
  const parsed: unknown = JSON.parse(key);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The path element of a map field. */
export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** Whether a path names the presence of a list element. */
export function isElementPath(path: FieldPath): boolean {
  const last = path[path.length - 1] ?? '';
  return last.startsWith('k:') || last.startsWith('v:');
}

/**
 * `.spec.containers[name="web"].image`: a path as API server messages
 * print it.
 */
export function describePath(path: FieldPath): string {
  return path
    .map(element => {
      const body = element.slice(2);
      if (element.startsWith('k:')) {
        const keys: unknown = JSON.parse(body);
        return `[${Object.entries(isRecord(keys) ? keys : {})
          .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
          .join(',')}]`;
      }
      if (element.startsWith('v:')) {
        return `[=${body}]`;
      }
      return `.${body}`;
    })
    .join('');
}

type ListType = 'map' | 'set' | 'atomic';

function keyValue(element: JsonObject, key: string): unknown {
  return element[key] ?? LIST_MAP_KEY_DEFAULTS[key];
}

/** The `k:` path element of an element of an associative list. */
function keyElement(field: PatchField, element: JsonObject): string {
  const keys = [...listMapKeysOf(field)].sort();
  return `k:${JSON.stringify(
    Object.fromEntries(keys.map(key => [key, keyValue(element, key)])),
  )}`;
}

/**
 * How a list merges in server-side apply: by its keys (`map`), as a set of
 * primitives (`set`), or whole (`atomic`). A list whose elements lack a
 * key, or repeat one, is treated as atomic (the API server refuses it; the
 * simulator's validation reports what is wrong with it).
 */
function listTypeOf(field: PatchField | undefined, list: unknown[]): ListType {
  if (field?.strategy !== 'merge') {
    return 'atomic';
  }
  const seen = new Set<string>();
  const keys = listMapKeysOf(field);
  for (const element of list) {
    let token: string;
    if (keys.length > 0) {
      if (
        !isRecord(element) ||
        keys.some(key => keyValue(element, key) === undefined)
      ) {
        return 'atomic';
      }
      token = keyElement(field, element);
    } else {
      if (isRecord(element) || Array.isArray(element)) {
        return 'atomic';
      }
      token = JSON.stringify(element);
    }
    if (seen.has(token)) {
      return 'atomic';
    }
    seen.add(token);
  }
  return keys.length > 0 ? 'map' : 'set';
}

function elementOf(
  field: PatchField,
  type: ListType,
  element: unknown,
): string {
  return type === 'map' && isRecord(element)
    ? keyElement(field, element)
    : `v:${JSON.stringify(element)}`;
}

/** Whether a list element is the one a `k:` or `v:` path element names. */
function matches(element: unknown, pathElement: string): boolean {
  const body: unknown = JSON.parse(pathElement.slice(2));
  if (pathElement.startsWith('v:')) {
    return deepEqual(element, body);
  }
  return (
    isRecord(element) &&
    isRecord(body) &&
    Object.entries(body).every(([key, value]) =>
      deepEqual(keyValue(element, key), value),
    )
  );
}

/**
 * The keys of every leaf path of a value, and of every element of its
 * associative lists and sets.
 */
export function leafKeys(value: unknown, schema?: PatchSchema): Set<string> {
  const keys = new Set<string>();
  const visit = (
    current: unknown,
    prefix: FieldPath,
    field: PatchField | undefined,
  ) => {
    if (isRecord(current) && Object.keys(current).length > 0) {
      for (const [key, child] of Object.entries(current)) {
        if (child !== undefined) {
          visit(child, [...prefix, fieldElement(key)], field?.schema?.[key]);
        }
      }
      return;
    }
    if (Array.isArray(current) && current.length > 0 && field) {
      const type = listTypeOf(field, current);
      if (type !== 'atomic') {
        for (const element of current) {
          const path = [...prefix, elementOf(field, type, element)];
          keys.add(pathKey(path));
          if (type === 'map') {
            visit(element, path, { schema: field.schema });
          }
        }
        return;
      }
    }
    if (prefix.length > 0) {
      keys.add(pathKey(prefix));
    }
  };
  visit(value, [], { schema });
  return keys;
}

/** The value at a path, `undefined` when absent. */
export function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const element of path) {
    if (element.startsWith('f:')) {
      if (!isRecord(current)) {
        return undefined;
      }
      current = current[element.slice(2)];
    } else if (Array.isArray(current)) {
      current = current.find(item => matches(item, element));
    } else {
      return undefined;
    }
  }
  return current;
}

const isEmpty = (value: unknown) =>
  (isRecord(value) && Object.keys(value).length === 0) ||
  (Array.isArray(value) && value.length === 0);

/**
 * Removes the field or list element at a path, and then every map or list
 * on the way up that the removal left empty (never `metadata` itself).
 */
export function removeAt(target: JsonObject, path: FieldPath): void {
  // The containers along the path and the place of the next step in each.
  const steps: Array<{
    container: JsonObject | unknown[];
    at: string | number;
  }> = [];
  let current: unknown = target;
  for (const element of path) {
    if (element.startsWith('f:') && isRecord(current)) {
      const name = element.slice(2);
      if (!(name in current)) {
        return;
      }
      steps.push({ container: current, at: name });
      current = current[name];
    } else if (!element.startsWith('f:') && Array.isArray(current)) {
      const index = current.findIndex(item => matches(item, element));
      if (index < 0) {
        return;
      }
      steps.push({ container: current, at: index });
      current = current[index];
    } else {
      return;
    }
  }
  for (let depth = steps.length - 1; depth >= 0; depth--) {
    const { container, at } = steps[depth];
    if (depth < steps.length - 1) {
      const child = Array.isArray(container)
        ? container[at as number]
        : container[at as string];
      const keep = depth === 0 && path[0] === 'f:metadata';
      if (!isEmpty(child) || keep) {
        break;
      }
    }
    if (Array.isArray(container)) {
      container.splice(at as number, 1);
    } else {
      delete container[at as string];
    }
  }
}

/**
 * Merges `source` into `target`: maps recursively, associative lists
 * element by element (elements of `target` keep their place, new ones are
 * appended; an empty list changes nothing), sets as a union, everything
 * else replaced.
 */
export function mergeInto(
  target: JsonObject,
  source: JsonObject,
  schema?: PatchSchema,
): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) {
      continue;
    }
    const existing = target[key];
    const field = schema?.[key];
    if (isRecord(value) && isRecord(existing)) {
      mergeInto(existing, value, field?.schema);
    } else if (
      Array.isArray(value) &&
      Array.isArray(existing) &&
      field &&
      listTypeOf(field, value) !== 'atomic' &&
      listTypeOf(field, existing) !== 'atomic'
    ) {
      // An empty list merges too: it keeps the elements others own.
      mergeList(existing, value, field);
    } else {
      target[key] = clone(value);
    }
  }
}

function mergeList(
  target: unknown[],
  source: unknown[],
  field: PatchField,
): void {
  const type = listTypeOf(field, source);
  for (const element of source) {
    const pathElement = elementOf(field, type, element);
    const existing = target.find(item => matches(item, pathElement));
    if (existing === undefined) {
      target.push(clone(element));
    } else if (isRecord(existing) && isRecord(element)) {
      mergeInto(existing, element, field.schema);
    }
  }
}

/**
 * Encodes paths as `FieldsV1` (`{"f:spec":{"f:replicas":{}}}`); a list
 * element that is owned and has owned fields gets `".": {}`.
 */
export function encodeFieldsV1(keys: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  const owned = new Set<JsonObject>();
  for (const key of keys) {
    let current = root;
    for (const element of pathFromKey(key)) {
      const next = current[element];
      if (isRecord(next)) {
        current = next;
      } else {
        const created: JsonObject = {};
        current[element] = created;
        current = created;
      }
    }
    owned.add(current);
  }
  for (const node of owned) {
    if (Object.keys(node).length > 0) {
      node['.'] = {};
    }
  }
  return root;
}

const PATH_ELEMENT = /^[fkvi]:/;

/** Decodes `FieldsV1` into path keys. */
export function decodeFieldsV1(fields: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (current: unknown, prefix: FieldPath) => {
    const node = isRecord(current) ? current : {};
    const entries = Object.entries(node).filter(([name]) =>
      PATH_ELEMENT.test(name),
    );
    if ((entries.length === 0 || '.' in node) && prefix.length > 0) {
      keys.add(pathKey(prefix));
    }
    for (const [name, child] of entries) {
      visit(child, [...prefix, name]);
    }
  };
  visit(fields, []);
  return keys;
}
