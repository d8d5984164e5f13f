import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './examples';

const step = (description: string, input: object) =>
  exampleStep(
    'astro:deployment:create',
    'create-deployment',
    description,
    input,
  );

export const examples: TemplateExample[] = [
  step('Create a Deployment with the default settings.', {
    organization: 'acme',
    workspace: 'data-eng',
    name: 'prod-etl',
  }),
  step('Create a Deployment with settings from the form.', {
    organization: '${{ parameters.workspace.organization }}',
    workspace: '${{ parameters.workspace.workspace }}',
    name: '${{ parameters.name }}',
    title: 'Production ETL',
    description: 'Nightly ingestion pipelines',
    settings: {
      airflowVersion: '3.1.3',
      executor: 'CELERY',
      schedulerSize: 'MEDIUM',
      workerQueues: [
        { name: 'default', isDefault: true, minWorkers: 1, maxWorkers: 20 },
      ],
    },
  }),
  step(
    'Create a Deployment with a secret environment variable whose value comes from the template secrets (the AstroDeploymentSettingsPicker field named airflow puts it there), never from its parameters.',
    {
      organization: '${{ parameters.workspace.organization }}',
      workspace: '${{ parameters.workspace.workspace }}',
      name: '${{ parameters.name }}',
      settings: '${{ parameters.airflow.settings }}',
      secretVariables: '${{ secrets.airflow }}',
    },
  ),
  step('Create a Kubernetes-executor Deployment owned by another team.', {
    organization: 'acme',
    workspace: 'analytics',
    name: 'reports',
    owner: 'group:default/reporting',
    settings: { executor: 'KUBERNETES', workerQueues: [] },
  }),
];
