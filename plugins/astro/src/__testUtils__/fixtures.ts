import {
  Cluster,
  Deployment,
  Organization,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import { testDeploymentOptions } from '@airflow-portal/plugin-astro-common/testUtils';

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
export const options = testDeploymentOptions;

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
    image: 'apache/airflow:3.1.3',
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
      isCicdEnforced: false,
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
