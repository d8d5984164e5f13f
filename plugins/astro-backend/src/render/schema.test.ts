import {
  ScaledObject,
  TriggerAuthentication,
} from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  LimitRange,
  Namespace,
  Pod,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { parse } from 'yaml';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { renderDeployment } from './renderDeployment';
import { renderMatrix } from './__testUtils__/renderInputs';

/*
 * Protects the cluster from objects it would reject or silently trim: every
 * object of every matrix case validates against the Kubernetes 1.27 schemas
 * (kubernetes-models) or KEDA's CRDs (@kubernetes-models/keda), and carries
 * no field the API does not know. kubernetes-models ignores unknown fields,
 * so built-in kinds also round-trip through client-node's ObjectSerializer,
 * which drops them; KEDA kinds are checked against the field names of
 * @kubernetes-models/keda's types.
 */

interface Validatable {
  validate(): void;
}

const KINDS: Record<
  string,
  { model: new (data: any) => Validatable; serializerType?: string }
> = {
  'v1/Namespace': { model: Namespace, serializerType: 'V1Namespace' },
  'v1/ResourceQuota': {
    model: ResourceQuota,
    serializerType: 'V1ResourceQuota',
  },
  'v1/LimitRange': { model: LimitRange, serializerType: 'V1LimitRange' },
  'v1/ServiceAccount': {
    model: ServiceAccount,
    serializerType: 'V1ServiceAccount',
  },
  'v1/Secret': { model: Secret, serializerType: 'V1Secret' },
  'v1/ConfigMap': { model: ConfigMap, serializerType: 'V1ConfigMap' },
  'v1/Service': { model: Service, serializerType: 'V1Service' },
  'v1/Pod': { model: Pod, serializerType: 'V1Pod' },
  'apps/v1/Deployment': { model: Deployment, serializerType: 'V1Deployment' },
  'apps/v1/StatefulSet': {
    model: StatefulSet,
    serializerType: 'V1StatefulSet',
  },
  'batch/v1/Job': { model: Job, serializerType: 'V1Job' },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    serializerType: 'V1PodDisruptionBudget',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    serializerType: 'V2HorizontalPodAutoscaler',
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    model: NetworkPolicy,
    serializerType: 'V1NetworkPolicy',
  },
  'rbac.authorization.k8s.io/v1/Role': {
    model: Role,
    serializerType: 'V1Role',
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    model: RoleBinding,
    serializerType: 'V1RoleBinding',
  },
  'keda.sh/v1alpha1/ScaledObject': { model: ScaledObject },
  'keda.sh/v1alpha1/TriggerAuthentication': { model: TriggerAuthentication },
};

/** A field list: `true` = any value, a nested shape, `[shape]` = array of it, `'map'` = string map. */
type Shape = { [key: string]: true | 'map' | Shape | [Shape] };

const OBJECT_META: Shape = {
  name: true,
  namespace: true,
  labels: 'map',
  annotations: 'map',
};

/** Field names of KEDA's CRDs, as @kubernetes-models/keda types them. */
const KEDA_SHAPES: Record<string, Shape> = {
  ScaledObject: {
    apiVersion: true,
    kind: true,
    metadata: OBJECT_META,
    spec: {
      advanced: true,
      cooldownPeriod: true,
      fallback: { failureThreshold: true, replicas: true },
      idleReplicaCount: true,
      maxReplicaCount: true,
      minReplicaCount: true,
      pollingInterval: true,
      scaleTargetRef: {
        apiVersion: true,
        envSourceContainerName: true,
        kind: true,
        name: true,
      },
      triggers: [
        {
          authenticationRef: { kind: true, name: true },
          metadata: 'map',
          metricType: true,
          name: true,
          type: true,
          useCachedMetrics: true,
        },
      ],
    },
  },
  TriggerAuthentication: {
    apiVersion: true,
    kind: true,
    metadata: OBJECT_META,
    spec: {
      secretTargetRef: [{ key: true, name: true, parameter: true }],
    },
  },
};

function unknownFields(value: unknown, shape: Shape, path: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`${path} is not an object`];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const rule = shape[key];
    const at = `${path}.${key}`;
    if (rule === undefined) {
      return [at];
    }
    if (rule === true) {
      return [];
    }
    if (rule === 'map') {
      return Object.values(child as object).every(v => typeof v === 'string')
        ? []
        : [`${at} has a value that is not a string`];
    }
    if (Array.isArray(rule)) {
      return Array.isArray(child)
        ? child.flatMap((item, i) =>
            unknownFields(item, rule[0], `${at}[${i}]`),
          )
        : [`${at} is not an array`];
    }
    return unknownFields(child, rule, at);
  });
}

/** Every path where `actual` differs from `expected`. */
function differences(expected: unknown, actual: unknown, path = ''): string[] {
  if (
    expected !== null &&
    actual !== null &&
    typeof expected === 'object' &&
    typeof actual === 'object'
  ) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap(key =>
      differences(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}.${key}`,
      ),
    );
  }
  return expected === actual ? [] : [path || '.'];
}

/** Objects of all matrix cases, plus the Kubernetes executor's task pods. */
function everyObject(): Array<[string, KubernetesObject]> {
  return renderMatrix().flatMap(({ name, input }) =>
    renderDeployment(input).objects.flatMap(({ object }) => {
      const entries: Array<[string, KubernetesObject]> = [
        [`${name}: ${object.kind}/${object.metadata.name}`, object],
      ];
      const template = (object.data as Record<string, string> | undefined)?.[
        'pod_template_file.yaml'
      ];
      if (object.kind === 'ConfigMap' && template) {
        entries.push([`${name}: task pod template`, parse(template)]);
      }
      return entries;
    }),
  );
}

describe('rendered objects against the Kubernetes schemas', () => {
  const objects = everyObject();
  let ObjectSerializer: {
    deserialize(data: unknown, type: string, format: string): unknown;
    serialize(data: unknown, type: string, format: string): unknown;
  };

  /** The object as client-node reads and writes it: unknown fields dropped. */
  function roundTrip(object: unknown, type: string): unknown {
    const model = ObjectSerializer.deserialize(
      structuredClone(object),
      type,
      '',
    );
    return JSON.parse(
      JSON.stringify(ObjectSerializer.serialize(model, type, '')),
    );
  }

  beforeAll(async () => {
    // client-node 1.4 does not re-export its serializer from the package root.
    ({ ObjectSerializer } = await import(
      '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js'
    ));
  });

  it('renders only kinds this test knows how to validate', () => {
    const unknownKinds = objects
      .map(([, o]) => `${o.apiVersion}/${o.kind}`)
      .filter(kind => !KINDS[kind]);
    expect([...new Set(unknownKinds)]).toEqual([]);
  });

  it('covers every kind of the table above', () => {
    const seen = new Set(objects.map(([, o]) => `${o.apiVersion}/${o.kind}`));
    expect(Object.keys(KINDS).filter(kind => !seen.has(kind))).toEqual([]);
  });

  it('validates every object against its schema', () => {
    const failures: string[] = [];
    for (const [where, object] of objects) {
      const { model: Model } = KINDS[`${object.apiVersion}/${object.kind}`];
      try {
        new Model(structuredClone(object)).validate();
      } catch (error) {
        failures.push(`${where}: ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('gives no object a field the API does not know', () => {
    const failures: string[] = [];
    for (const [where, object] of objects) {
      const { serializerType } = KINDS[`${object.apiVersion}/${object.kind}`];
      let unknown: string[];
      if (serializerType) {
        unknown = differences(object, roundTrip(object, serializerType));
      } else {
        unknown = unknownFields(object, KEDA_SHAPES[object.kind], '');
      }
      failures.push(...unknown.map(path => `${where}: ${path}`));
    }
    expect(failures).toEqual([]);
  });

  it('rejects an invalid object (the validation itself works)', () => {
    const [, deployment] = objects.find(([, o]) => o.kind === 'Deployment')!;
    const invalid = structuredClone(deployment) as any;
    invalid.spec.replicas = 'two';
    expect(() => new Deployment(invalid).validate()).toThrow(/replicas/);
  });

  it('detects an unknown field (the check itself works)', () => {
    const [, deployment] = objects.find(([, o]) => o.kind === 'Deployment')!;
    const tampered = structuredClone(deployment) as any;
    tampered.spec.template.spec.containers[0].bogusField = 1;
    expect(differences(tampered, roundTrip(tampered, 'V1Deployment'))).toEqual([
      '.spec.template.spec.containers.0.bogusField',
    ]);
    const [, scaledObject] = objects.find(
      ([, o]) => o.kind === 'ScaledObject',
    )!;
    expect(
      unknownFields(
        {
          ...scaledObject,
          spec: { ...(scaledObject.spec as object), paused: true },
        },
        KEDA_SHAPES.ScaledObject,
        '',
      ),
    ).toEqual(['.spec.paused']);
  });
});
