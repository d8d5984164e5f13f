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
import { PORTS } from './names';

/**
 * Pinned default images of the supporting services.
 *
 * @public
 */
export const DEFAULT_RENDER_IMAGES: RenderImages = {
  redis: 'redis:7.2.7-bookworm',
  pgbouncer: 'apache/airflow:airflow-pgbouncer-2025.03.05-1.23.1',
  postgres: 'postgres:16.6-bookworm',
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
  ui: AirflowUiService;
  schedulerResources: ResourceSize;
  /** Resources of a queue's worker machine. */
  workerResources(queue: WorkerQueue): ResourceSize;
  /** `<service>.<namespace>.svc`: resolvable from any namespace of the cluster. */
  serviceHost(service: string): string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
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
      typeof value === 'string' && value.length > 0,
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
    kedaNamespace: input.kedaNamespace ?? 'keda',
    ui: airflowUiService(input.runtime.airflowVersion),
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
  };
}
