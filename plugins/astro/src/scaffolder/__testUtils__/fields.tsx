import { ReactElement } from 'react';
import { ResponseError } from '@backstage/errors';
import {
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import {
  DEFAULT_SCHEDULER_SIZES,
  DEFAULT_WORKER_MACHINES,
  Deployment,
  DeploymentOptions,
  Organization,
  RESERVED_ENVIRONMENT_VARIABLES,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import { AstroApi, astroApiRef } from '../../api';

export const deploymentOptions: DeploymentOptions = {
  runtimeReleases: [
    { airflowVersion: '2.11.0', image: 'airflow:2.11.0', isDefault: false },
    { airflowVersion: '3.1.3', image: 'airflow:3.1.3', isDefault: true },
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

const AUDIT = {
  description: '',
  createdAt: '2026-11-26T10:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-11-26T10:00:00.000Z',
  updatedBy: 'user:default/jane',
  version: 1,
};

const organization = (name: string, title: string): Organization => ({
  name,
  title,
  ...AUDIT,
});

const workspace = (org: string, name: string, title: string): Workspace => ({
  name,
  organization: org,
  title,
  clusterGrants: [],
  ...AUDIT,
});

/** The part of the Astro API the fields use, over fixed data. */
export function fakeAstroApi(
  options: {
    organizations?: Organization[];
    workspaces?: Workspace[];
    deployments?: Array<Pick<Deployment, 'organization' | 'name'>>;
  } = {},
) {
  const organizations = options.organizations ?? [
    organization('acme', 'ACME'),
    organization('globex', 'Globex'),
  ];
  const workspaces = options.workspaces ?? [
    workspace('acme', 'data-eng', 'Data Engineering'),
    workspace('acme', 'analytics', 'Analytics'),
    workspace('globex', 'ml', 'Machine Learning'),
  ];
  const deployments = options.deployments ?? [
    { organization: 'acme', name: 'prod-etl' },
  ];
  return {
    getDeploymentOptions: jest.fn(async () => deploymentOptions),
    listOrganizations: jest.fn(async () => organizations),
    listWorkspaces: jest.fn(async (org: string) =>
      workspaces.filter(w => w.organization === org),
    ),
    getDeployment: jest.fn(async (org: string, name: string) => {
      const found = deployments.find(
        d => d.organization === org && d.name === name,
      );
      if (!found) {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'No such Deployment' },
              response: { statusCode: 404 },
            }),
            { status: 404, statusText: 'Not Found' },
          ),
        );
      }
      return found as Deployment;
    }),
  } satisfies Partial<AstroApi>;
}

/** Renders a field with the fake API. */
export function renderField(
  element: ReactElement,
  api: Partial<AstroApi> = fakeAstroApi(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[astroApiRef, api]]}>{element}</TestApiProvider>,
  );
}

/** What a field validator gets besides the value. */
export function validatorContext(
  api: Partial<AstroApi>,
  formData: Record<string, unknown> = {},
  uiOptions: Record<string, string> = {},
) {
  const errors: string[] = [];
  return {
    errors,
    validation: {
      addError: (message: string) => {
        errors.push(message);
      },
      __errors: errors,
    },
    context: {
      apiHolder: TestApiRegistry.from([astroApiRef, api]),
      formData: formData as any,
      schema: {},
      uiSchema: { 'ui:options': uiOptions } as any,
    },
  };
}
