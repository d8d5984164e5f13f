/**
 * Resolves a simulated container's environment the way the kubelet does
 * before starting it: `envFrom` ConfigMaps and Secrets, then `env` entries
 * with literal values, `secretKeyRef`, `configMapKeyRef` and `fieldRef`.
 * Secret data is base64, as the API stores it.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ResourceCatalog } from '../api/resources';
import { ObjectStore } from '../store/ObjectStore';
import {
  arr,
  at,
  isRecord,
  JsonObject,
  labelsOf,
  annotationsOf,
  str,
  stringMap,
} from '../store/objects';

const SECRET = ResourceCatalog.kind('Secret');
const CONFIG_MAP = ResourceCatalog.kind('ConfigMap');

/** A container's resolved environment, or why the kubelet would not start it. */
export interface ResolvedEnv {
  values: Record<string, string>;
  /** Like the kubelet's `CreateContainerConfigError` messages. */
  errors: string[];
}

/** The containers (and init containers) of a pod, by name. */
export function podContainer(
  pod: KubernetesObject,
  name: string,
  field: 'containers' | 'initContainers',
): JsonObject | undefined {
  return arr(at(pod, 'spec', field))
    .filter(isRecord)
    .find(container => container.name === name);
}

function fieldValue(pod: KubernetesObject, path: string): string | undefined {
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) {
    return labelsOf(pod)[label[1]];
  }
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (annotation) {
    return annotationsOf(pod)[annotation[1]];
  }
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return str(at(pod, 'spec', 'nodeName')) ?? 'simulator-node-1';
    case 'spec.serviceAccountName':
      return str(at(pod, 'spec', 'serviceAccountName')) ?? 'default';
    case 'status.podIP':
      return str(at(pod, 'status', 'podIP'));
    case 'status.hostIP':
      return str(at(pod, 'status', 'hostIP'));
    default:
      return undefined;
  }
}

/** The decoded entries of a Secret (`data` is base64; `stringData` plain). */
function secretEntries(secret: KubernetesObject): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(stringMap(secret.data))) {
    entries[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  return { ...stringMap(at(secret, 'stringData')), ...entries };
}

function configMapEntries(configMap: KubernetesObject): Record<string, string> {
  return stringMap(configMap.data);
}

/** Which of a Secret or ConfigMap reference is given. */
function sourceRef(
  secret: unknown,
  configMap: unknown,
): { kind: 'secret' | 'configmap'; ref: JsonObject } | undefined {
  if (isRecord(secret)) {
    return { kind: 'secret', ref: secret };
  }
  return isRecord(configMap)
    ? { kind: 'configmap', ref: configMap }
    : undefined;
}

/** Resolves the environment of one container of a pod. */
export function resolveContainerEnv(
  store: ObjectStore,
  pod: KubernetesObject,
  container: JsonObject,
): ResolvedEnv {
  const namespace = pod.metadata.namespace;
  const values: Record<string, string> = {};
  const errors: string[] = [];
  const source = (kind: 'secret' | 'configmap', name: string) => {
    const object =
      kind === 'secret'
        ? store.get(SECRET, namespace, name)
        : store.get(CONFIG_MAP, namespace, name);
    if (!object) {
      return undefined;
    }
    return kind === 'secret' ? secretEntries(object) : configMapEntries(object);
  };

  for (const from of arr(container.envFrom).filter(isRecord)) {
    const prefix = str(from.prefix) ?? '';
    const ref = sourceRef(from.secretRef, from.configMapRef);
    if (!ref) {
      continue;
    }
    const name = str(ref.ref.name) ?? '';
    const entries = source(ref.kind, name);
    if (!entries) {
      if (ref.ref.optional !== true) {
        errors.push(`${ref.kind} "${name}" not found`);
      }
      continue;
    }
    for (const [key, value] of Object.entries(entries)) {
      values[`${prefix}${key}`] = value;
    }
  }

  for (const entry of arr(container.env).filter(isRecord)) {
    const name = str(entry.name);
    if (!name) {
      continue;
    }
    if (typeof entry.value === 'string') {
      values[name] = entry.value;
      continue;
    }
    const from = isRecord(entry.valueFrom) ? entry.valueFrom : undefined;
    if (!from) {
      values[name] = '';
      continue;
    }
    if (isRecord(from.fieldRef)) {
      const path = str(from.fieldRef.fieldPath) ?? '';
      const value = fieldValue(pod, path);
      if (value === undefined) {
        errors.push(`unsupported fieldRef "${path}" of ${name}`);
      } else {
        values[name] = value;
      }
      continue;
    }
    const ref = sourceRef(from.secretKeyRef, from.configMapKeyRef);
    if (!ref) {
      errors.push(`unsupported valueFrom of ${name}`);
      continue;
    }
    const sourceName = str(ref.ref.name) ?? '';
    const key = str(ref.ref.key) ?? '';
    const entries = source(ref.kind, sourceName);
    const value = entries?.[key];
    if (value === undefined) {
      if (ref.ref.optional !== true) {
        errors.push(
          entries
            ? `couldn't find key ${key} in ${
                ref.kind === 'secret' ? 'Secret' : 'ConfigMap'
              } ${namespace}/${sourceName}`
            : `${ref.kind} "${sourceName}" not found`,
        );
      }
      continue;
    }
    values[name] = value;
  }
  return { values, errors };
}
