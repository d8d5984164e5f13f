/**
 * Small, typed readers for plain JSON objects, so that code reading object
 * fields never needs a cast.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is an object, otherwise an empty object. */
export function record(value: unknown): JsonObject {
  return isRecord(value) ? value : {};
}

/** The string-valued entries of an object. */
export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) {
    if (typeof entry === 'string') {
      result[key] = entry;
    }
  }
  return result;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Reads a nested field, `undefined` when any step is missing. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[segment];
  }
  return current;
}

export function labelsOf(object: KubernetesObject): Record<string, string> {
  return stringMap(object.metadata.labels);
}

export function annotationsOf(
  object: KubernetesObject,
): Record<string, string> {
  return stringMap(object.metadata.annotations);
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keysA = Object.keys(a).filter(key => a[key] !== undefined);
    const keysB = Object.keys(b).filter(key => b[key] !== undefined);
    if (keysA.length !== keysB.length) {
      return false;
    }
    return keysA.every(key => deepEqual(a[key], b[key]));
  }
  return false;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(copy);
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    // Not plain JSON data (a Date, a Map): the general algorithm.
    return structuredClone(value);
  }
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === '__proto__') {
      // A key parsed from JSON, kept as data (never as the prototype).
      Object.defineProperty(result, key, {
        value: copy(source[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      result[key] = copy(source[key]);
    }
  }
  return result;
}

/**
 * A deep copy of a JSON value. The store copies every object it hands out
 * and takes in, so this is its hottest function: a plain recursive copy of
 * objects and arrays, several times faster than `structuredClone` for the
 * small objects Kubernetes resources are.
 */
export function clone<T>(value: T): T {
  return copy(value) as T;
}

/** Whether a value is a Kubernetes object with the fields the store needs. */
export function isKubernetesObject(value: unknown): value is KubernetesObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.metadata)
  );
}

/** The condition of a given type in `status.conditions`. */
export function conditionOf(
  object: KubernetesObject,
  type: string,
): JsonObject | undefined {
  return arr(at(object, 'status', 'conditions'))
    .filter(isRecord)
    .find(condition => condition.type === type);
}
