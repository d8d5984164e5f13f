import {
  AirflowComponent,
  ASTRO_ANNOTATIONS,
  ResourceSize,
} from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type {
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1PodDisruptionBudget,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { Configuration } from './configuration';
import type { RenderContext } from './context';
import { objectMetadata, ownedLabels, selectorLabels } from './labels';
import { ConfigRef, NAMES, POD_TEMPLATE_PATH, PORTS } from './names';
import { guaranteedResources, kubernetesObject } from './objects';
import {
  AIRFLOW_POD_SECURITY_CONTEXT,
  CONTAINER_SECURITY_CONTEXT,
  airflowConfigRefs,
  airflowEnv,
  airflowEnvFrom,
  jobsCheckCommand,
  livenessExecProbe,
  spreadOverNodes,
  startupExecProbe,
  waitForMigrationsContainer,
} from './pods';
import { COMPONENT_RESOURCES } from './resources';
import { portalAuthUiParts } from './airflowAuth';
import {
  NO_DAGS_PARTS,
  dagsConfigRefs,
  dagsPodParts,
  imagePullSecrets,
} from './dags';
import { exposureUiArgs } from './exposure';
import { logsPodParts } from './logging';

/** One long-running Airflow component. */
interface ComponentSpec {
  component: AirflowComponent;
  /** Its own service account (see `renderAccess`). */
  serviceAccount: string;
  replicas: number;
  resources: ResourceSize;
  /** The container: everything but image, env and resources. */
  container: Omit<V1Container, 'image' | 'env' | 'envFrom' | 'resources'>;
  extraConfig?: ConfigRef[];
  /** Variables of this component only; they win over every `envFrom` source. */
  env?: V1EnvVar[];
  volumes?: V1Volume[];
  terminationGracePeriodSeconds: number;
  /** Parses or runs DAGs: gets the DAG source's containers and volumes. */
  dags?: boolean;
  /** Signs or verifies Airflow 3's JWTs: gets `[api_auth] jwt_secret`. */
  signsTokens?: boolean;
}

function renderComponent(
  ctx: RenderContext,
  config: Configuration,
  spec: ComponentSpec,
): KubernetesObject[] {
  const { component, replicas } = spec;
  const { name, ...container } = spec.container;
  const selector = selectorLabels(ctx.deployment, { component });
  const dags = spec.dags ? dagsPodParts(ctx, { sidecar: true }) : NO_DAGS_PARTS;
  // Pods that run or schedule tasks write task logs; the UI reads them remotely.
  const logs =
    component === ctx.ui.component
      ? { volumes: [], mounts: [] }
      : logsPodParts();
  const volumeMounts = [
    ...(container.volumeMounts ?? []),
    ...dags.airflowMounts,
    ...logs.mounts,
  ];
  const volumes = [...(spec.volumes ?? []), ...dags.volumes, ...logs.volumes];
  const objects = [
    kubernetesObject<V1Deployment>(
      'apps/v1',
      'Deployment',
      objectMetadata(ctx.deployment, component, { component }),
      {
        spec: {
          replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: {
              labels: ownedLabels(ctx.deployment, { component }),
              annotations: {
                [ASTRO_ANNOTATIONS.configChecksum]: config.checksum([
                  ...airflowConfigRefs(ctx),
                  ...(spec.extraConfig ?? []),
                  ...(spec.dags ? dagsConfigRefs(ctx) : []),
                ]),
              },
            },
            spec: {
              serviceAccountName: spec.serviceAccount,
              enableServiceLinks: false,
              terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
              securityContext: AIRFLOW_POD_SECURITY_CONTEXT,
              ...(replicas > 1 ? { affinity: spreadOverNodes(selector) } : {}),
              initContainers: [
                waitForMigrationsContainer(ctx, spec.resources),
                ...dags.initContainers,
              ],
              containers: [
                {
                  name,
                  image: ctx.image,
                  imagePullPolicy: 'IfNotPresent',
                  ...container,
                  ...(volumeMounts.length ? { volumeMounts } : {}),
                  env: [
                    ...airflowEnv(ctx, { signsTokens: spec.signsTokens }),
                    ...(spec.env ?? []),
                  ],
                  envFrom: airflowEnvFrom(),
                  resources: guaranteedResources(spec.resources),
                  securityContext: CONTAINER_SECURITY_CONTEXT,
                },
                ...dags.sidecars,
              ],
              ...(volumes.length ? { volumes } : {}),
              ...imagePullSecrets(ctx),
            },
          },
        },
      },
    ),
  ];
  if (replicas > 1) {
    objects.push(
      kubernetesObject<V1PodDisruptionBudget>(
        'policy/v1',
        'PodDisruptionBudget',
        objectMetadata(ctx.deployment, component, { component }),
        { spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
      ),
    );
  }
  return objects;
}

function renderScheduler(ctx: RenderContext, config: Configuration) {
  const check = jobsCheckCommand('SchedulerJob');
  const podTemplate = !ctx.celery;
  const volumeMounts: V1VolumeMount[] = [
    {
      name: 'pod-template',
      mountPath: POD_TEMPLATE_PATH,
      subPath: 'pod_template_file.yaml',
      readOnly: true,
    },
  ];
  return renderComponent(ctx, config, {
    component: 'scheduler',
    serviceAccount: NAMES.schedulerServiceAccount,
    dags: true,
    signsTokens: true,
    replicas: ctx.input.settings.highAvailability ? 2 : 1,
    resources: ctx.schedulerResources,
    // Per scheduler: what the workers can run (Celery) or what the quota
    // has room for (Kubernetes executor); see quota.ts. Only the scheduler
    // reads it, so a change restarts the schedulers alone.
    env: [
      {
        name: 'AIRFLOW__CORE__PARALLELISM',
        value: String(ctx.quota.parallelism),
      },
    ],
    terminationGracePeriodSeconds: 10,
    container: {
      name: 'scheduler',
      args: ['airflow', 'scheduler'],
      livenessProbe: livenessExecProbe(check),
      startupProbe: startupExecProbe(check),
      ...(podTemplate ? { volumeMounts } : {}),
    },
    ...(podTemplate
      ? {
          extraConfig: [`ConfigMap/${NAMES.podTemplateConfigMap}`],
          volumes: [
            {
              name: 'pod-template',
              configMap: { name: NAMES.podTemplateConfigMap },
            },
          ],
        }
      : {}),
  });
}

function renderApiServer(ctx: RenderContext, config: Configuration) {
  const { ui } = ctx;
  const probe = (failureThreshold: number, periodSeconds: number) => ({
    httpGet: { path: ui.healthPath, port: ui.port, scheme: 'HTTP' },
    timeoutSeconds: 5,
    failureThreshold,
    periodSeconds,
  });
  const replicas = ctx.input.settings.highAvailability ? 2 : 1;
  const auth = portalAuthUiParts(ctx);
  return [
    ...renderComponent(ctx, config, {
      component: ui.component,
      serviceAccount: NAMES.uiServiceAccount,
      replicas,
      signsTokens: true,
      env: auth.env,
      volumes: auth.volumes,
      extraConfig: auth.extraConfig,
      resources: COMPONENT_RESOURCES.apiServer,
      terminationGracePeriodSeconds: 30,
      container: {
        name: ui.name,
        args: ['airflow', ui.name, ...exposureUiArgs(ctx)],
        ports: [{ name: 'http', containerPort: ui.port }],
        livenessProbe: probe(5, 10),
        readinessProbe: probe(5, 10),
        startupProbe: probe(12, 10),
        volumeMounts: auth.volumeMounts,
      },
    }),
    kubernetesObject<V1Service>(
      'v1',
      'Service',
      objectMetadata(ctx.deployment, ui.name, { component: ui.component }),
      {
        spec: {
          selector: selectorLabels(ctx.deployment, { component: ui.component }),
          ports: [
            {
              name: 'http',
              port: ui.port,
              targetPort: 'http',
              protocol: 'TCP',
            },
          ],
        },
      },
    ),
  ];
}

function renderTriggerer(ctx: RenderContext, config: Configuration) {
  const check = jobsCheckCommand('TriggererJob');
  return renderComponent(ctx, config, {
    component: 'triggerer',
    serviceAccount: NAMES.triggererServiceAccount,
    dags: true,
    replicas: ctx.input.settings.highAvailability ? 2 : 1,
    resources: COMPONENT_RESOURCES.triggerer,
    terminationGracePeriodSeconds: 60,
    container: {
      name: 'triggerer',
      args: ['airflow', 'triggerer'],
      ports: [{ name: 'triggerer-logs', containerPort: PORTS.triggererLogs }],
      livenessProbe: livenessExecProbe(check),
      startupProbe: startupExecProbe(check),
    },
  });
}

function renderDagProcessor(ctx: RenderContext, config: Configuration) {
  const check = jobsCheckCommand('DagProcessorJob');
  return renderComponent(ctx, config, {
    component: 'dag-processor',
    serviceAccount: NAMES.dagProcessorServiceAccount,
    dags: true,
    replicas: 1,
    resources: ctx.schedulerResources,
    terminationGracePeriodSeconds: 60,
    container: {
      name: 'dag-processor',
      args: ['airflow', 'dag-processor'],
      livenessProbe: livenessExecProbe(check),
      startupProbe: startupExecProbe(check),
    },
  });
}

/**
 * The `components` phase: scheduler (two and a PDB when highly available),
 * API server on Airflow 3 or webserver on Airflow 2 (with its Service),
 * triggerer and DAG processor. Each waits for the migrations first.
 */
export function renderComponents(
  ctx: RenderContext,
  config: Configuration,
): KubernetesObject[] {
  return [
    ...renderScheduler(ctx, config),
    ...renderApiServer(ctx, config),
    ...renderTriggerer(ctx, config),
    ...renderDagProcessor(ctx, config),
  ];
}
