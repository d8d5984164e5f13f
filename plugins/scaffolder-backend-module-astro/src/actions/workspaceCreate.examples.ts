import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './examples';

const step = (description: string, input: object) =>
  exampleStep('astro:workspace:create', 'create-workspace', description, input);

export const examples: TemplateExample[] = [
  step('Create a workspace owned by a team.', {
    organization: 'acme',
    name: 'data-eng',
    title: 'Data Engineering',
    owner: 'group:default/data-engineering',
  }),
  step('Create a workspace that may use a dedicated cluster.', {
    organization: 'acme',
    name: 'ml',
    owner: '${{ parameters.owner }}',
    clusterGrants: ['acme-gpu'],
  }),
];
