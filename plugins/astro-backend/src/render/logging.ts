import { InputError } from '@backstage/errors';
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { RenderContext } from './context';
import type { RenderCondition } from './types';

/*
 * Task logs. Every pod that runs or schedules tasks (scheduler, triggerer,
 * DAG processor, Celery workers, Kubernetes-executor task pods) writes them
 * to an emptyDir `logs` volume at /opt/airflow/logs, bounded by a size
 * limit, which lives exactly as long as the pod: the honest default, since
 * the official chart's alternative (`logs.persistence`, one PVC) needs a
 * ReadWriteMany storage class most clusters lack.
 *
 * With the cluster's `remoteLogging` Airflow also ships them where they
 * outlive the pod, with the keys of `airflow_local_settings.py` (the same
 * on Airflow 2.7–2.11 and 3.x): `[logging] remote_logging`,
 * `remote_base_log_folder` (its scheme picks the handler: `s3://`, `gs://`,
 * `wasb…`) and `remote_log_conn_id`; `[azure_remote_logging]
 * remote_wasb_log_container`; for Elasticsearch `[elasticsearch] host`
 * (with `write_stdout` and `json_format`: a node-level log shipper sends
 * the pods' JSON output to the cluster, Airflow reads it back); for
 * OpenSearch the `[opensearch]` host, port and credentials, which the stock
 * logging settings read on Airflow 3.2.1 and later only. Each Deployment
 * writes below its own folder (`<baseFolder>/<namespace>`) or log id prefix
 * (`<namespace>-…`), so that Deployments sharing a bucket or an index never
 * read each other's logs.
 */

/** Id of the connection the platform's remote logging URI is delivered as. */
export const REMOTE_LOGGING_CONNECTION_ID = 'astro_remote_logging';

/** The variable Airflow reads that connection from. */
export const REMOTE_LOGGING_CONNECTION_VARIABLE = `AIRFLOW_CONN_${REMOTE_LOGGING_CONNECTION_ID.toUpperCase()}`;

/** Airflow's `[logging] base_log_folder` in the official image. */
export const LOGS_MOUNT_PATH = '/opt/airflow/logs';

/** Most disk a pod's logs may take before the kubelet evicts the pod. */
export const LOGS_SIZE_LIMIT = '10Gi';

/** Type of the renderer's condition about task logs. */
export const LOGS_DURABLE_CONDITION = 'LogsDurable';

/** The first Airflow release whose stock logging settings read task logs back from OpenSearch. */
export const OPENSEARCH_MIN_AIRFLOW = '3.2.1';

const LOGS_VOLUME = 'logs';

/** `{dag_id}-…` ids of Elasticsearch/OpenSearch documents, prefixed with the namespace. */
const LOG_ID_FIELDS = '{dag_id}-{task_id}-{run_id}-{map_index}-{try_number}';

const FOLDER_PREFIX = { s3: 's3://', gcs: 'gs://', wasb: 'wasb' } as const;

function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]
      .split('.')
      .map(n => Number.parseInt(n, 10) || 0);
  const a = parts(version);
  const b = parts(minimum);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) {
      return (a[i] ?? 0) > (b[i] ?? 0);
    }
  }
  return true;
}

/** Whether remote logging is configured and this Airflow release can use it. */
function supported(ctx: RenderContext): boolean {
  const logging = ctx.input.remoteLogging;
  return (
    logging !== undefined &&
    (logging.type !== 'opensearch' ||
      versionAtLeast(ctx.input.runtime.airflowVersion, OPENSEARCH_MIN_AIRFLOW))
  );
}

/** `<baseFolder>/<namespace>`, after checking the scheme fits the type. */
function deploymentFolder(ctx: RenderContext): string | undefined {
  const logging = ctx.input.remoteLogging;
  if (
    !logging ||
    logging.type === 'elasticsearch' ||
    logging.type === 'opensearch'
  ) {
    return undefined;
  }
  const prefix = FOLDER_PREFIX[logging.type];
  const base = logging.baseFolder.replace(/\/+$/, '');
  if (!base.startsWith(prefix) || base.length <= prefix.length) {
    throw new InputError(
      `remoteLogging.baseFolder "${logging.baseFolder}" must start with "${prefix}" for type ${logging.type}`,
    );
  }
  return `${base}/${ctx.namespace}`;
}

/** Plain Airflow settings of remote logging (the `airflow-config` ConfigMap). */
export function loggingAirflowConfig(
  ctx: RenderContext,
): Record<string, string> {
  const logging = ctx.input.remoteLogging;
  if (!logging || !supported(ctx)) {
    return {};
  }
  const config: Record<string, string> = {
    AIRFLOW__LOGGING__REMOTE_LOGGING: 'True',
  };
  if (logging.type === 'elasticsearch' || logging.type === 'opensearch') {
    const section =
      logging.type === 'elasticsearch' ? 'ELASTICSEARCH' : 'OPENSEARCH';
    config[`AIRFLOW__${section}__WRITE_STDOUT`] = 'True';
    config[`AIRFLOW__${section}__JSON_FORMAT`] = 'True';
    config[
      `AIRFLOW__${section}__LOG_ID_TEMPLATE`
    ] = `${ctx.namespace}-${LOG_ID_FIELDS}`;
    if (logging.type === 'opensearch') {
      if (!Number.isInteger(logging.port) || logging.port < 1) {
        throw new InputError('remoteLogging.port must be a TCP port');
      }
      config.AIRFLOW__OPENSEARCH__PORT = String(logging.port);
      if (logging.username) {
        config.AIRFLOW__OPENSEARCH__USERNAME = logging.username;
      }
    }
    return config;
  }
  config.AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER = deploymentFolder(ctx)!;
  const connectionId = logging.connection?.uri
    ? REMOTE_LOGGING_CONNECTION_ID
    : logging.connection?.id;
  if (connectionId) {
    config.AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID = connectionId;
  }
  if (logging.type === 'wasb' && logging.wasbContainer) {
    config.AIRFLOW__AZURE_REMOTE_LOGGING__REMOTE_WASB_LOG_CONTAINER =
      logging.wasbContainer;
  }
  return config;
}

/**
 * Secret variables of remote logging (the `airflow-env` Secret, where they
 * win over users' variables): the connection URI, the Elasticsearch host
 * (it may carry credentials), the OpenSearch host and password.
 */
export function loggingSecretEnv(ctx: RenderContext): Record<string, string> {
  const logging = ctx.input.remoteLogging;
  if (!logging || !supported(ctx)) {
    return {};
  }
  if (logging.type === 'elasticsearch') {
    return { AIRFLOW__ELASTICSEARCH__HOST: logging.host };
  }
  if (logging.type === 'opensearch') {
    return {
      AIRFLOW__OPENSEARCH__HOST: logging.host,
      ...(logging.password
        ? { AIRFLOW__OPENSEARCH__PASSWORD: logging.password }
        : {}),
    };
  }
  return logging.connection?.uri
    ? { [REMOTE_LOGGING_CONNECTION_VARIABLE]: logging.connection.uri }
    : {};
}

/** The logs volume and its mount, for pods that run or schedule tasks. */
export function logsPodParts(): {
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
} {
  return {
    volumes: [{ name: LOGS_VOLUME, emptyDir: { sizeLimit: LOGS_SIZE_LIMIT } }],
    mounts: [{ name: LOGS_VOLUME, mountPath: LOGS_MOUNT_PATH }],
  };
}

/** Whether task logs outlive the pods that wrote them, and why (not). */
export function loggingConditions(ctx: RenderContext): RenderCondition[] {
  const logging = ctx.input.remoteLogging;
  const lost = `Task logs live in each pod's logs volume (at most ${LOGS_SIZE_LIMIT}) and are lost when KEDA removes a worker or a task pod is deleted`;
  if (!logging) {
    return [
      {
        type: LOGS_DURABLE_CONDITION,
        status: 'False',
        reason: 'NoRemoteLogging',
        message: `${lost}: the cluster has no remoteLogging configured`,
      },
    ];
  }
  if (!supported(ctx)) {
    return [
      {
        type: LOGS_DURABLE_CONDITION,
        status: 'False',
        reason: 'RemoteLoggingUnsupported',
        message: `${lost}: Airflow ${ctx.input.runtime.airflowVersion} cannot read task logs back from OpenSearch (Airflow ${OPENSEARCH_MIN_AIRFLOW} or newer can)`,
      },
    ];
  }
  const stores: Record<string, string> = {
    elasticsearch: 'Elasticsearch',
    opensearch: 'OpenSearch',
  };
  const where = stores[logging.type] ?? deploymentFolder(ctx);
  return [
    {
      type: LOGS_DURABLE_CONDITION,
      status: 'True',
      reason: 'RemoteLogging',
      message: `Task logs are written to ${where}`,
    },
  ];
}
