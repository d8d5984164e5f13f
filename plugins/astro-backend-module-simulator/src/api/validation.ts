/**
 * The validation a real API server does that matters to the suite: names,
 * and the required fields of the kinds a Deployment renders. Anything else
 * is accepted as sent (the simulator does not check schemas).
 */
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  arr,
  at,
  isRecord,
  JsonObject,
  num,
  str,
  stringMap,
} from '../store/objects';
import { matchesStructuredSelector } from '../store/labelSelector';
import { ResourceType } from './resources';
import { StatusCause } from './status';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field };
}

function invalid(field: string, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', message, field };
}

function validateName(type: ResourceType, name: unknown): StatusCause[] {
  if (typeof name !== 'string' || name === '') {
    return [required('metadata.name')];
  }
  const label = LABEL_NAMED.has(type.kind);
  const valid = label
    ? DNS1123_LABEL.test(name) && name.length <= 63
    : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  return valid
    ? []
    : [
        invalid(
          'metadata.name',
          `Invalid value: "${name}": a lowercase RFC 1123 ${
            label ? 'label' : 'subdomain'
          } must consist of lower case alphanumeric characters, '-' or '.'`,
        ),
      ];
}

function validateLabels(object: KubernetesObject): StatusCause[] {
  const labels = object.metadata.labels;
  if (labels === undefined) {
    return [];
  }
  if (!isRecord(labels)) {
    return [invalid('metadata.labels', 'must be a map of strings')];
  }
  return Object.entries(labels)
    .filter(([, value]) => typeof value !== 'string' || value.length > 63)
    .map(([key]) =>
      invalid(
        `metadata.labels`,
        `Invalid value for "${key}": must be a string of no more than 63 characters`,
      ),
    );
}

function validateContainers(
  podSpec: unknown,
  field: string,
  options: { job?: boolean } = {},
): StatusCause[] {
  if (!isRecord(podSpec)) {
    return [required(field)];
  }
  const causes: StatusCause[] = [];
  const containers = arr(podSpec.containers);
  if (containers.length === 0) {
    causes.push(required(`${field}.containers`));
  }
  containers.forEach((container, index) => {
    if (!str(at(container, 'name'))) {
      causes.push(required(`${field}.containers[${index}].name`));
    }
    if (!str(at(container, 'image'))) {
      causes.push(required(`${field}.containers[${index}].image`));
    }
  });
  if (options.job) {
    const policy = str(podSpec.restartPolicy);
    if (policy !== 'Never' && policy !== 'OnFailure') {
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${
          policy ?? 'Always'
        }": supported values: "OnFailure", "Never"`,
        field: `${field}.restartPolicy`,
      });
    }
  }
  return causes;
}

function validateWorkload(spec: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isRecord(spec.selector)) {
    causes.push(required('spec.selector'));
  }
  const template = spec.template;
  if (!isRecord(template)) {
    return [...causes, required('spec.template')];
  }
  const labels = stringMap(at(template, 'metadata', 'labels'));
  if (
    isRecord(spec.selector) &&
    !matchesStructuredSelector(spec.selector, labels)
  ) {
    causes.push(
      invalid(
        'spec.template.metadata.labels',
        '`selector` does not match template `labels`',
      ),
    );
  }
  const replicas = spec.replicas;
  if (replicas !== undefined && (num(replicas) ?? -1) < 0) {
    causes.push(invalid('spec.replicas', 'must be greater than or equal to 0'));
  }
  return [
    ...causes,
    ...validateContainers(template.spec, 'spec.template.spec'),
  ];
}

function validateSpec(
  type: ResourceType,
  object: KubernetesObject,
): StatusCause[] {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  switch (type.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      return spec ? validateWorkload(spec) : [required('spec')];
    case 'Job':
      return spec
        ? validateContainers(
            at(spec, 'template', 'spec'),
            'spec.template.spec',
            {
              job: true,
            },
          )
        : [required('spec.template')];
    case 'CronJob':
      return spec && str(spec.schedule)
        ? validateContainers(
            at(spec, 'jobTemplate', 'spec', 'template', 'spec'),
            'spec.jobTemplate.spec.template.spec',
            { job: true },
          )
        : [required('spec.schedule')];
    case 'Pod':
      return validateContainers(spec, 'spec');
    case 'Service': {
      const headless = spec?.clusterIP === 'None';
      const ports = arr(spec?.ports);
      if (ports.length === 0 && !headless && spec?.type !== 'ExternalName') {
        return [required('spec.ports')];
      }
      return ports.flatMap((port, index) =>
        num(at(port, 'port')) === undefined
          ? [required(`spec.ports[${index}].port`)]
          : [],
      );
    }
    case 'RoleBinding': {
      const roleRef = object.roleRef;
      return ['kind', 'name'].flatMap(field =>
        str(at(roleRef, field)) ? [] : [required(`roleRef.${field}`)],
      );
    }
    case 'LimitRange':
      return arr(spec?.limits).length > 0 ? [] : [required('spec.limits')];
    case 'NetworkPolicy':
      return isRecord(spec?.podSelector) ? [] : [required('spec.podSelector')];
    case 'PodDisruptionBudget':
      return spec?.minAvailable !== undefined &&
        spec?.maxUnavailable !== undefined
        ? [
            invalid(
              'spec',
              'minAvailable and maxUnavailable cannot be both set',
            ),
          ]
        : [];
    case 'HorizontalPodAutoscaler': {
      const causes: StatusCause[] = [];
      if (!str(at(spec, 'scaleTargetRef', 'kind'))) {
        causes.push(required('spec.scaleTargetRef.kind'));
      }
      if (!str(at(spec, 'scaleTargetRef', 'name'))) {
        causes.push(required('spec.scaleTargetRef.name'));
      }
      if (num(spec?.maxReplicas) === undefined) {
        causes.push(required('spec.maxReplicas'));
      }
      return causes;
    }
    case 'ScaledObject': {
      const causes: StatusCause[] = [];
      if (!str(at(spec, 'scaleTargetRef', 'name'))) {
        causes.push(required('spec.scaleTargetRef.name'));
      }
      if (arr(spec?.triggers).length === 0) {
        causes.push(required('spec.triggers'));
      }
      return causes;
    }
    case 'Event':
      return isRecord(object.involvedObject)
        ? []
        : [required('involvedObject')];
    default:
      return [];
  }
}

/** The reasons a real API server would reject the object with `422`. */
export function validateObject(
  type: ResourceType,
  object: KubernetesObject,
): StatusCause[] {
  return [
    ...validateName(type, object.metadata.name),
    ...validateLabels(object),
    ...validateSpec(type, object),
  ];
}
