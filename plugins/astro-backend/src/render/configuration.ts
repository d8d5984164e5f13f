import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V1ConfigMap, V1Pod, V1Secret } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { RenderContext } from './context';
import { contentHash } from './hash';
import { identityLabels, objectMetadata } from './labels';
import {
  ConfigRef,
  DAG_SYNC_SCRIPT_KEY,
  NAMES,
  PGBOUNCER_DATABASE,
  PORTS,
  POD_TEMPLATE_PATH,
} from './names';
import { base64, guaranteedResources, kubernetesObject } from './objects';
import {
  AIRFLOW_POD_SECURITY_CONTEXT,
  CONTAINER_SECURITY_CONTEXT,
  airflowEnv,
  airflowEnvFrom,
} from './pods';
import {
  DAG_SYNC_SCRIPT,
  dagsAirflowConfig,
  dagsPodParts,
  dagsSecretEnv,
  imagePullSecrets,
} from './dags';
import {
  portalAuthAirflowConfig,
  portalAuthConfigMapData,
} from './airflowAuth';
import { exposureAirflowConfig } from './exposure';
import {
  loggingAirflowConfig,
  loggingSecretEnv,
  logsPodParts,
} from './logging';

/** The Secrets and ConfigMaps of a Deployment, and checksums over them. */
export interface Configuration {
  objects: KubernetesObject[];
  /** Hash of the data of the given Secrets and ConfigMaps; for pod annotations. */
  checksum(refs: ConfigRef[]): string;
}

/** User and database of the metadata database, as the pods see it. */
function databaseTarget(ctx: RenderContext) {
  const { database } = ctx.input;
  return database.mode === 'external'
    ? {
        host: database.host,
        port: database.port,
        database: database.database,
        user: database.user,
        password: database.password,
        sslMode: database.sslMode ?? 'prefer',
      }
    : {
        host: ctx.serviceHost(NAMES.postgres),
        port: PORTS.postgres,
        database: 'airflow',
        user: 'airflow',
        password: database.password,
        sslMode: 'disable',
      };
}

/** What identifies the metadata database, without its password. */
export function databaseIdentity(ctx: RenderContext) {
  const { password: _password, ...identity } = databaseTarget(ctx);
  return { mode: ctx.input.database.mode, ...identity };
}

function secret(
  ctx: RenderContext,
  name: string,
  values: Record<string, string>,
  component?: 'redis' | 'pgbouncer' | 'postgresql',
): KubernetesObject {
  const data: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    data[key] = base64(values[key]);
  }
  return kubernetesObject<V1Secret>(
    'v1',
    'Secret',
    objectMetadata(ctx.deployment, name, { component }),
    { type: 'Opaque', data },
  );
}

function configMap(
  ctx: RenderContext,
  name: string,
  values: Record<string, string>,
): KubernetesObject {
  const data: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    data[key] = values[key];
  }
  return kubernetesObject<V1ConfigMap>(
    'v1',
    'ConfigMap',
    objectMetadata(ctx.deployment, name),
    { data },
  );
}

/** `[databases]` and `[pgbouncer]` of pgbouncer.ini; no secrets in it. */
function pgbouncerIni(ctx: RenderContext): string {
  const target = databaseTarget(ctx);
  return [
    '[databases]',
    `${PGBOUNCER_DATABASE} = host=${target.host} port=${target.port} dbname=${target.database}`,
    '',
    '[pgbouncer]',
    'listen_addr = *',
    `listen_port = ${PORTS.pgbouncer}`,
    'auth_type = scram-sha-256',
    'auth_file = /etc/pgbouncer/users.txt',
    'pool_mode = transaction',
    // Protocol-level prepared statements (KEDA's pgx driver uses them).
    'max_prepared_statements = 100',
    'max_client_conn = 500',
    'default_pool_size = 20',
    'ignore_startup_parameters = extra_float_digits',
    `server_tls_sslmode = ${target.sslMode}`,
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

/** pgbouncer's auth file: `"user" "password"`, quotes doubled. */
function pgbouncerUsers(user: string, password: string): string {
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  return `${quote(user)} ${quote(password)}\n`;
}

/** Airflow settings as environment variables; nothing secret. */
function airflowConfig(ctx: RenderContext): Record<string, string> {
  const config: Record<string, string> = {
    AIRFLOW__CORE__EXECUTOR: ctx.celery
      ? 'CeleryExecutor'
      : 'KubernetesExecutor',
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    // Pods of a Deployment have no DNS names; serve and fetch logs by IP.
    AIRFLOW__CORE__HOSTNAME_CALLABLE: 'airflow.utils.net.get_host_ip_address',
  };
  if (ctx.airflow3) {
    config.AIRFLOW__CORE__EXECUTION_API_SERVER_URL = `http://${ctx.serviceHost(
      ctx.ui.name,
    )}:${ctx.ui.port}/execution/`;
  } else {
    config.AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR = 'True';
  }
  if (ctx.celery) {
    const defaultQueue =
      ctx.queues.find(queue => queue.isDefault) ?? ctx.queues[0];
    config.AIRFLOW__OPERATORS__DEFAULT_QUEUE = defaultQueue.name;
  } else {
    config.AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE = ctx.namespace;
    config.AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE = POD_TEMPLATE_PATH;
    config.AIRFLOW__KUBERNETES_EXECUTOR__DELETE_WORKER_PODS = 'True';
    // A task pod the quota rejects (403 "exceeded quota") goes back to the
    // executor's queue instead of failing the task; -1: without a limit.
    config.AIRFLOW__KUBERNETES_EXECUTOR__TASK_PUBLISH_MAX_RETRIES = '-1';
  }
  return {
    ...config,
    ...dagsAirflowConfig(ctx),
    ...portalAuthAirflowConfig(ctx),
    ...exposureAirflowConfig(ctx),
    ...loggingAirflowConfig(ctx),
  };
}

/**
 * The pod the Kubernetes executor starts for each task. On Airflow 3 tasks
 * talk to the API server only, so they get no database or key secrets.
 */
function taskPodTemplate(ctx: RenderContext): string {
  const { settings } = ctx.input;
  // The DAGs as the task pod starts; no sidecar, which would keep it running.
  const dags = dagsPodParts(ctx, { sidecar: false });
  const logs = logsPodParts();
  const mounts = [...dags.airflowMounts, ...logs.mounts];
  const volumes = [...dags.volumes, ...logs.volumes];
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'task',
      labels: identityLabels(ctx.deployment),
    },
    spec: {
      serviceAccountName: NAMES.workerServiceAccount,
      // A token only for tasks that launch pods (KubernetesPodOperator).
      automountServiceAccountToken: settings.kubernetesPodOperator,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: AIRFLOW_POD_SECURITY_CONTEXT,
      ...(dags.initContainers.length
        ? { initContainers: dags.initContainers }
        : {}),
      containers: [
        {
          name: 'base',
          image: ctx.image,
          imagePullPolicy: 'IfNotPresent',
          envFrom: airflowEnvFrom(),
          ...(ctx.airflow3 ? {} : { env: airflowEnv(ctx) }),
          resources: guaranteedResources(settings.defaultTaskPodSize),
          securityContext: CONTAINER_SECURITY_CONTEXT,
          volumeMounts: mounts,
        },
      ],
      volumes,
      ...imagePullSecrets(ctx),
    },
  };
  return stringify(pod, { aliasDuplicateObjects: false });
}

/**
 * Secrets (keys, database, broker, users' secret variables, pgbouncer's
 * config) and ConfigMaps (Airflow config, users' plain variables, the
 * Kubernetes executor's pod template). Secret values appear nowhere else.
 */
export function renderConfiguration(ctx: RenderContext): Configuration {
  const { credentials, settings } = ctx.input;
  const target = databaseTarget(ctx);
  const pgbouncerUrl = `postgresql://${encodeURIComponent(
    target.user,
  )}:${encodeURIComponent(target.password)}@${ctx.serviceHost(
    NAMES.pgbouncer,
  )}:${PORTS.pgbouncer}/${PGBOUNCER_DATABASE}?sslmode=disable`;

  const secretEnv: Record<string, string> = {};
  const plainEnv: Record<string, string> = {};
  for (const variable of settings.environmentVariables) {
    (variable.secret ? secretEnv : plainEnv)[variable.key] =
      variable.value ?? '';
  }
  // The platform's variables win (the Secret comes last in `envFrom`).
  Object.assign(secretEnv, dagsSecretEnv(ctx), loggingSecretEnv(ctx));

  const objects: KubernetesObject[] = [
    secret(ctx, NAMES.keysSecret, {
      'fernet-key': credentials.fernetKey,
      'jwt-secret': credentials.jwtSecret,
      'api-secret-key': credentials.apiSecretKey,
    }),
    secret(ctx, NAMES.metadataSecret, { connection: pgbouncerUrl }),
  ];
  if (ctx.celery) {
    objects.push(
      secret(
        ctx,
        NAMES.brokerSecret,
        {
          connection: `redis://:${encodeURIComponent(
            credentials.redisPassword,
          )}@${ctx.serviceHost(NAMES.redis)}:${PORTS.redis}/0`,
          password: credentials.redisPassword,
        },
        'redis',
      ),
    );
  }
  objects.push(
    secret(ctx, NAMES.envSecret, secretEnv),
    secret(
      ctx,
      NAMES.pgbouncerSecret,
      {
        'pgbouncer.ini': pgbouncerIni(ctx),
        'users.txt': pgbouncerUsers(target.user, target.password),
      },
      'pgbouncer',
    ),
  );
  if (ctx.input.database.mode === 'in-namespace') {
    objects.push(
      secret(
        ctx,
        NAMES.postgresSecret,
        { password: ctx.input.database.password },
        'postgresql',
      ),
    );
  }
  objects.push(
    configMap(ctx, NAMES.configMap, airflowConfig(ctx)),
    configMap(ctx, NAMES.envConfigMap, plainEnv),
    configMap(ctx, NAMES.portalAuthConfigMap, portalAuthConfigMapData()),
  );
  if (!ctx.celery) {
    objects.push(
      configMap(ctx, NAMES.podTemplateConfigMap, {
        'pod_template_file.yaml': taskPodTemplate(ctx),
      }),
    );
  }
  if (ctx.dags.kind === 'sync') {
    objects.push(
      secret(ctx, NAMES.dagSyncSecret, { token: ctx.dags.token }),
      configMap(ctx, NAMES.dagSyncConfigMap, {
        [DAG_SYNC_SCRIPT_KEY]: DAG_SYNC_SCRIPT,
      }),
    );
  }
  for (const pullSecret of ctx.input.pullSecrets ?? []) {
    objects.push(
      kubernetesObject<V1Secret>(
        'v1',
        'Secret',
        objectMetadata(ctx.deployment, pullSecret.name),
        {
          type: 'kubernetes.io/dockerconfigjson',
          data: { '.dockerconfigjson': base64(pullSecret.dockerConfigJson) },
        },
      ),
    );
  }

  const data = new Map<string, unknown>(
    objects.map(object => [
      `${object.kind}/${object.metadata.name}`,
      object.data,
    ]),
  );
  return {
    objects,
    checksum(refs) {
      return contentHash(
        [...refs].sort().map(ref => {
          if (!data.has(ref)) {
            throw new Error(`renderer bug: ${ref} is not rendered`);
          }
          return [ref, data.get(ref)];
        }),
      );
    },
  };
}
