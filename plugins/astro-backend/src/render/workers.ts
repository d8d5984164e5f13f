import {
  ASTRO_ANNOTATIONS,
  WorkerQueue,
} from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Configuration } from './configuration';
import type { RenderContext } from './context';
import { objectMetadata, ownedLabels, selectorLabels } from './labels';
import { NAMES, PORTS } from './names';
import { guaranteedResources, kubernetesObject } from './objects';
import {
  AIRFLOW_POD_SECURITY_CONTEXT,
  CELERY_APP,
  CONTAINER_SECURITY_CONTEXT,
  airflowConfigRefs,
  airflowEnv,
  airflowEnvFrom,
  livenessExecProbe,
  waitForMigrationsContainer,
} from './pods';
import { dagsConfigRefs, dagsPodParts, imagePullSecrets } from './dags';
import { logsPodParts } from './logging';
import { WORKER_ROLLING_UPDATE } from './quota';

/** Name of a queue's worker Deployment (and of its autoscaler). */
export function workerName(queue: WorkerQueue | string): string {
  return `worker-${typeof queue === 'string' ? queue : queue.name}`;
}

/**
 * preStop hook: a Celery warm shutdown. SIGTERM to PID 1 (dumb-init, which
 * with `DUMB_INIT_SETSID=0` passes it to the Celery main process only) stops
 * taking tasks and lets running ones finish; the hook then waits until the
 * worker has exited, bounded by the termination grace period.
 */
export const WARM_SHUTDOWN_COMMAND = [
  'sh',
  '-c',
  'kill -TERM 1; while kill -0 1 2>/dev/null; do sleep 5; done',
];

function renderWorker(
  ctx: RenderContext,
  config: Configuration,
  queue: WorkerQueue,
): KubernetesObject {
  const scope = { component: 'worker', queue: queue.name } as const;
  const dags = dagsPodParts(ctx, { sidecar: true });
  const logs = logsPodParts();
  return kubernetesObject<V1Deployment>(
    'apps/v1',
    'Deployment',
    objectMetadata(ctx.deployment, workerName(queue), scope),
    {
      // No `replicas`: the queue's autoscaler owns it.
      spec: {
        // No surge: draining workers already count against the quota (see quota.ts).
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: WORKER_ROLLING_UPDATE,
        },
        selector: { matchLabels: selectorLabels(ctx.deployment, scope) },
        template: {
          metadata: {
            labels: ownedLabels(ctx.deployment, scope),
            annotations: {
              [ASTRO_ANNOTATIONS.configChecksum]: config.checksum([
                ...airflowConfigRefs(ctx),
                ...dagsConfigRefs(ctx),
              ]),
            },
          },
          spec: {
            serviceAccountName: NAMES.workerServiceAccount,
            enableServiceLinks: false,
            terminationGracePeriodSeconds:
              ctx.input.settings.workerGracePeriodSeconds,
            securityContext: AIRFLOW_POD_SECURITY_CONTEXT,
            initContainers: [
              waitForMigrationsContainer(ctx, ctx.workerResources(queue)),
              ...dags.initContainers,
            ],
            containers: [
              {
                name: 'worker',
                image: ctx.image,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  'airflow',
                  'celery',
                  'worker',
                  '-q',
                  queue.name,
                  '--concurrency',
                  String(queue.concurrency),
                ],
                env: [
                  { name: 'DUMB_INIT_SETSID', value: '0' },
                  ...airflowEnv(ctx),
                ],
                envFrom: airflowEnvFrom(),
                ports: [
                  { name: 'worker-logs', containerPort: PORTS.workerLogs },
                ],
                livenessProbe: livenessExecProbe([
                  'sh',
                  '-c',
                  `CONNECTION_CHECK_MAX_COUNT=0 exec /entrypoint python -m celery --app ${CELERY_APP} inspect ping -d celery@$(hostname)`,
                ]),
                lifecycle: {
                  preStop: { exec: { command: WARM_SHUTDOWN_COMMAND } },
                },
                resources: guaranteedResources(ctx.workerResources(queue)),
                securityContext: CONTAINER_SECURITY_CONTEXT,
                volumeMounts: [...dags.airflowMounts, ...logs.mounts],
              },
              ...dags.sidecars,
            ],
            volumes: [...dags.volumes, ...logs.volumes],
            ...imagePullSecrets(ctx),
          },
        },
      },
    },
  );
}

/** The `workers` phase: one Celery worker Deployment per queue. */
export function renderWorkers(
  ctx: RenderContext,
  config: Configuration,
): KubernetesObject[] {
  return ctx.queues.map(queue => renderWorker(ctx, config, queue));
}
