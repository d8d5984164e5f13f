/**
 * Server-side apply and ownership tracking of ordinary updates.
 *
 * The simulator follows the model of the real API server: every field is
 * owned by the managers that set it; an apply owns exactly the fields of
 * its configuration; it fails with a conflict when it would change a value
 * another manager owns, unless forced, which moves ownership to the
 * applier; fields the applier stops sending are removed unless another
 * manager still owns them. Lists with merge keys (containers by `name`,
 * env by `name`, ports by `containerPort` and `protocol`, …) are
 * associative: each element and each of its fields is owned on its own, so
 * managers can own different elements of one list; merged primitive lists
 * (`finalizers`) are sets; other lists are atomic. Simplification: a
 * `null` in a configuration is dropped rather than treated as a removal.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { StatusCause, statusErrors } from '../api/status';
import { clone, deepEqual, isRecord, JsonObject } from '../store/objects';
import {
  describePath,
  isElementPath,
  leafKeys,
  mergeInto,
  pathFromKey,
  pathKey,
  removeAt,
  valueAt,
} from './fieldSet';
import {
  ManagedEntry,
  managedTime,
  readManagedFields,
  sameOwner,
  writeManagedFields,
} from './managedFields';
import { PatchSchema, patchSchemaOf } from './patchSchema';

/** Metadata fields the server owns; never part of anyone's fields. */
const SERVER_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

function withoutNulls(value: JsonObject): JsonObject {
  const strip = (child: unknown): unknown => {
    if (Array.isArray(child)) {
      return child.map(strip);
    }
    return isRecord(child) ? withoutNulls(child) : child;
  };
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null && child !== undefined)
      .map(([key, child]) => [key, strip(child)]),
  );
}

/**
 * The part of an object that field managers own: everything except
 * apiVersion, kind, server-owned metadata and (where `part` says so) the
 * status or everything but the status.
 */
export function ownedPart(
  object: KubernetesObject,
  part: 'main' | 'status' | 'all',
): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') {
      continue;
    }
    if (part === 'main' && key === 'status') {
      continue;
    }
    if (part === 'status' && key !== 'status') {
      continue;
    }
    if (key === 'metadata' && isRecord(value)) {
      const metadata = Object.fromEntries(
        Object.entries(value).filter(
          ([field]) => !SERVER_METADATA.includes(field),
        ),
      );
      if (Object.keys(metadata).length > 0) {
        result.metadata = metadata;
      }
      continue;
    }
    result[key] = value;
  }
  return result;
}

interface Conflict {
  manager: string;
  apiVersion: string;
  field: string;
}

function conflictError(conflicts: Conflict[]): Error {
  const causes: StatusCause[] = conflicts.map(conflict => ({
    reason: 'FieldManagerConflict',
    message: `conflict with "${conflict.manager}" using ${conflict.apiVersion}`,
    field: conflict.field,
  }));
  const summary =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${causes[0].message}: ${causes[0].field}`
      : `Apply failed with ${conflicts.length} conflicts: ${causes
          .map(cause => `${cause.message}: ${cause.field}`)
          .join('; ')}`;
  return statusErrors.conflict(summary, causes);
}

/**
 * Applies a configuration on top of the live object (or nothing, for a
 * create). Returns the merged object with updated managed fields; throws a
 * `409 Conflict` status listing the conflicting managers and fields.
 */
export function applyConfiguration(options: {
  live: KubernetesObject | undefined;
  config: KubernetesObject;
  manager: string;
  force: boolean;
  /** Whether `.status` is a subresource, ignored in the main resource. */
  statusSubresource: boolean;
}): KubernetesObject {
  const { live, config, manager, force } = options;
  const desired = withoutNulls(
    ownedPart(config, options.statusSubresource ? 'main' : 'all'),
  );
  const schema = patchSchemaOf(config.kind);
  const desiredKeys = leafKeys(desired, schema);

  const entries = readManagedFields(live);
  const previous = entries.find(entry => sameOwner(entry, manager, 'Apply'));
  const others = entries.filter(entry => entry !== previous);

  const conflicts: Conflict[] = [];
  for (const other of others) {
    for (const key of desiredKeys) {
      if (!other.fields.has(key)) {
        continue;
      }
      const path = pathFromKey(key);
      // A list element both have is no change; its fields are compared.
      const same = isElementPath(path)
        ? valueAt(live, path) !== undefined
        : deepEqual(valueAt(live, path), valueAt(desired, path));
      if (!same) {
        conflicts.push({
          manager: other.manager,
          apiVersion: other.apiVersion,
          field: describePath(path),
        });
        if (force) {
          other.fields.delete(key);
        }
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    throw conflictError(conflicts);
  }

  const next: KubernetesObject = live
    ? clone(live)
    : {
        apiVersion: config.apiVersion,
        kind: config.kind,
        metadata: {
          name: config.metadata.name,
          ...(config.metadata.namespace
            ? { namespace: config.metadata.namespace }
            : {}),
        },
      };
  // A field stays when another manager owns it or anything inside it.
  const ownedByOthers = new Set<string>();
  for (const key of others.flatMap(other => [...other.fields])) {
    const path = pathFromKey(key);
    for (let length = 1; length <= path.length; length++) {
      ownedByOthers.add(pathKey(path.slice(0, length)));
    }
  }
  for (const key of previous?.fields ?? []) {
    if (!desiredKeys.has(key) && !ownedByOthers.has(key)) {
      removeAt(next, pathFromKey(key));
    }
  }
  mergeInto(next, desired, schema);

  const unchanged =
    previous !== undefined &&
    previous.apiVersion === config.apiVersion &&
    deepEqual([...previous.fields].sort(), [...desiredKeys].sort());
  const mine: ManagedEntry = {
    manager,
    operation: 'Apply',
    apiVersion: config.apiVersion,
    time: unchanged && previous ? previous.time : managedTime(),
    fields: desiredKeys,
  };
  writeManagedFields(next, [
    ...(previous ? entries.map(e => (e === previous ? mine : e)) : entries),
    ...(previous ? [] : [mine]),
  ]);
  return next;
}

/**
 * The value of every owned path; a list element counts as present only (a
 * change inside it is a change of its fields).
 */
function leafValues(
  value: JsonObject,
  schema: PatchSchema,
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const key of leafKeys(value, schema)) {
    const path = pathFromKey(key);
    values.set(key, isElementPath(path) ? true : valueAt(value, path));
  }
  return values;
}

/**
 * Records an ordinary write (create, update, patch, or a controller's
 * change) in managed fields: the manager takes ownership of every field it
 * changed, away from any other manager, as the real server does for
 * non-apply writes. Returns `next` with updated managed fields.
 *
 * When a patch itself changed `metadata.managedFields` of an existing
 * object (as `kubectl apply --server-side` does with a JSON patch to move
 * a client-side apply's fields to its own manager), those are the
 * ownership the write starts from, as on a real server; a list of one
 * empty entry (`[{}]`) clears them.
 */
export function recordUpdate(options: {
  live: KubernetesObject | undefined;
  next: KubernetesObject;
  manager: string;
  /** `status` for status writes, `scale` for scale writes. */
  subresource?: string;
  /**
   * Whether `metadata.managedFields` changed by the write are taken as
   * given (client patches); otherwise the live object's are the base.
   */
  takeManagedFields?: boolean;
}): KubernetesObject {
  const { live, manager, subresource } = options;
  const next = clone(options.next);
  const part = subresource === 'status' ? 'status' : 'main';
  const schema = patchSchemaOf(next.kind);
  const before = live ? leafValues(ownedPart(live, part), schema) : new Map();
  const after = leafValues(ownedPart(next, part), schema);
  const changed = [...after.keys()].filter(
    key => !before.has(key) || !deepEqual(before.get(key), after.get(key)),
  );
  const removed = [...before.keys()].filter(key => !after.has(key));
  const entries =
    live &&
    options.takeManagedFields &&
    options.next.metadata.managedFields !== undefined &&
    !deepEqual(options.next.metadata.managedFields, live.metadata.managedFields)
      ? readManagedFields(options.next)
      : readManagedFields(live);
  if (changed.length === 0 && removed.length === 0) {
    writeManagedFields(next, entries);
    return next;
  }
  let mine = entries.find(entry =>
    sameOwner(entry, manager, 'Update', subresource),
  );
  if (!mine) {
    mine = {
      manager,
      operation: 'Update',
      apiVersion: next.apiVersion,
      time: '',
      ...(subresource ? { subresource } : {}),
      fields: new Set(),
    };
    entries.push(mine);
  }
  for (const entry of entries) {
    for (const key of [...changed, ...removed]) {
      if (entry !== mine) {
        entry.fields.delete(key);
      }
    }
  }
  for (const key of changed) {
    mine.fields.add(key);
  }
  for (const key of removed) {
    mine.fields.delete(key);
  }
  mine.time = managedTime();
  writeManagedFields(next, entries);
  return next;
}
