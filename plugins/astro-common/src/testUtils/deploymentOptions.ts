import {
  DEFAULT_SCHEDULER_SIZES,
  DEFAULT_WORKER_MACHINES,
  DeploymentOptions,
  RESERVED_ENVIRONMENT_VARIABLES,
} from '../settings/options';

/**
 * Deployment options as a backend with the default config serves them, for
 * tests.
 *
 * @public
 */
export const testDeploymentOptions: DeploymentOptions = {
  runtimeReleases: [
    {
      airflowVersion: '3.1.3',
      image: 'apache/airflow:3.1.3',
      isDefault: true,
      deprecated: false,
      endOfLife: false,
    },
    {
      airflowVersion: '2.11.0',
      image: 'apache/airflow:2.11.0',
      isDefault: false,
      deprecated: false,
      endOfLife: false,
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
