/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), the
 * patch kubectl sends for `apply` (client-side), `patch`, `set image`,
 * `edit`, `rollout restart` and more.
 *
 * It follows the algorithm of the API server (apimachinery's
 * `strategicpatch` package, applied with `MergeParallelList` and
 * `IgnoreUnmatchedNulls`):
 *
 * - maps merge key by key, `null` removes a key;
 * - lists the schema marks `merge` merge element by element: objects by
 *   their merge key (an element with `$patch: delete` removes its match, an
 *   element `{ $patch: replace }` replaces the whole list with the others),
 *   primitives as a set; every other list is replaced;
 * - `$patch: replace` in a map replaces it, `$patch: delete` empties it;
 * - `$retainKeys: [...]` drops the keys of the live map not listed;
 * - `$setElementOrder/<list>: [...]` orders the merged list: listed
 *   elements in the given order, the live object's other elements kept in
 *   their relative place;
 * - `$deleteFromPrimitiveList/<list>: [...]` removes values from a list of
 *   primitives.
 *
 * The result carries no directive. Errors are `400 BadRequest` for a
 * malformed patch, as the API server answers; where the API server answers
 * with an internal error (an element without its merge key, a list directive
 * it does not know), the simulator answers `400` too.
 */
import { statusErrors } from '../api/status';
import { clone, deepEqual, isRecord, JsonObject } from '../store/objects';
import { PatchField, PatchSchema } from './patchSchema';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

function badPatch(message: string): Error {
  return statusErrors.badRequest(message);
}

/**
 * Applies a strategic merge patch to `original` following `schema`; returns
 * the patched copy (neither argument is changed).
 */
export function strategicMergePatch(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema,
): JsonObject {
  return withoutDirectives(mergeMap(clone(original), clone(patch), schema));
}

function childSchema(schema: PatchSchema | undefined, key: string) {
  return schema?.[key];
}

function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema | undefined,
): JsonObject {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      const { [DIRECTIVE]: _directive, ...rest } = patch;
      return mergeMap({}, rest, schema);
    }
    if (directive === 'delete') {
      return {};
    }
    if (directive !== 'merge') {
      throw badPatch(
        `Unknown patch type: ${String(
          directive,
        )} in map: $patch must be replace, delete or merge`,
      );
    }
    delete patch[DIRECTIVE];
  }
  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, schema);

  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      if (!field || !Array.isArray(value)) {
        throw badPatch(
          `invalid patch: ${key} must be a list of primitives, e.g. "$deleteFromPrimitiveList/finalizers": ["a"]`,
        );
      }
      const live = original[field];
      if (Array.isArray(live)) {
        original[field] = live.filter(
          item => !value.some(removed => deepEqual(removed, item)),
        );
      }
      continue;
    }
    if (value === null) {
      delete original[key];
      continue;
    }
    const field = childSchema(schema, key);
    original[key] = mergeValue(original[key], value, field);
  }
  return original;
}

function mergeValue(
  live: unknown,
  patch: unknown,
  field: PatchField | undefined,
): unknown {
  if (isRecord(patch)) {
    if (field?.strategy === 'replace') {
      return mergeMap({}, patch, field.schema);
    }
    return mergeMap(isRecord(live) ? live : {}, patch, field?.schema);
  }
  if (Array.isArray(patch)) {
    if (field?.strategy === 'merge') {
      return mergeList(Array.isArray(live) ? live : [], patch, field);
    }
    return patch.map(item =>
      isRecord(item) ? mergeMap({}, item, field?.schema) : item,
    );
  }
  return patch;
}

/** `$retainKeys`: the keys of the live map that survive. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) {
    return;
  }
  const retained = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retained) || retained.some(k => typeof k !== 'string')) {
    throw badPatch(
      'invalid patch with retainKeys: $retainKeys must be a list of field names',
    );
  }
  for (const [key, value] of Object.entries(patch)) {
    if (
      value === null ||
      key.startsWith(DELETE_FROM_PRIMITIVE_LIST) ||
      key.startsWith(SET_ELEMENT_ORDER)
    ) {
      continue;
    }
    if (!retained.includes(key)) {
      throw badPatch(
        `invalid patch with retainKeys: ${key} is patched but not listed in $retainKeys`,
      );
    }
  }
  for (const key of Object.keys(original)) {
    if (!retained.includes(key)) {
      delete original[key];
    }
  }
}

/** `$setElementOrder/<list>`: merges the list and orders it. */
function applyElementOrders(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema | undefined,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) {
      continue;
    }
    const order = patch[key];
    delete patch[key];
    const field = key.slice(SET_ELEMENT_ORDER.length);
    if (!field || !Array.isArray(order)) {
      throw badPatch(
        `invalid patch: ${key} must be a list, e.g. "$setElementOrder/containers": [{"name": "web"}]`,
      );
    }
    const meta = childSchema(schema, field);
    const mergeKey = meta?.mergeKey;
    const live = original[field];
    const patchList = patch[field];
    if (live !== undefined && !Array.isArray(live)) {
      throw badPatch(`invalid patch: ${field} is not a list`);
    }
    if (
      patchList !== undefined &&
      patchList !== null &&
      !Array.isArray(patchList)
    ) {
      throw badPatch(`invalid patch: ${field} must be a list`);
    }
    if (patchList === null) {
      continue;
    }
    if (Array.isArray(patchList)) {
      checkOrderMatches(field, patchList, order, mergeKey);
    }
    let merged: unknown[];
    if (Array.isArray(patchList)) {
      merged = mergeValue(live, patchList, meta) as unknown[];
    } else if (Array.isArray(live)) {
      merged = live;
    } else {
      continue;
    }
    const identity = identityOf(mergeKey, field);
    const inOrder = (item: unknown) =>
      order.some(entry => deepEqual(identity(entry), identity(item)));
    original[field] = normalizeOrder(
      merged.filter(inOrder),
      merged.filter(item => !inOrder(item)),
      order,
      Array.isArray(live) ? live : [],
      identity,
    );
    delete patch[field];
  }
}

/** The patch list must follow the relative order of `$setElementOrder`. */
function checkOrderMatches(
  field: string,
  patchList: unknown[],
  order: unknown[],
  mergeKey: string | undefined,
): void {
  const identity = identityOf(mergeKey, field);
  const items = patchList.filter(
    item => !(isRecord(item) && DIRECTIVE in item),
  );
  let position = 0;
  for (const item of items) {
    while (
      position < order.length &&
      !deepEqual(identity(order[position]), identity(item))
    ) {
      position++;
    }
    if (position >= order.length) {
      throw badPatch(
        `invalid patch: the order of ${field} in the patch does not match its $setElementOrder/${field} list`,
      );
    }
    position++;
  }
}

function identityOf(
  mergeKey: string | undefined,
  field: string,
): (item: unknown) => unknown {
  if (!mergeKey) {
    return item => item;
  }
  return item => {
    if (!isRecord(item) || !(mergeKey in item)) {
      throw badPatch(
        `invalid patch: an element of ${field} has no merge key ${mergeKey}`,
      );
    }
    return item[mergeKey];
  };
}

/** Merges a list the schema marks `merge`. */
function mergeList(
  live: unknown[],
  patch: unknown[],
  field: PatchField,
): unknown[] {
  if (patch.length === 0 && live.length === 0) {
    return live;
  }
  const objects = patch.some(isRecord) || live.some(isRecord);
  if (!objects) {
    const merged = [...live];
    for (const item of patch) {
      if (!merged.some(existing => deepEqual(existing, item))) {
        merged.push(item);
      }
    }
    const identity = (item: unknown) => item;
    const inPatch = (item: unknown) =>
      patch.some(entry => deepEqual(entry, item));
    return normalizeOrder(
      merged.filter(inPatch),
      merged.filter(item => !inPatch(item)),
      patch,
      live,
      identity,
    );
  }
  const mergeKey = field.mergeKey;
  if (!mergeKey) {
    throw badPatch('invalid patch: cannot merge lists without a merge key');
  }
  const identity = identityOf(mergeKey, 'the list');
  let merged = [...live];
  const elements: JsonObject[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isRecord(item)) {
      throw badPatch(
        'invalid patch: a list of objects cannot hold a primitive element',
      );
    }
    if (!(DIRECTIVE in item)) {
      elements.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      const key = identity(item);
      merged = merged.filter(existing => !deepEqual(identity(existing), key));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw badPatch(
        'invalid patch: merging lists cannot yet be specified in the patch',
      );
    } else {
      throw badPatch(`Unknown patch type: ${String(directive)} in list`);
    }
  }
  if (replace) {
    return elements.map(element => mergeMap({}, element, field.schema));
  }
  for (const element of elements) {
    const key = identity(element);
    const index = merged.findIndex(existing =>
      deepEqual(identity(existing), key),
    );
    if (index >= 0) {
      const existing = merged[index];
      merged[index] = mergeMap(
        isRecord(existing) ? existing : {},
        element,
        field.schema,
      );
    } else {
      merged.push(mergeMap({}, element, field.schema));
    }
  }
  const inPatch = (item: unknown) =>
    elements.some(element => deepEqual(identity(element), identity(item)));
  return normalizeOrder(
    merged.filter(inPatch),
    merged.filter(item => !inPatch(item)),
    elements,
    live,
    identity,
  );
}

/**
 * Orders a merged list: the patch's elements in the patch's order, the live
 * object's other elements in their live order, interleaved where both are
 * in the live list by their live positions.
 */
function normalizeOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  identity: (item: unknown) => unknown,
): unknown[] {
  const indexIn = (list: unknown[], item: unknown) => {
    const key = identity(item);
    return list.findIndex(entry => deepEqual(identity(entry), key));
  };
  const byPatch = [...patchItems].sort(
    (a, b) => indexIn(patchOrder, a) - indexIn(patchOrder, b),
  );
  const byServer = [...serverOnly].sort(
    (a, b) => indexIn(serverOrder, a) - indexIn(serverOrder, b),
  );
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < byServer.length || j < byPatch.length) {
    if (j >= byPatch.length) {
      result.push(byServer[i++]);
    } else if (i >= byServer.length) {
      result.push(byPatch[j++]);
    } else {
      const left = indexIn(serverOrder, byServer[i]);
      const right = indexIn(serverOrder, byPatch[j]);
      if (left >= 0 && right >= 0 && left < right) {
        result.push(byServer[i++]);
      } else {
        result.push(byPatch[j++]);
      }
    }
  }
  return result;
}

/** Drops every `$…` directive key left anywhere in a value. */
function withoutDirectives<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(withoutDirectives) as T;
  }
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith('$'))
        .map(([key, child]) => [key, withoutDirectives(child)]),
    ) as T;
  }
  return value;
}
