import type { ResourceSize } from '@airflow-portal/plugin-astro-common';
import type {
  V1Container,
  V1EnvFromSource,
  V1EnvVar,
  V1PodSecurityContext,
  V1Probe,
  V1SecurityContext,
} from '@kubernetes/client-node';
import type { RenderContext } from './context';
import { ConfigRef, NAMES } from './names';
import { guaranteedResources } from './objects';

/** The official image runs as `airflow` (50000) in group 0. */
export const AIRFLOW_POD_SECURITY_CONTEXT: V1PodSecurityContext = {
  runAsUser: 50000,
  runAsGroup: 0,
  fsGroup: 0,
};

/** Every container of the renderer. */
export const CONTAINER_SECURITY_CONTEXT: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** Seconds a component waits for `airflow db migrate` before failing (and retrying). */
export const MIGRATION_WAIT_TIMEOUT_SECONDS = 300;

/** The Celery app of Airflow ≥ 2.7 (the Celery provider). */
export const CELERY_APP =
  'airflow.providers.celery.executors.celery_executor.app';

function fromSecret(name: string, secret: string, key: string): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * The platform's secret variables of an Airflow container. The JWT
 * signing key (`[api_auth] jwt_secret`) goes only to the containers that
 * sign or verify Airflow 3's tokens (`signsTokens`: the api-server and the
 * scheduler), as the official chart does: workers, triggerers, DAG
 * processors, task pods and init containers never see it.
 */
export function airflowEnv(
  ctx: RenderContext,
  options: { signsTokens?: boolean } = {},
): V1EnvVar[] {
  const env: V1EnvVar[] = [
    fromSecret('AIRFLOW__CORE__FERNET_KEY', NAMES.keysSecret, 'fernet-key'),
    fromSecret(
      'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
      NAMES.metadataSecret,
      'connection',
    ),
  ];
  if (ctx.celery) {
    env.push(
      fromSecret(
        'AIRFLOW__CELERY__BROKER_URL',
        NAMES.brokerSecret,
        'connection',
      ),
    );
  }
  if (ctx.airflow3) {
    if (options.signsTokens) {
      env.push(
        fromSecret(
          'AIRFLOW__API_AUTH__JWT_SECRET',
          NAMES.keysSecret,
          'jwt-secret',
        ),
      );
    }
    env.push(
      // Signs and verifies the log server's requests (workers, triggerer).
      fromSecret(
        'AIRFLOW__API__SECRET_KEY',
        NAMES.keysSecret,
        'api-secret-key',
      ),
    );
  } else {
    env.push(
      fromSecret(
        'AIRFLOW__WEBSERVER__SECRET_KEY',
        NAMES.keysSecret,
        'api-secret-key',
      ),
    );
  }
  return env;
}

/** Airflow config, then users' plain and secret variables (users' win). */
export function airflowEnvFrom(): V1EnvFromSource[] {
  return [
    { configMapRef: { name: NAMES.configMap } },
    { configMapRef: { name: NAMES.envConfigMap } },
    { secretRef: { name: NAMES.envSecret } },
  ];
}

/** The Secrets and ConfigMaps an Airflow container reads. */
export function airflowConfigRefs(ctx: RenderContext): ConfigRef[] {
  const refs: ConfigRef[] = [
    `Secret/${NAMES.keysSecret}`,
    `Secret/${NAMES.metadataSecret}`,
    `Secret/${NAMES.envSecret}`,
    `ConfigMap/${NAMES.configMap}`,
    `ConfigMap/${NAMES.envConfigMap}`,
  ];
  if (ctx.celery) {
    refs.push(`Secret/${NAMES.brokerSecret}`);
  }
  return refs;
}

/**
 * Init container that waits until `airflow db migrate` has run. It starts
 * the Airflow CLI, whose start-up needs about what the component itself
 * does, so it takes the resources of the component it belongs to (an init
 * container adds nothing to the pod's quota charge while it is no larger
 * than the pod's containers).
 */
export function waitForMigrationsContainer(
  ctx: RenderContext,
  resources: ResourceSize,
): V1Container {
  return {
    name: 'wait-for-airflow-migrations',
    image: ctx.image,
    imagePullPolicy: 'IfNotPresent',
    args: [
      'airflow',
      'db',
      'check-migrations',
      `--migration-wait-timeout=${MIGRATION_WAIT_TIMEOUT_SECONDS}`,
    ],
    env: airflowEnv(ctx),
    envFrom: airflowEnvFrom(),
    resources: guaranteedResources(resources),
    securityContext: CONTAINER_SECURITY_CONTEXT,
  };
}

/**
 * `airflow jobs check` for the job of this pod, quietly and without waiting
 * for the database first, as the official chart's probes run it.
 */
export function jobsCheckCommand(
  jobType: 'SchedulerJob' | 'TriggererJob' | 'DagProcessorJob',
): string[] {
  return [
    'sh',
    '-c',
    `CONNECTION_CHECK_MAX_COUNT=0 AIRFLOW__LOGGING__LOGGING_LEVEL=ERROR exec /entrypoint airflow jobs check --job-type ${jobType} --local`,
  ];
}

/** Liveness probe running a command, with the official chart's timings. */
export function livenessExecProbe(command: string[]): V1Probe {
  return {
    exec: { command },
    initialDelaySeconds: 10,
    timeoutSeconds: 20,
    failureThreshold: 5,
    periodSeconds: 60,
  };
}

/** Startup probe running a command: up to 10 × 10 s to come up. */
export function startupExecProbe(command: string[]): V1Probe {
  return {
    exec: { command },
    initialDelaySeconds: 0,
    timeoutSeconds: 20,
    failureThreshold: 10,
    periodSeconds: 10,
  };
}

/** Pod anti-affinity spreading the replicas of a component over nodes. */
export function spreadOverNodes(labels: Record<string, string>) {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: { matchLabels: labels },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    },
  };
}
