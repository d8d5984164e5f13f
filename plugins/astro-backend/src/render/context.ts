import { InputError } from '@backstage/errors';
import {
  ResourceSize,
  WorkerQueue,
  describeInvalidName,
} from '@airflow-portal/plugin-astro-common';
import type {
  RenderDeploymentIdentity,
  RenderImages,
  RenderInput,
} from './types';
import { NAMES, PORTS } from './names';
import { QuotaPlan, planQuota } from './quota';

/** Secrets of the platform; no pull secret may take their names. */
const RESERVED_SECRET_NAMES = new Set<string>([
  NAMES.keysSecret,
  NAMES.metadataSecret,
  NAMES.brokerSecret,
  NAMES.envSecret,
  NAMES.pgbouncerSecret,
  NAMES.postgresSecret,
  NAMES.dagSyncSecret,
]);

/**
 * Pinned default images of the supporting services.
 *
 * @public
 */
export const DEFAULT_RENDER_IMAGES: RenderImages = {
  redis: 'redis:7.2.7-bookworm',
  pgbouncer: 'apache/airflow:airflow-pgbouncer-2025.03.05-1.23.1',
  postgres: 'postgres:16.6-bookworm',
  gitSync: 'registry.k8s.io/git-sync/git-sync:v4.4.2',
};

/** Where the Airflow UI and REST API are served for an Airflow version. */
export interface AirflowUiService {
  /** `api-server` on Airflow 3, `webserver` on Airflow 2. */
  component: 'api-server' | 'webserver';
  /** Name of its Deployment and Service. */
  name: 'api-server' | 'webserver';
  port: number;
  /** Path that answers 200 when the component is healthy. */
  healthPath: string;
}

/**
 * The Service that serves the Airflow UI and API of a Deployment, and its
 * health endpoint; what the monitor probes through the service proxy.
 *
 * @public
 */
export function airflowUiService(airflowVersion: string): AirflowUiService {
  return airflowMajorVersion(airflowVersion) >= 3
    ? {
        component: 'api-server',
        name: 'api-server',
        port: PORTS.airflowUi,
        healthPath: '/api/v2/monitor/health',
      }
    : {
        component: 'webserver',
        name: 'webserver',
        port: PORTS.airflowUi,
        healthPath: '/health',
      };
}

/** Major version of an Airflow version string; throws when it is not one. */
export function airflowMajorVersion(airflowVersion: string): number {
  const match = /^(\d+)\.(\d+)(\.\d+)?([-+.].*)?$/.exec(airflowVersion);
  if (!match) {
    throw new InputError(
      `Airflow version "${airflowVersion}" is not a version number`,
    );
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 2 || (major === 2 && minor < 7)) {
    throw new InputError(
      `Airflow ${airflowVersion} is not supported; the renderer needs 2.7 or newer`,
    );
  }
  return major;
}

/**
 * Where the Airflow components take their DAGs from:
 * - `image`: the DAGs baked into the image (no DAG sync configured);
 * - `sync`: DAG deploys, fetched from the backend by the DAG sync;
 * - `git`: a Git repository (`settings.gitDagBundle`), through a
 *   GitDagBundle on Airflow 3 or git-sync on Airflow 2.
 */
export type DagSource =
  | { kind: 'image' }
  | { kind: 'sync'; url: string; intervalSeconds: number; token: string }
  | {
      kind: 'git';
      repositoryUrl: string;
      ref: string;
      /** Normalized, without leading `./` or trailing `/`; empty for the root. */
      subdirectory: string;
      /** `https` for `https://` URLs, `ssh` for `ssh://` and `git@host:path`. */
      transport: 'https' | 'ssh';
      /** The secret variable holding the token (HTTPS) or private key (SSH). */
      credentials?: { variable: string; value: string };
    };

/** What every renderer module reads: the input and facts derived from it. */
export interface RenderContext {
  input: RenderInput;
  deployment: RenderDeploymentIdentity;
  namespace: string;
  image: string;
  images: RenderImages;
  airflow3: boolean;
  celery: boolean;
  /** Worker queues; empty with the Kubernetes executor. */
  queues: WorkerQueue[];
  keda: boolean;
  kedaNamespace: string;
  /** Labels of KEDA's operator pods. */
  kedaOperatorLabels: Record<string, string>;
  ui: AirflowUiService;
  dags: DagSource;
  /** Names of the image pull Secrets every pod references. */
  pullSecretNames: string[];
  schedulerResources: ResourceSize;
  /** Resources of a queue's worker machine. */
  workerResources(queue: WorkerQueue): ResourceSize;
  /** `<service>.<namespace>.svc`: resolvable from any namespace of the cluster. */
  serviceHost(service: string): string;
  /** What the settings need of the namespace quota, and the parallelism it leaves. */
  quota: QuotaPlan;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Host, database and user names that are safe in pgbouncer.ini without quoting. */
const PLAIN_WORD = /^[A-Za-z0-9_.-]+$/;

function check(condition: boolean, message: string) {
  if (!condition) {
    throw new InputError(message);
  }
}

function validateInput(input: RenderInput) {
  const { deployment, credentials, database, settings } = input;
  check(
    DNS_LABEL.test(deployment.namespace) && deployment.namespace.length <= 63,
    `namespace "${deployment.namespace}" is not a DNS-1123 label`,
  );
  check(
    LABEL_VALUE.test(deployment.id) && deployment.id.length <= 63,
    `deployment id "${deployment.id}" is not a valid label value`,
  );
  for (const [what, value] of [
    ['organization', deployment.organization],
    ['workspace', deployment.workspace],
    ['deployment', deployment.name],
  ] as const) {
    const problem = describeInvalidName(value, 63);
    check(!problem, `${what} name "${value}" ${problem}`);
  }
  check(
    Number.isInteger(deployment.generation) && deployment.generation >= 0,
    'generation must be a non-negative integer',
  );
  for (const [key, value] of Object.entries(credentials)) {
    check(
      (key === 'bundleToken' && value === undefined) ||
        (typeof value === 'string' && value.length > 0),
      `credential ${key} is missing`,
    );
  }
  check(database.password.length > 0, 'database password is missing');
  if (database.mode === 'external') {
    for (const [key, value] of [
      ['host', database.host],
      ['database', database.database],
      ['user', database.user],
    ] as const) {
      check(
        PLAIN_WORD.test(value),
        `database ${key} "${value}" may only contain letters, digits, ".", "_" and "-"`,
      );
    }
    check(
      Number.isInteger(database.port) &&
        database.port > 0 &&
        database.port < 65536,
      'database port must be a TCP port',
    );
  }
  for (const variable of settings.environmentVariables) {
    check(
      variable.value !== undefined,
      `environment variable ${variable.key} has no value; resolve secret values before rendering`,
    );
  }
}

function validatePullSecrets(input: RenderInput): string[] {
  const names = new Set<string>();
  for (const pullSecret of input.pullSecrets ?? []) {
    const { name } = pullSecret;
    check(
      DNS_SUBDOMAIN.test(name) && name.length <= 253,
      `pull secret name "${name}" is not a DNS-1123 subdomain`,
    );
    check(
      !RESERVED_SECRET_NAMES.has(name),
      `pull secret name "${name}" is used by the platform`,
    );
    check(!names.has(name), `pull secret "${name}" is given twice`);
    names.add(name);
    let document: unknown;
    try {
      document = JSON.parse(pullSecret.dockerConfigJson);
    } catch {
      document = undefined;
    }
    // The value is a credential: never echo it.
    check(
      document !== null &&
        typeof document === 'object' &&
        !Array.isArray(document),
      `pull secret "${name}" is not a .dockerconfigjson document`,
    );
  }
  return [...names];
}

/** `https` or `ssh`, as the repository URL says (the settings schema admits nothing else). */
function gitTransport(url: string): 'https' | 'ssh' {
  if (url.startsWith('https://')) {
    return 'https';
  }
  check(
    url.startsWith('ssh://') || url.startsWith('git@'),
    `Git repository URL "${url}" is neither HTTPS nor SSH`,
  );
  return 'ssh';
}

function dagSource(input: RenderInput): DagSource {
  const git = input.settings.gitDagBundle;
  if (git) {
    const subdirectory = git.subdirectory
      .split('/')
      .filter(part => part !== '' && part !== '.')
      .join('/');
    check(
      !subdirectory.split('/').includes('..'),
      'the Git DAG bundle subdirectory must stay inside the repository',
    );
    let credentials: { variable: string; value: string } | undefined;
    if (git.credentialsVariable !== undefined) {
      const variable = input.settings.environmentVariables.find(
        v => v.key === git.credentialsVariable && v.secret,
      );
      check(
        variable !== undefined && Boolean(variable.value),
        `gitDagBundle.credentialsVariable "${git.credentialsVariable}" names no secret environment variable with a value`,
      );
      credentials = { variable: variable!.key, value: variable!.value! };
    }
    return {
      kind: 'git',
      repositoryUrl: git.repositoryUrl,
      ref: git.ref,
      subdirectory,
      transport: gitTransport(git.repositoryUrl),
      ...(credentials ? { credentials } : {}),
    };
  }
  const { dagSync } = input;
  const token = input.credentials.bundleToken;
  if (!dagSync || !token) {
    return { kind: 'image' };
  }
  let url: URL | undefined;
  try {
    url = new URL(dagSync.url);
  } catch {
    url = undefined;
  }
  check(
    url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password,
    `DAG sync URL "${dagSync.url}" is not an http(s) URL without credentials`,
  );
  check(
    Number.isInteger(dagSync.syncIntervalSeconds) &&
      dagSync.syncIntervalSeconds >= 1 &&
      dagSync.syncIntervalSeconds <= 3600,
    'DAG sync interval must be a whole number of seconds from 1 to 3600',
  );
  return {
    kind: 'sync',
    url: dagSync.url.replace(/\/+$/, ''),
    intervalSeconds: dagSync.syncIntervalSeconds,
    token,
  };
}

/**
 * Validates the input and derives what the modules need.
 *
 * @throws InputError when the input cannot be rendered.
 */
export function createRenderContext(input: RenderInput): RenderContext {
  validateInput(input);
  const { deployment, settings, sizes } = input;
  const airflow3 = airflowMajorVersion(input.runtime.airflowVersion) >= 3;
  const celery = settings.executor === 'CELERY';

  const schedulerSize = sizes.schedulerSizes.find(
    s => s.size === settings.schedulerSize,
  );
  if (!schedulerSize) {
    throw new InputError(`unknown scheduler size ${settings.schedulerSize}`);
  }
  const queues = celery ? settings.workerQueues : [];
  check(
    !celery || queues.length > 0,
    'the Celery executor needs at least one worker queue',
  );
  const machines = new Map(sizes.workerMachines.map(m => [m.name, m]));
  for (const queue of queues) {
    check(
      machines.has(queue.workerSize),
      `worker queue ${queue.name} uses unknown worker machine ${queue.workerSize}`,
    );
    check(
      DNS_LABEL.test(queue.name) && queue.name.length <= 32,
      `worker queue name "${queue.name}" is not a DNS-1123 label of at most 32 characters`,
    );
  }

  const dags = dagSource(input);
  const pullSecretNames = validatePullSecrets(input);

  return {
    input,
    deployment,
    namespace: deployment.namespace,
    image: input.runtime.image,
    images: { ...DEFAULT_RENDER_IMAGES, ...input.images },
    airflow3,
    celery,
    queues,
    keda: input.capabilities.keda,
    kedaNamespace: input.keda?.namespace ?? input.kedaNamespace ?? 'keda',
    kedaOperatorLabels: input.keda?.operatorPodLabels ?? {
      'app.kubernetes.io/name': 'keda-operator',
    },
    ui: airflowUiService(input.runtime.airflowVersion),
    dags,
    pullSecretNames,
    schedulerResources: {
      cpu: schedulerSize.cpu,
      memory: schedulerSize.memory,
    },
    workerResources(queue) {
      const machine = machines.get(queue.workerSize)!;
      return { cpu: machine.cpu, memory: machine.memory };
    },
    serviceHost(service) {
      return `${service}.${deployment.namespace}.svc`;
    },
    quota: planQuota({
      settings,
      sizes,
      airflow3,
      dags: dags.kind,
      inNamespaceDatabase: input.database.mode === 'in-namespace',
    }),
  };
}
