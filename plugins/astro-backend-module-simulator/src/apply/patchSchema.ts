/**
 * The strategic-merge metadata of the served kinds: which lists merge by
 * which key, which primitive lists merge as sets, which maps are replaced
 * whole. It mirrors the `patchStrategy` / `patchMergeKey` struct tags of the
 * Kubernetes API types (the `x-kubernetes-patch-strategy` /
 * `x-kubernetes-patch-merge-key` extensions of their OpenAPI documents) for
 * the fields of the kinds the simulator serves. Status fields are left out:
 * writes to the main resource ignore `.status` of kinds that have one.
 *
 * A field absent from a schema follows the default: maps merge key by key,
 * lists are replaced whole.
 *
 * Server-side apply reads the same metadata, as the API server derives
 * list types from it: a merged list of objects is an associative list
 * (`x-kubernetes-list-type: map`) keyed by its merge key (or its
 * `listMapKeys`), a merged list of primitives is a set, any other list is
 * atomic.
 */

/** How one field of an object merges. */
export interface PatchField {
  /**
   * `merge` for lists merged element by element (by `mergeKey` for lists of
   * objects, as a set for primitives); `replace` for maps replaced whole.
   */
  strategy?: 'merge' | 'replace';
  /** The field identifying an element of a merged list of objects. */
  mergeKey?: string;
  /** The schema of the field's value (or of each element of a list). */
  schema?: PatchSchema;
  /**
   * The keys of an element of the list for server-side apply, where they
   * are more than the merge key (`x-kubernetes-list-map-keys`, e.g. a
   * container port is `containerPort` and `protocol`).
   */
  listMapKeys?: readonly string[];
}

/**
 * Defaults of list-map keys, used when an element leaves the key out (a
 * port without `protocol` is a TCP port, as the server defaults it).
 */
export const LIST_MAP_KEY_DEFAULTS: Readonly<Record<string, unknown>> = {
  protocol: 'TCP',
};

/** The keys identifying an element of a merged list of objects. */
export function listMapKeysOf(field: PatchField): readonly string[] {
  if (field.listMapKeys) {
    return field.listMapKeys;
  }
  return field.mergeKey ? [field.mergeKey] : [];
}

/** The fields of an object that do not merge by default. */
export type PatchSchema = Readonly<Record<string, PatchField>>;

const mergeBy = (mergeKey: string, schema?: PatchSchema): PatchField => ({
  strategy: 'merge',
  mergeKey,
  ...(schema ? { schema } : {}),
});

/** `ObjectMeta`. */
const OBJECT_META: PatchSchema = {
  finalizers: { strategy: 'merge' },
  ownerReferences: mergeBy('uid'),
};

/** `Container` and `EphemeralContainer`. */
const CONTAINER: PatchSchema = {
  ports: {
    ...mergeBy('containerPort'),
    listMapKeys: ['containerPort', 'protocol'],
  },
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
};

/** `PodSpec`. */
const POD_SPEC: PatchSchema = {
  volumes: mergeBy('name'),
  initContainers: mergeBy('name', CONTAINER),
  containers: mergeBy('name', CONTAINER),
  ephemeralContainers: mergeBy('name', CONTAINER),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: {
    ...mergeBy('topologyKey'),
    listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
  },
  schedulingGates: mergeBy('name'),
  resourceClaims: mergeBy('name'),
};

/** `PodTemplateSpec`. */
const POD_TEMPLATE: PatchSchema = {
  metadata: { schema: OBJECT_META },
  spec: { schema: POD_SPEC },
};

const withSpec = (spec: PatchSchema): PatchSchema => ({
  metadata: { schema: OBJECT_META },
  spec: { schema: spec },
});

const JOB_SPEC: PatchSchema = { template: { schema: POD_TEMPLATE } };

const SCHEMAS: Record<string, PatchSchema> = {
  Pod: withSpec(POD_SPEC),
  Deployment: withSpec({ template: { schema: POD_TEMPLATE } }),
  ReplicaSet: withSpec({ template: { schema: POD_TEMPLATE } }),
  StatefulSet: withSpec({ template: { schema: POD_TEMPLATE } }),
  DaemonSet: withSpec({ template: { schema: POD_TEMPLATE } }),
  Job: withSpec(JOB_SPEC),
  CronJob: withSpec({
    jobTemplate: {
      schema: { metadata: { schema: OBJECT_META }, spec: { schema: JOB_SPEC } },
    },
  }),
  Service: withSpec({
    ports: { ...mergeBy('port'), listMapKeys: ['port', 'protocol'] },
  }),
  ServiceAccount: {
    metadata: { schema: OBJECT_META },
    secrets: mergeBy('name'),
  },
  PodDisruptionBudget: withSpec({ selector: { strategy: 'replace' } }),
};

const METADATA_ONLY: PatchSchema = { metadata: { schema: OBJECT_META } };

/** The strategic-merge schema of a built-in kind. */
export function patchSchemaOf(kind: string): PatchSchema {
  return SCHEMAS[kind] ?? METADATA_ONLY;
}
