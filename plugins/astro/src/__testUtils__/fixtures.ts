import {
  AlertRule,
  AstroApiSchemas,
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
      kubernetesPodOperator: false,
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

/** A bundle version: `sha256:` and 64 hex digits made of `digit`. */
export function bundleVersion(digit: string = 'a'): string {
  return `sha256:${digit.repeat(64)}`;
}

/** A DAG deploy that succeeded; override what a test needs. */
export function deploy(
  overrides: Partial<AstroApiSchemas['Deploy']> = {},
): AstroApiSchemas['Deploy'] {
  return {
    id: '0b6e5c4e-2f41-4d7c-9f0e-8d8b3a1c2e7f',
    organization: 'acme',
    deployment: 'etl',
    type: 'DAG',
    status: 'DEPLOYED',
    image: 'apache/airflow:3.1.3',
    airflowVersion: '3.1.3',
    bundle: { version: bundleVersion(), size: 20480, files: 12 },
    description: 'Add the billing DAGs',
    origin: 'UI',
    createdBy: 'user:default/alice',
    createdAt: AT,
    deployedAt: AT,
    ...overrides,
  };
}

/** An active Deployment token; override what a test needs. */
export function apiToken(
  overrides: Partial<AstroApiSchemas['ApiToken']> = {},
): AstroApiSchemas['ApiToken'] {
  return {
    id: '2f9c1a7e-5b8d-4e36-9a01-77c4d2b8e6f3',
    name: 'github-actions',
    description: 'Deploys from the main branch',
    scope: 'DEPLOYMENT',
    organization: 'acme',
    workspace: 'data-eng',
    deployment: 'etl',
    role: 'DEPLOYMENT_ADMIN',
    prefix: 'astro_2f9c1a7e',
    createdBy: 'user:default/alice',
    createdAt: AT,
    ...overrides,
  };
}

/** An alert rule of the fixture Deployment with a notifications and a Slack channel. */
export function alertRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id: '9a3f6c2e-1b7d-4e58-8c0a-3d5e7f9b1c24',
    organization: 'acme',
    workspace: 'data-eng',
    deployment: 'etl',
    name: 'failing-dags',
    type: 'dag-failure',
    dagIds: ['billing_daily'],
    channels: [
      { id: 'c1', type: 'notifications', hasSecret: false },
      { id: 'c2', type: 'slack', hasSecret: true },
    ],
    enabled: true,
    createdAt: '2026-12-02T10:00:00.000Z',
    createdBy: 'user:default/alice',
    updatedAt: '2026-12-02T10:00:00.000Z',
    updatedBy: 'user:default/alice',
    version: 3,
    ...overrides,
  };
}
