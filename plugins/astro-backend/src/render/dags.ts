import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  V1Container,
  V1EnvVar,
  V1LocalObjectReference,
  V1Probe,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { RenderContext } from './context';
import {
  ConfigRef,
  CURRENT_DAGS_PATH,
  DAGS_MOUNT_PATH,
  DAG_SYNC_SCRIPT_DIR,
  DAG_SYNC_SCRIPT_KEY,
  NAMES,
} from './names';
import { guaranteedResources } from './objects';
import { CONTAINER_SECURITY_CONTEXT } from './pods';
import { COMPONENT_RESOURCES } from './resources';

/*
 * Where the Airflow components take their DAGs from (see `DagSource`), and
 * the configuration, volumes and containers that follows.
 *
 * DAG sync (DAG deploys): every component that parses or runs DAGs shares an
 * emptyDir `dags` with an init container `dag-sync-init` (the script with
 * `--once`, so that Airflow starts with the current bundle) and a sidecar
 * `dag-sync` (polls); Kubernetes-executor task pods get the init container
 * only. Airflow reads `/opt/airflow/dags/current`, a symbolic link the script
 * swaps atomically. Nothing here depends on the bundle version, so a DAG
 * deploy changes no pod template and restarts nothing.
 *
 * Git (`settings.gitDagBundle`):
 * - Airflow 3 reads the repository itself through the Git provider's
 *   GitDagBundle (in `[dag_processor] dag_bundle_config_list`), with a
 *   connection in an `AIRFLOW_CONN_…` variable of the Deployment's Secret of
 *   environment variables. Pods need no extra container.
 * - Airflow 2 has no DAG bundles: a git-sync (v4) init container and sidecar
 *   clone into the `dags` volume, as the official Airflow Helm chart does
 *   (`dags.gitSync`). Like the chart: the volume is mounted at `/git` in
 *   git-sync, which runs as its image's user 65533, with `GITSYNC_ROOT=/git`,
 *   `GITSYNC_DEPTH=1`, `GITSYNC_ADD_USER=true`, `GITSYNC_ONE_TIME=true` on
 *   the init container, HTTPS credentials as `GITSYNC_USERNAME` /
 *   `GITSYNC_PASSWORD` from a Secret, an SSH key file from a Secret volume
 *   (mode 0440) at `/etc/git-secret/ssh` with known-hosts checking off.
 *   Unlike the chart: only the v4 variable names (`GITSYNC_*`, not the v3
 *   `GIT_SYNC_*` twins), the link is `current` (the chart's is `repo`) so
 *   that the DAGs folder is `/opt/airflow/dags/current[/<subdirectory>]` in
 *   both modes, the credentials come straight from the secret variable
 *   `credentialsVariable` of the Deployment's Secret `airflow-env`, the DAGs
 *   volume is an emptyDir per pod (the chart can also share a PVC), fixed
 *   requests = limits (Guaranteed QoS) and no known_hosts option.
 */

/** The DAG sync script as shipped in this package (`assets/dag_sync.py`). */
export const DAG_SYNC_SCRIPT_PATH = resolvePackagePath(
  '@airflow-portal/plugin-astro-backend',
  'assets/dag_sync.py',
);

/**
 * The script, read once when the module loads: the renderer stays a pure
 * function of its input (and of the package it ships in).
 */
export const DAG_SYNC_SCRIPT = readFileSync(DAG_SYNC_SCRIPT_PATH, 'utf8');

/** Id of the Airflow connection of a Git DAG bundle (Airflow 3). */
export const GIT_CONNECTION_ID = 'astro_git_dags';

/** The variable Airflow reads that connection from. */
export const GIT_CONNECTION_VARIABLE = `AIRFLOW_CONN_${GIT_CONNECTION_ID.toUpperCase()}`;

/** User name sent with an HTTPS token; GitHub, GitLab and Azure DevOps accept any. */
export const GIT_HTTPS_USERNAME = 'git';

/** Airflow 3's bundle of a local folder (the core `LocalDagBundle`). */
export const LOCAL_DAG_BUNDLE_CLASSPATH =
  'airflow.dag_processing.bundles.local.LocalDagBundle';

/** The Git provider's bundle (`apache-airflow-providers-git`). */
export const GIT_DAG_BUNDLE_CLASSPATH =
  'airflow.providers.git.bundles.git.GitDagBundle';

/** Seconds between listings of the DAGs folder, so that new files show up soon after a deploy. */
const DAGS_LIST_INTERVAL_SECONDS = 30;

/** Seconds between fetches of a Git DAG bundle (Airflow 3) or git-sync (Airflow 2). */
const GIT_REFRESH_SECONDS = 60;

/** The file the DAG sync sidecar touches while it makes progress. */
const HEARTBEAT_FILE = '/tmp/dag-sync.alive';

const GIT_SYNC_ROOT = '/git';
const GIT_SSH_KEY_DIR = '/etc/git-secret';
/** git-sync's own user in its image, as the official chart runs it. */
const GIT_SYNC_USER = 65533;

/** The `name: dags` volume, shared by Airflow and the containers filling it. */
const DAGS_VOLUME = 'dags';
const DAG_SYNC_SCRIPT_VOLUME = 'dag-sync-script';
const GIT_SSH_KEY_VOLUME = 'git-ssh-key';

/** What the DAG source adds to a pod. */
export interface DagsPodParts {
  initContainers: V1Container[];
  sidecars: V1Container[];
  volumes: V1Volume[];
  /** Mounts of the Airflow container. */
  airflowMounts: V1VolumeMount[];
}

/** Nothing: for pods that neither parse nor run DAGs. */
export const NO_DAGS_PARTS: DagsPodParts = {
  initContainers: [],
  sidecars: [],
  volumes: [],
  airflowMounts: [],
};

function gitDagsFolder(subdirectory: string): string {
  return subdirectory
    ? `${CURRENT_DAGS_PATH}/${subdirectory}`
    : CURRENT_DAGS_PATH;
}

/**
 * Airflow settings of the DAG source (`AIRFLOW__…` variables of the
 * `airflow-config` ConfigMap); none for DAGs in the image.
 */
export function dagsAirflowConfig(ctx: RenderContext): Record<string, string> {
  const { dags } = ctx;
  if (dags.kind === 'sync') {
    const config: Record<string, string> = {
      AIRFLOW__CORE__DAGS_FOLDER: CURRENT_DAGS_PATH,
    };
    if (ctx.airflow3) {
      config.AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST = JSON.stringify([
        {
          // The name of Airflow 3's default bundle: DAGs keep their bundle.
          name: 'dags-folder',
          classpath: LOCAL_DAG_BUNDLE_CLASSPATH,
          kwargs: {
            path: CURRENT_DAGS_PATH,
            refresh_interval: DAGS_LIST_INTERVAL_SECONDS,
          },
        },
      ]);
    } else {
      config.AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL = String(
        DAGS_LIST_INTERVAL_SECONDS,
      );
    }
    return config;
  }
  if (dags.kind === 'git') {
    if (ctx.airflow3) {
      return {
        AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST: JSON.stringify([
          {
            name: 'git-repository',
            classpath: GIT_DAG_BUNDLE_CLASSPATH,
            kwargs: {
              repo_url: dags.repositoryUrl,
              tracking_ref: dags.ref,
              ...(dags.subdirectory ? { subdir: dags.subdirectory } : {}),
              git_conn_id: GIT_CONNECTION_ID,
              refresh_interval: GIT_REFRESH_SECONDS,
            },
          },
        ]),
      };
    }
    return {
      AIRFLOW__CORE__DAGS_FOLDER: gitDagsFolder(dags.subdirectory),
      AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL: String(
        DAGS_LIST_INTERVAL_SECONDS,
      ),
    };
  }
  return {};
}

/**
 * Secret variables the DAG source adds to the Deployment's Secret of
 * environment variables: the Git connection of Airflow 3 (its host the
 * repository, with the token as password or the private key in `extra`).
 * They win over users' variables of the same name.
 */
export function dagsSecretEnv(ctx: RenderContext): Record<string, string> {
  const { dags } = ctx;
  if (dags.kind !== 'git' || !ctx.airflow3) {
    return {};
  }
  const connection: Record<string, unknown> = {
    conn_type: 'git',
    host: dags.repositoryUrl,
  };
  if (dags.credentials) {
    const { value } = dags.credentials;
    if (dags.transport === 'https') {
      connection.login = GIT_HTTPS_USERNAME;
      connection.password = value;
    } else {
      // OpenSSH rejects a key file without its final newline.
      connection.extra = {
        private_key: value.endsWith('\n') ? value : `${value}\n`,
      };
    }
  }
  return { [GIT_CONNECTION_VARIABLE]: JSON.stringify(connection) };
}

/** Secrets and ConfigMaps pods of the DAG source read, for their checksum. */
export function dagsConfigRefs(ctx: RenderContext): ConfigRef[] {
  return ctx.dags.kind === 'sync'
    ? [`Secret/${NAMES.dagSyncSecret}`, `ConfigMap/${NAMES.dagSyncConfigMap}`]
    : [];
}

/** A liveness probe: the heartbeat file was touched within two minutes. */
const DAG_SYNC_LIVENESS: V1Probe = {
  exec: {
    command: [
      'sh',
      '-c',
      `test -n "$(find ${HEARTBEAT_FILE} -mmin -2 2>/dev/null)"`,
    ],
  },
  initialDelaySeconds: 30,
  periodSeconds: 30,
  timeoutSeconds: 5,
  failureThreshold: 3,
};

function dagSyncContainer(
  ctx: RenderContext,
  sync: Extract<RenderContext['dags'], { kind: 'sync' }>,
  once: boolean,
): V1Container {
  const env: V1EnvVar[] = [
    { name: 'ASTRO_BUNDLE_URL', value: sync.url },
    {
      name: 'ASTRO_BUNDLE_TOKEN',
      valueFrom: {
        secretKeyRef: { name: NAMES.dagSyncSecret, key: 'token' },
      },
    },
    {
      name: 'ASTRO_POD_NAME',
      valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
    },
    { name: 'ASTRO_DAGS_DIR', value: DAGS_MOUNT_PATH },
    {
      name: 'ASTRO_SYNC_INTERVAL_SECONDS',
      value: String(sync.intervalSeconds),
    },
  ];
  return {
    name: once ? 'dag-sync-init' : 'dag-sync',
    image: ctx.image,
    imagePullPolicy: 'IfNotPresent',
    // Not through the image's entrypoint: no database check, no dumb-init;
    // the script handles SIGTERM itself.
    command: [
      'python',
      `${DAG_SYNC_SCRIPT_DIR}/${DAG_SYNC_SCRIPT_KEY}`,
      ...(once ? ['--once'] : []),
    ],
    env,
    resources: guaranteedResources(COMPONENT_RESOURCES.dagSync),
    securityContext: CONTAINER_SECURITY_CONTEXT,
    volumeMounts: [
      { name: DAGS_VOLUME, mountPath: DAGS_MOUNT_PATH },
      {
        name: DAG_SYNC_SCRIPT_VOLUME,
        mountPath: DAG_SYNC_SCRIPT_DIR,
        readOnly: true,
      },
    ],
    ...(once ? {} : { livenessProbe: DAG_SYNC_LIVENESS }),
  };
}

function gitSyncContainer(
  ctx: RenderContext,
  git: Extract<RenderContext['dags'], { kind: 'git' }>,
  once: boolean,
): V1Container {
  const env: V1EnvVar[] = [
    { name: 'GITSYNC_REPO', value: git.repositoryUrl },
    { name: 'GITSYNC_REF', value: git.ref },
    { name: 'GITSYNC_ROOT', value: GIT_SYNC_ROOT },
    { name: 'GITSYNC_LINK', value: 'current' },
    { name: 'GITSYNC_DEPTH', value: '1' },
    { name: 'GITSYNC_PERIOD', value: `${GIT_REFRESH_SECONDS}s` },
    { name: 'GITSYNC_MAX_FAILURES', value: '3' },
    // Adds the arbitrary user to /etc/passwd, which ssh needs.
    { name: 'GITSYNC_ADD_USER', value: 'true' },
  ];
  if (once) {
    env.push({ name: 'GITSYNC_ONE_TIME', value: 'true' });
  }
  const volumeMounts: V1VolumeMount[] = [
    { name: DAGS_VOLUME, mountPath: GIT_SYNC_ROOT },
  ];
  if (git.credentials && git.transport === 'https') {
    env.push(
      { name: 'GITSYNC_USERNAME', value: GIT_HTTPS_USERNAME },
      {
        name: 'GITSYNC_PASSWORD',
        valueFrom: {
          secretKeyRef: {
            name: NAMES.envSecret,
            key: git.credentials.variable,
          },
        },
      },
    );
  } else if (git.credentials) {
    env.push(
      { name: 'GITSYNC_SSH_KEY_FILE', value: `${GIT_SSH_KEY_DIR}/ssh` },
      { name: 'GITSYNC_SSH_KNOWN_HOSTS', value: 'false' },
    );
    volumeMounts.push({
      name: GIT_SSH_KEY_VOLUME,
      mountPath: GIT_SSH_KEY_DIR,
      readOnly: true,
    });
  }
  return {
    name: once ? 'git-sync-init' : 'git-sync',
    image: ctx.images.gitSync,
    imagePullPolicy: 'IfNotPresent',
    env,
    resources: guaranteedResources(COMPONENT_RESOURCES.gitSync),
    securityContext: {
      ...CONTAINER_SECURITY_CONTEXT,
      runAsUser: GIT_SYNC_USER,
    },
    volumeMounts,
  };
}

/**
 * Containers, volumes and mounts a pod that parses or runs DAGs gets: an
 * init container (so that Airflow starts with the DAGs) and, with
 * `sidecar`, the container that keeps them current.
 */
export function dagsPodParts(
  ctx: RenderContext,
  options: { sidecar: boolean },
): DagsPodParts {
  const { dags } = ctx;
  const dagsVolume: V1Volume = { name: DAGS_VOLUME, emptyDir: {} };
  const airflowMounts: V1VolumeMount[] = [
    { name: DAGS_VOLUME, mountPath: DAGS_MOUNT_PATH, readOnly: true },
  ];
  if (dags.kind === 'sync') {
    return {
      initContainers: [dagSyncContainer(ctx, dags, true)],
      sidecars: options.sidecar ? [dagSyncContainer(ctx, dags, false)] : [],
      volumes: [
        dagsVolume,
        {
          name: DAG_SYNC_SCRIPT_VOLUME,
          configMap: { name: NAMES.dagSyncConfigMap },
        },
      ],
      airflowMounts,
    };
  }
  if (dags.kind === 'git' && !ctx.airflow3) {
    const volumes = [dagsVolume];
    if (dags.credentials && dags.transport === 'ssh') {
      volumes.push({
        name: GIT_SSH_KEY_VOLUME,
        secret: {
          secretName: NAMES.envSecret,
          items: [{ key: dags.credentials.variable, path: 'ssh' }],
          defaultMode: 0o440,
        },
      });
    }
    return {
      initContainers: [gitSyncContainer(ctx, dags, true)],
      sidecars: options.sidecar ? [gitSyncContainer(ctx, dags, false)] : [],
      volumes,
      airflowMounts,
    };
  }
  return NO_DAGS_PARTS;
}

/** `imagePullSecrets` of every pod, when the Deployment has pull secrets. */
export function imagePullSecrets(ctx: RenderContext): {
  imagePullSecrets?: V1LocalObjectReference[];
} {
  return ctx.pullSecretNames.length > 0
    ? { imagePullSecrets: ctx.pullSecretNames.map(name => ({ name })) }
    : {};
}
