import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './examples';

const step = (description: string, input: object) =>
  exampleStep('astro:deployment:wait', 'wait', description, input);

export const examples: TemplateExample[] = [
  step('Wait up to 10 minutes for the new Deployment to be healthy.', {
    organization: '${{ steps["create-deployment"].input.organization }}',
    deployment: '${{ steps["create-deployment"].output.name }}',
    timeoutSeconds: 600,
  }),
  step('Wait for hibernation, failing early when it turns unhealthy.', {
    organization: 'acme',
    deployment: 'prod-etl',
    status: 'HIBERNATING',
    failOn: ['UNHEALTHY', 'DELETING'],
    timeoutSeconds: 300,
    pollIntervalSeconds: 10,
  }),
];
