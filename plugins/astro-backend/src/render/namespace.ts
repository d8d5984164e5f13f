import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type {
  V1LimitRange,
  V1LimitRangeItem,
  V1Namespace,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicySpec,
  V1ResourceQuota,
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { RenderContext } from './context';
import { objectMetadata } from './labels';
import { NAMES, PORTS } from './names';
import { kubernetesObject } from './objects';

/*
 * client-node names two fields differently from the API (`_default`,
 * `_from`); these types use the API's names.
 */
type LimitRange = Omit<V1LimitRange, 'spec'> & {
  spec: {
    limits: Array<
      Omit<V1LimitRangeItem, '_default'> & { default?: Record<string, string> }
    >;
  };
};
type NetworkPolicy = Omit<V1NetworkPolicy, 'spec'> & {
  spec: Omit<V1NetworkPolicySpec, 'ingress'> & {
    ingress?: Array<
      Omit<V1NetworkPolicyIngressRule, '_from'> & {
        from?: V1NetworkPolicyPeer[];
      }
    >;
  };
};

function renderNamespaceObject(ctx: RenderContext): KubernetesObject {
  const metadata = objectMetadata(ctx.deployment, ctx.namespace, {
    clusterScoped: true,
  });
  metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
  return kubernetesObject<V1Namespace>('v1', 'Namespace', metadata, {});
}

function renderLimits(ctx: RenderContext): KubernetesObject[] {
  const { resourceQuota, defaultTaskPodSize } = ctx.input.settings;
  return [
    kubernetesObject<V1ResourceQuota>(
      'v1',
      'ResourceQuota',
      objectMetadata(ctx.deployment, 'compute'),
      {
        spec: {
          hard: {
            'requests.cpu': resourceQuota.cpu,
            'requests.memory': resourceQuota.memory,
            'limits.cpu': resourceQuota.cpu,
            'limits.memory': resourceQuota.memory,
          },
        },
      },
    ),
    kubernetesObject<LimitRange>(
      'v1',
      'LimitRange',
      objectMetadata(ctx.deployment, 'container-defaults'),
      {
        spec: {
          limits: [
            {
              type: 'Container',
              default: {
                cpu: defaultTaskPodSize.cpu,
                memory: defaultTaskPodSize.memory,
              },
              defaultRequest: {
                cpu: defaultTaskPodSize.cpu,
                memory: defaultTaskPodSize.memory,
              },
            },
          ],
        },
      },
    ),
  ];
}

/**
 * Ingress is denied by default; pods of the namespace reach each other; the
 * API server (or webserver) takes traffic from anywhere (ingress
 * controllers, the Kubernetes service proxy); KEDA's operator reaches the
 * database through pgbouncer. Egress stays open: tasks call the world.
 */
function renderNetworkPolicies(ctx: RenderContext): KubernetesObject[] {
  const policies = [
    kubernetesObject<NetworkPolicy>(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      objectMetadata(ctx.deployment, 'default-deny-ingress'),
      { spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    ),
    kubernetesObject<NetworkPolicy>(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      objectMetadata(ctx.deployment, 'allow-same-namespace'),
      {
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }] }],
        },
      },
    ),
    kubernetesObject<NetworkPolicy>(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      objectMetadata(ctx.deployment, `allow-${ctx.ui.name}-ingress`, {
        component: ctx.ui.component,
      }),
      {
        spec: {
          podSelector: {
            matchLabels: { [ASTRO_LABELS.component]: ctx.ui.component },
          },
          policyTypes: ['Ingress'],
          ingress: [{ ports: [{ protocol: 'TCP', port: ctx.ui.port }] }],
        },
      },
    ),
  ];
  if (ctx.celery && ctx.keda) {
    policies.push(
      kubernetesObject<NetworkPolicy>(
        'networking.k8s.io/v1',
        'NetworkPolicy',
        objectMetadata(ctx.deployment, 'allow-keda-to-database', {
          component: 'pgbouncer',
        }),
        {
          spec: {
            podSelector: {
              matchLabels: { [ASTRO_LABELS.component]: 'pgbouncer' },
            },
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: {
                      matchLabels: {
                        'kubernetes.io/metadata.name': ctx.kedaNamespace,
                      },
                    },
                    podSelector: { matchLabels: ctx.kedaOperatorLabels },
                  },
                ],
                ports: [{ protocol: 'TCP', port: PORTS.pgbouncer }],
              },
            ],
          },
        },
      ),
    );
  }
  return policies;
}

/**
 * One service account per kind of pod, so that rights follow what a pod
 * runs. Tokens are mounted only where the Kubernetes API is used: the
 * scheduler with the Kubernetes executor (it launches and watches task
 * pods) and, with `settings.kubernetesPodOperator`, the workers and task
 * pods (tasks launching pods). The triggerer and the DAG processor run user
 * code and never get a token.
 */
function renderAccess(ctx: RenderContext): KubernetesObject[] {
  const schedulerLaunches = !ctx.celery;
  const workersLaunch = ctx.input.settings.kubernetesPodOperator;
  const account = (name: string, token: boolean) =>
    kubernetesObject<V1ServiceAccount>(
      'v1',
      'ServiceAccount',
      objectMetadata(ctx.deployment, name),
      { automountServiceAccountToken: token },
    );
  const objects = [
    account(NAMES.schedulerServiceAccount, schedulerLaunches),
    account(NAMES.uiServiceAccount, false),
    account(NAMES.triggererServiceAccount, false),
    account(NAMES.dagProcessorServiceAccount, false),
    account(NAMES.workerServiceAccount, workersLaunch),
    account(NAMES.migrationServiceAccount, false),
  ];
  const launchers = [
    ...(schedulerLaunches ? [NAMES.schedulerServiceAccount] : []),
    ...(workersLaunch ? [NAMES.workerServiceAccount] : []),
  ];
  if (launchers.length === 0) {
    return objects;
  }
  objects.push(
    kubernetesObject<V1Role>(
      'rbac.authorization.k8s.io/v1',
      'Role',
      objectMetadata(ctx.deployment, NAMES.podLauncherRole),
      {
        rules: [
          {
            apiGroups: [''],
            resources: ['pods'],
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
          },
          {
            apiGroups: [''],
            resources: ['pods/log'],
            verbs: ['get', 'list'],
          },
          {
            apiGroups: [''],
            resources: ['pods/exec'],
            verbs: ['create', 'get'],
          },
          { apiGroups: [''], resources: ['events'], verbs: ['list'] },
        ],
      },
    ),
    kubernetesObject<V1RoleBinding>(
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      objectMetadata(ctx.deployment, NAMES.podLauncherRole),
      {
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: NAMES.podLauncherRole,
        },
        subjects: launchers.map(name => ({
          kind: 'ServiceAccount',
          name,
          namespace: ctx.namespace,
        })),
      },
    ),
  );
  return objects;
}

/** The `namespace` phase. */
export function renderNamespace(ctx: RenderContext): KubernetesObject[] {
  return [
    renderNamespaceObject(ctx),
    ...renderLimits(ctx),
    ...renderNetworkPolicies(ctx),
    ...renderAccess(ctx),
  ];
}
