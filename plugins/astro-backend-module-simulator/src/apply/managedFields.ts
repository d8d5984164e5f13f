/**
 * `metadata.managedFields`: which field manager owns which fields, read from
 * and written to objects.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { arr, isRecord, str } from '../store/objects';
import { decodeFieldsV1, encodeFieldsV1 } from './fieldSet';

/** One manager's ownership, with its fields decoded to path keys. */
export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Set<string>;
}

/** Reads an object's managed fields. */
export function readManagedFields(
  object: KubernetesObject | undefined,
): ManagedEntry[] {
  if (!object) {
    return [];
  }
  return arr(object.metadata.managedFields)
    .filter(isRecord)
    .map(entry => ({
      manager: str(entry.manager) ?? '',
      operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: str(entry.apiVersion) ?? object.apiVersion,
      time: str(entry.time) ?? '',
      ...(str(entry.subresource)
        ? { subresource: str(entry.subresource) }
        : {}),
      fields: decodeFieldsV1(entry.fieldsV1),
    }));
}

/** Writes managed fields onto an object, dropping entries that own nothing. */
export function writeManagedFields(
  object: KubernetesObject,
  entries: ManagedEntry[],
): void {
  const kept = entries.filter(entry => entry.fields.size > 0);
  if (kept.length === 0) {
    delete object.metadata.managedFields;
    return;
  }
  object.metadata.managedFields = kept.map(entry => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    time: entry.time,
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFieldsV1([...entry.fields].sort()),
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
  }));
}

/** Whether two entries are the same manager, operation and subresource. */
export function sameOwner(
  entry: ManagedEntry,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource?: string,
): boolean {
  return (
    entry.manager === manager &&
    entry.operation === operation &&
    entry.subresource === subresource
  );
}

/** The current time as managed fields record it (seconds precision). */
export function managedTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
