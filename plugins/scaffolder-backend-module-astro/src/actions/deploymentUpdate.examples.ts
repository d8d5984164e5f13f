import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './examples';

const step = (description: string, input: object) =>
  exampleStep(
    'astro:deployment:update',
    'update-deployment',
    description,
    input,
  );

export const examples: TemplateExample[] = [
  step('Scale the default worker queue up to 30 workers.', {
    organization: 'acme',
    deployment: 'prod-etl',
    settings: {
      workerQueues: [
        { name: 'default', isDefault: true, minWorkers: 2, maxWorkers: 30 },
      ],
    },
  }),
  step('Upgrade Airflow and hand the Deployment to another team.', {
    organization: 'acme',
    deployment: 'prod-etl',
    owner: 'group:default/platform',
    settings: { airflowVersion: '3.1.3' },
  }),
];
