import {
  ScaledObject,
  TriggerAuthentication,
} from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
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
 * @kubernetes-models/keda's types. The Gateway API's HTTPRoute has no model
 * here: a structural check written from its v1 CRD (standard channel,
 * gateway-api v1.2: field names, required fields, enums, formats and list
 * limits of `spec.parentRefs`, `spec.hostnames` and `spec.rules`) stands in.
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
  'networking.k8s.io/v1/Ingress': {
    model: Ingress,
    serializerType: 'V1Ingress',
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
  'gateway.networking.k8s.io/v1/HTTPRoute': {
    model: class {
      constructor(private readonly data: unknown) {}
      validate() {
        const problems = httpRouteProblems(this.data);
        if (problems.length > 0) {
          throw new Error(problems.join('; '));
        }
      }
    },
  },
};

const HOSTNAME =
  /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const OBJECT_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * What the Gateway API v1 CRD's schema rejects in an HTTPRoute, as far as
 * the renderer writes one: required fields, formats, enums and limits.
 */
function httpRouteProblems(route: any): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) {
      problems.push(problem);
    }
  };
  const spec = route?.spec ?? {};
  const refs = spec.parentRefs;
  check(
    Array.isArray(refs) && refs.length >= 1 && refs.length <= 32,
    'spec.parentRefs needs 1 to 32 entries',
  );
  (Array.isArray(refs) ? refs : []).forEach((ref: any, i: number) => {
    check(
      typeof ref.name === 'string' &&
        ref.name.length >= 1 &&
        ref.name.length <= 253,
      `spec.parentRefs[${i}].name is required (1-253 characters)`,
    );
    check(
      ref.namespace === undefined ||
        (NAMESPACE.test(ref.namespace) && ref.namespace.length <= 63),
      `spec.parentRefs[${i}].namespace is not a namespace name`,
    );
    check(
      ref.sectionName === undefined ||
        (OBJECT_NAME.test(ref.sectionName) && ref.sectionName.length <= 253),
      `spec.parentRefs[${i}].sectionName is not a section name`,
    );
  });
  const hostnames = spec.hostnames ?? [];
  check(
    Array.isArray(hostnames) && hostnames.length <= 16,
    'spec.hostnames holds at most 16 names',
  );
  hostnames.forEach((host: unknown, i: number) =>
    check(
      typeof host === 'string' && HOSTNAME.test(host) && host.length <= 253,
      `spec.hostnames[${i}] is not a hostname`,
    ),
  );
  const rules = spec.rules ?? [];
  check(
    Array.isArray(rules) && rules.length <= 16,
    'spec.rules holds at most 16 rules',
  );
  rules.forEach((rule: any, r: number) => {
    (rule.matches ?? []).forEach((match: any, m: number) => {
      const path = match.path;
      if (path) {
        check(
          ['Exact', 'PathPrefix', 'RegularExpression'].includes(path.type),
          `spec.rules[${r}].matches[${m}].path.type is not Exact, PathPrefix or RegularExpression`,
        );
        check(
          typeof path.value === 'string' &&
            path.value.startsWith('/') &&
            path.value.length <= 1024,
          `spec.rules[${r}].matches[${m}].path.value must start with "/"`,
        );
      }
    });
    check(
      (rule.matches ?? []).length <= 64,
      `spec.rules[${r}].matches holds at most 64 matches`,
    );
    (rule.backendRefs ?? []).forEach((ref: any, b: number) => {
      check(
        typeof ref.name === 'string' && OBJECT_NAME.test(ref.name),
        `spec.rules[${r}].backendRefs[${b}].name is required`,
      );
      check(
        Number.isInteger(ref.port) && ref.port >= 1 && ref.port <= 65535,
        `spec.rules[${r}].backendRefs[${b}].port is required for a Service (1-65535)`,
      );
    });
  });
  return problems;
}

/** A field list: `true` = any value, a nested shape, `[shape]` = array of it, `'map'` = string map. */
type Shape = { [key: string]: true | 'map' | Shape | [Shape] };

const OBJECT_META: Shape = {
  name: true,
  namespace: true,
  labels: 'map',
  annotations: 'map',
};

/** Field names of the CRDs: KEDA's as @kubernetes-models/keda types them, the Gateway API's HTTPRoute from its v1 CRD. */
const CRD_SHAPES: Record<string, Shape> = {
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
  HTTPRoute: {
    apiVersion: true,
    kind: true,
    metadata: OBJECT_META,
    spec: {
      parentRefs: [
        {
          group: true,
          kind: true,
          namespace: true,
          name: true,
          sectionName: true,
          port: true,
        },
      ],
      hostnames: true,
      rules: [
        {
          name: true,
          matches: [
            {
              path: { type: true, value: true },
              headers: true,
              queryParams: true,
              method: true,
            },
          ],
          filters: true,
          backendRefs: [
            {
              group: true,
              kind: true,
              name: true,
              namespace: true,
              port: true,
              weight: true,
              filters: true,
            },
          ],
          timeouts: { request: true, backendRequest: true },
          retry: true,
          sessionPersistence: true,
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
        unknown = unknownFields(object, CRD_SHAPES[object.kind], '');
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

  it('rejects an invalid HTTPRoute (the structural check itself works)', () => {
    const [, route] = objects.find(([, o]) => o.kind === 'HTTPRoute')!;
    const invalid = structuredClone(route) as any;
    invalid.spec.rules[0].matches[0].path.type = 'Prefix';
    delete invalid.spec.rules[0].backendRefs[0].port;
    invalid.spec.hostnames = ['Not_A_Host'];
    expect(httpRouteProblems(invalid)).toEqual([
      'spec.hostnames[0] is not a hostname',
      'spec.rules[0].matches[0].path.type is not Exact, PathPrefix or RegularExpression',
      'spec.rules[0].backendRefs[0].port is required for a Service (1-65535)',
    ]);
    expect(
      unknownFields(
        { ...route, spec: { ...(route.spec as object), bogus: 1 } },
        CRD_SHAPES.HTTPRoute,
        '',
      ),
    ).toEqual(['.spec.bogus']);
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
        CRD_SHAPES.ScaledObject,
        '',
      ),
    ).toEqual(['.spec.paused']);
  });
});
