/**
 * Field selectors (`fieldSelector=a=b,c!=d`) with the fields a real API
 * server supports for the served kinds.
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { statusErrors } from '../api/status';
import { at } from './objects';

/** Whether an object matches every requirement of a field selector. */
export type FieldPredicate = (object: KubernetesObject) => boolean;

type FieldReader = (object: KubernetesObject) => unknown;

const COMMON: Record<string, FieldReader> = {
  'metadata.name': o => o.metadata.name,
  'metadata.namespace': o => o.metadata.namespace,
};

const path =
  (...keys: string[]): FieldReader =>
  object =>
    at(object, ...keys);

/** The selectable fields per kind beyond `metadata.name` and `metadata.namespace`. */
const BY_KIND: Record<string, Record<string, FieldReader>> = {
  Pod: {
    'spec.nodeName': path('spec', 'nodeName'),
    'spec.restartPolicy': path('spec', 'restartPolicy'),
    'spec.schedulerName': path('spec', 'schedulerName'),
    'spec.serviceAccountName': path('spec', 'serviceAccountName'),
    'spec.hostNetwork': o => String(at(o, 'spec', 'hostNetwork') === true),
    'status.phase': path('status', 'phase'),
    'status.podIP': path('status', 'podIP'),
    'status.nominatedNodeName': path('status', 'nominatedNodeName'),
  },
  Event: {
    'involvedObject.kind': path('involvedObject', 'kind'),
    'involvedObject.namespace': path('involvedObject', 'namespace'),
    'involvedObject.name': path('involvedObject', 'name'),
    'involvedObject.uid': path('involvedObject', 'uid'),
    'involvedObject.apiVersion': path('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': path('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': path('involvedObject', 'fieldPath'),
    reason: path('reason'),
    reportingComponent: path('reportingComponent'),
    source: path('source', 'component'),
    type: path('type'),
  },
  Secret: { type: path('type') },
  Namespace: { 'status.phase': path('status', 'phase') },
  ReplicaSet: { 'status.replicas': path('status', 'replicas') },
  Job: { 'status.successful': path('status', 'succeeded') },
  Service: {
    'spec.clusterIP': path('spec', 'clusterIP'),
    'spec.type': path('spec', 'type'),
  },
};

/** Splits on commas that are not escaped with a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      current += text[i] + text[i + 1];
      i++;
    } else if (text[i] === separator) {
      parts.push(current);
      current = '';
    } else {
      current += text[i];
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/**
 * Parses a field selector for a kind. Operators `=`, `==` and `!=`; a
 * missing field compares as the empty string. `400 BadRequest` for a
 * malformed requirement or a field the kind does not support.
 */
export function parseFieldSelector(
  kind: string,
  selector: string | undefined | null,
): FieldPredicate | undefined {
  if (!selector || selector.trim() === '') {
    return undefined;
  }
  const fields = { ...COMMON, ...BY_KIND[kind] };
  const requirements = splitUnescaped(selector, ',').map(requirement => {
    const match = /^\s*([^=!\s]+)\s*(==|!=|=)(.*)$/.exec(requirement);
    if (!match) {
      throw statusErrors.badRequest(
        `invalid field selector: "${requirement}" is not of the form field=value, field==value or field!=value`,
      );
    }
    const [, field, operator, rawValue] = match;
    const read = fields[field];
    if (!read) {
      throw statusErrors.badRequest(
        `field label not supported: ${field} (kind ${kind})`,
      );
    }
    const value = unescape(rawValue.trim());
    return (object: KubernetesObject) => {
      const actual = read(object);
      const text =
        actual === undefined || actual === null ? '' : String(actual);
      return operator === '!=' ? text !== value : text === value;
    };
  });
  return object => requirements.every(requirement => requirement(object));
}
