import {
  Cluster,
  DEFAULT_SCHEDULER_SIZES,
  DEFAULT_WORKER_MACHINES,
  Deployment,
  DeploymentOptions,
  Organization,
  RESERVED_ENVIRONMENT_VARIABLES,
  Workspace,
} from '@airflow-portal/plugin-astro-common';

const AT = '2026-11-20T10:00:00.000Z';

const metadata = {
  description: '',
  createdAt: AT,
  createdBy: 'user:default/alice',
  updatedAt: AT,
  updatedBy: 'user:default/alice',
  version: 1,
};

/** Options as a default backend serves them. */
export const options: DeploymentOptions = {
  runtimeReleases: [
    { airflowVersion: '3.1.3', image: 'apache/airflow:3.1.3', isDefault: true },
    {
      airflowVersion: '2.11.0',
      image: 'apache/airflow:2.11.0',
      isDefault: false,
    },
  ],
  executors: ['CELERY', 'KUBERNETES'],
  defaultExecutor: 'CELERY',
  schedulerSizes: DEFAULT_SCHEDULER_SIZES,
  defaultSchedulerSize: 'SMALL',
  workerMachines: DEFAULT_WORKER_MACHINES,
  workerQueues: {
    defaultQueueName: 'default',
    defaultWorkerMachine: 'A5',
    maxQueues: 10,
    minWorkers: { default: 0, floor: 0, ceiling: 30 },
    maxWorkers: { default: 10, floor: 1, ceiling: 30 },
    concurrency: { default: 5, floor: 1, ceiling: 64 },
  },
  workerGracePeriodSeconds: { default: 86400, floor: 0, ceiling: 172800 },
  resourceQuota: {
    default: { cpu: '20', memory: '40Gi' },
    max: { cpu: '200', memory: '400Gi' },
  },
  defaultTaskPodSize: {
    default: { cpu: '500m', memory: '1Gi' },
    max: { cpu: '8', memory: '16Gi' },
  },
  reservedEnvironmentVariables: RESERVED_ENVIRONMENT_VARIABLES,
  limits: {
    maxEnvironmentVariables: 200,
    maxEnvironmentVariableValueLength: 10000,
    maxHibernationSchedules: 10,
    maxContactEmails: 20,
  },
};

export const organization: Organization = {
  ...metadata,
  name: 'acme',
  title: 'Acme Corp',
};

export const workspace: Workspace = {
  ...metadata,
  name: 'data-eng',
  title: 'Data Engineering',
  description: 'Ingestion pipelines',
  organization: 'acme',
  owner: 'group:default/data-eng',
  clusterGrants: [],
};

export const cluster: Cluster = {
  ...metadata,
  name: 'simulator',
  title: 'Built-in simulator',
  type: 'standard',
  provider: 'simulator',
  region: 'local',
  driver: 'simulator',
  source: 'declared',
  deploymentCount: 1,
};

/** A healthy Celery Deployment; override what a test needs. */
export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    ...metadata,
    name: 'etl',
    title: 'Nightly ETL',
    organization: 'acme',
    workspace: 'data-eng',
    cluster: 'simulator',
    namespace: 'astro-etl-1a2b3c',
    settings: {
      airflowVersion: '3.1.3',
      executor: 'CELERY',
      schedulerSize: 'SMALL',
      highAvailability: false,
      workerQueues: [
        {
          name: 'default',
          isDefault: true,
          workerSize: 'A5',
          minWorkers: 0,
          maxWorkers: 10,
          concurrency: 5,
        },
      ],
      environmentVariables: [
        { key: 'LOG_LEVEL', value: 'info', secret: false },
        { key: 'API_TOKEN', secret: true },
      ],
      resourceQuota: { cpu: '20', memory: '40Gi' },
      defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
      workerGracePeriodSeconds: 86400,
      hibernation: { schedules: [] },
      contactEmails: [],
    },
    status: 'HEALTHY',
    statusReason: 'All components ready',
    statusChangedAt: AT,
    conditions: [],
    generation: 2,
    observedGeneration: 2,
    airflowUrl: 'https://airflow.example.com/acme/etl',
    ...overrides,
  };
}
