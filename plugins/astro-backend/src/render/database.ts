import { ASTRO_ANNOTATIONS } from '@airflow-portal/plugin-astro-common';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type {
  V1Deployment,
  V1PodDisruptionBudget,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { Configuration } from './configuration';
import type { RenderContext } from './context';
import { objectMetadata, ownedLabels, selectorLabels } from './labels';
import { NAMES, PORTS } from './names';
import { guaranteedResources, kubernetesObject } from './objects';
import { CONTAINER_SECURITY_CONTEXT } from './pods';
import {
  COMPONENT_RESOURCES,
  POSTGRES_STORAGE,
  REDIS_STORAGE,
} from './resources';
import { parseMemoryBytes } from '@airflow-portal/plugin-astro-common';
import { imagePullSecrets } from './dags';

type SupportComponent = 'postgresql' | 'pgbouncer' | 'redis';

/**
 * pgbouncer's preStop: wait until the endpoints controller has taken the
 * pod out of the Service, then a safe shutdown (SIGINT, pgbouncer 1.23:
 * stop listening, let running transactions finish and release their server
 * connections) and wait for it to exit. After the hook the kubelet's
 * SIGTERM finds nothing left to stop.
 */
export const PGBOUNCER_DRAIN_COMMAND = [
  'sh',
  '-c',
  'sleep 5; kill -INT 1; while kill -0 1 2>/dev/null; do sleep 1; done',
];

/** Longer than the preStop's wait plus the longest transaction we let finish. */
export const PGBOUNCER_GRACE_SECONDS = 120;

/** Share of the Redis container's memory limit given to its data (`maxmemory`). */
const REDIS_MAXMEMORY_SHARE = 0.8;

/** Redis's arguments: password, AOF persistence, memory cap below the limit. */
export function redisArgs(): string[] {
  const limit = parseMemoryBytes(COMPONENT_RESOURCES.redis.memory)!;
  const maxmemory = Math.floor((limit * REDIS_MAXMEMORY_SHARE) / 1024 ** 2);
  return [
    '--requirepass',
    '$(REDIS_PASSWORD)',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory',
    // Redis reads `mb` as mebibytes.
    `${maxmemory}mb`,
    '--maxmemory-policy',
    'noeviction',
  ];
}

function service(
  ctx: RenderContext,
  component: SupportComponent,
  port: number,
  headless = false,
): KubernetesObject {
  return kubernetesObject<V1Service>(
    'v1',
    'Service',
    objectMetadata(ctx.deployment, component, { component }),
    {
      spec: {
        ...(headless ? { clusterIP: 'None' } : {}),
        selector: selectorLabels(ctx.deployment, { component }),
        ports: [
          { name: component, port, targetPort: component, protocol: 'TCP' },
        ],
      },
    },
  );
}

function podMetadata(
  ctx: RenderContext,
  component: SupportComponent,
  checksum: string,
) {
  return {
    labels: ownedLabels(ctx.deployment, { component }),
    annotations: { [ASTRO_ANNOTATIONS.configChecksum]: checksum },
  };
}

/** A small PostgreSQL for development clusters. */
function renderPostgres(
  ctx: RenderContext,
  config: Configuration,
): KubernetesObject[] {
  const component = 'postgresql';
  const readiness = [
    'pg_isready',
    '-U',
    'airflow',
    '-d',
    'airflow',
    '-h',
    '127.0.0.1',
  ];
  return [
    service(ctx, component, PORTS.postgres, true),
    kubernetesObject<V1StatefulSet>(
      'apps/v1',
      'StatefulSet',
      objectMetadata(ctx.deployment, NAMES.postgres, { component }),
      {
        spec: {
          serviceName: NAMES.postgres,
          replicas: 1,
          selector: {
            matchLabels: selectorLabels(ctx.deployment, { component }),
          },
          template: {
            metadata: podMetadata(
              ctx,
              component,
              config.checksum([`Secret/${NAMES.postgresSecret}`]),
            ),
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              // The image's `postgres` user; no root, no capabilities.
              securityContext: {
                runAsUser: 999,
                runAsGroup: 999,
                fsGroup: 999,
              },
              containers: [
                {
                  name: 'postgresql',
                  image: ctx.images.postgres,
                  imagePullPolicy: 'IfNotPresent',
                  env: [
                    { name: 'POSTGRES_USER', value: 'airflow' },
                    { name: 'POSTGRES_DB', value: 'airflow' },
                    {
                      name: 'POSTGRES_PASSWORD',
                      valueFrom: {
                        secretKeyRef: {
                          name: NAMES.postgresSecret,
                          key: 'password',
                        },
                      },
                    },
                    {
                      name: 'PGDATA',
                      value: '/var/lib/postgresql/data/pgdata',
                    },
                  ],
                  ports: [{ name: component, containerPort: PORTS.postgres }],
                  readinessProbe: {
                    exec: { command: readiness },
                    periodSeconds: 10,
                    timeoutSeconds: 5,
                  },
                  livenessProbe: {
                    exec: { command: readiness },
                    initialDelaySeconds: 30,
                    periodSeconds: 30,
                    timeoutSeconds: 5,
                    failureThreshold: 6,
                  },
                  resources: guaranteedResources(COMPONENT_RESOURCES.postgres),
                  securityContext: CONTAINER_SECURITY_CONTEXT,
                  volumeMounts: [
                    { name: 'data', mountPath: '/var/lib/postgresql/data' },
                  ],
                },
              ],
              ...imagePullSecrets(ctx),
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: POSTGRES_STORAGE } },
              },
            },
          ],
        },
      },
    ),
  ];
}

/** pgbouncer pools every connection to the metadata database, KEDA's included. */
function renderPgbouncer(
  ctx: RenderContext,
  config: Configuration,
): KubernetesObject[] {
  const component = 'pgbouncer';
  const ha = ctx.input.settings.highAvailability;
  const objects = [
    service(ctx, component, PORTS.pgbouncer),
    kubernetesObject<V1Deployment>(
      'apps/v1',
      'Deployment',
      objectMetadata(ctx.deployment, NAMES.pgbouncer, { component }),
      {
        spec: {
          replicas: ha ? 2 : 1,
          selector: {
            matchLabels: selectorLabels(ctx.deployment, { component }),
          },
          template: {
            metadata: podMetadata(
              ctx,
              component,
              config.checksum([`Secret/${NAMES.pgbouncerSecret}`]),
            ),
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              // `nobody`, as the official chart runs it.
              securityContext: { runAsUser: 65534, runAsGroup: 65534 },
              terminationGracePeriodSeconds: PGBOUNCER_GRACE_SECONDS,
              containers: [
                {
                  name: 'pgbouncer',
                  image: ctx.images.pgbouncer,
                  imagePullPolicy: 'IfNotPresent',
                  command: [
                    'pgbouncer',
                    '-u',
                    'nobody',
                    '/etc/pgbouncer/pgbouncer.ini',
                  ],
                  ports: [{ name: component, containerPort: PORTS.pgbouncer }],
                  livenessProbe: {
                    tcpSocket: { port: PORTS.pgbouncer },
                    periodSeconds: 10,
                  },
                  readinessProbe: {
                    tcpSocket: { port: PORTS.pgbouncer },
                    periodSeconds: 10,
                  },
                  lifecycle: {
                    preStop: { exec: { command: PGBOUNCER_DRAIN_COMMAND } },
                  },
                  resources: guaranteedResources(COMPONENT_RESOURCES.pgbouncer),
                  securityContext: CONTAINER_SECURITY_CONTEXT,
                  volumeMounts: [
                    {
                      name: 'config',
                      mountPath: '/etc/pgbouncer/pgbouncer.ini',
                      subPath: 'pgbouncer.ini',
                      readOnly: true,
                    },
                    {
                      name: 'config',
                      mountPath: '/etc/pgbouncer/users.txt',
                      subPath: 'users.txt',
                      readOnly: true,
                    },
                  ],
                },
              ],
              volumes: [
                {
                  name: 'config',
                  secret: { secretName: NAMES.pgbouncerSecret },
                },
              ],
              ...imagePullSecrets(ctx),
            },
          },
        },
      },
    ),
  ];
  if (ha) {
    objects.push(
      kubernetesObject<V1PodDisruptionBudget>(
        'policy/v1',
        'PodDisruptionBudget',
        objectMetadata(ctx.deployment, NAMES.pgbouncer, { component }),
        {
          spec: {
            maxUnavailable: 1,
            selector: {
              matchLabels: selectorLabels(ctx.deployment, { component }),
            },
          },
        },
      ),
    );
  }
  return objects;
}

/**
 * Redis, the Celery broker: a StatefulSet with a volume and the append-only
 * file on, so that queued task messages survive a restart; `maxmemory`
 * below the container's limit (room for the AOF rewrite's fork) with
 * `noeviction`, so that a full broker refuses new messages instead of
 * dropping queued ones.
 */
function renderRedis(
  ctx: RenderContext,
  config: Configuration,
): KubernetesObject[] {
  const component = 'redis';
  return [
    service(ctx, component, PORTS.redis),
    kubernetesObject<V1StatefulSet>(
      'apps/v1',
      'StatefulSet',
      objectMetadata(ctx.deployment, NAMES.redis, { component }),
      {
        spec: {
          // The ClusterIP Service above: clients use its stable address.
          serviceName: NAMES.redis,
          replicas: 1,
          selector: {
            matchLabels: selectorLabels(ctx.deployment, { component }),
          },
          template: {
            metadata: podMetadata(
              ctx,
              component,
              config.checksum([`Secret/${NAMES.brokerSecret}`]),
            ),
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              // The image's `redis` user; no root, no capabilities.
              securityContext: {
                runAsUser: 999,
                runAsGroup: 999,
                fsGroup: 999,
              },
              containers: [
                {
                  name: 'redis',
                  image: ctx.images.redis,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['redis-server'],
                  // Expanded by the kubelet; the spec holds no password.
                  args: redisArgs(),
                  env: [
                    {
                      name: 'REDIS_PASSWORD',
                      valueFrom: {
                        secretKeyRef: {
                          name: NAMES.brokerSecret,
                          key: 'password',
                        },
                      },
                    },
                  ],
                  ports: [{ name: component, containerPort: PORTS.redis }],
                  livenessProbe: {
                    tcpSocket: { port: PORTS.redis },
                    periodSeconds: 10,
                  },
                  readinessProbe: {
                    tcpSocket: { port: PORTS.redis },
                    periodSeconds: 10,
                  },
                  resources: guaranteedResources(COMPONENT_RESOURCES.redis),
                  securityContext: CONTAINER_SECURITY_CONTEXT,
                  volumeMounts: [{ name: 'data', mountPath: '/data' }],
                },
              ],
              ...imagePullSecrets(ctx),
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: REDIS_STORAGE } },
              },
            },
          ],
        },
      },
    ),
  ];
}

/** The `database` phase: in-namespace PostgreSQL, pgbouncer, Redis. */
export function renderDatabase(
  ctx: RenderContext,
  config: Configuration,
): KubernetesObject[] {
  return [
    ...(ctx.input.database.mode === 'in-namespace'
      ? renderPostgres(ctx, config)
      : []),
    ...renderPgbouncer(ctx, config),
    ...(ctx.celery ? renderRedis(ctx, config) : []),
  ];
}
