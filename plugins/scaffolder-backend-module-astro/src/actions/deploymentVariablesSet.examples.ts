import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './examples';

const step = (description: string, input: object) =>
  exampleStep(
    'astro:deployment:variables:set',
    'set-variables',
    description,
    input,
  );

export const examples: TemplateExample[] = [
  step('Add or change variables, keeping the others.', {
    organization: 'acme',
    deployment: 'prod-etl',
    variables: [
      { key: 'AIRFLOW__CORE__DEFAULT_TIMEZONE', value: 'Europe/Paris' },
      {
        key: 'WAREHOUSE_PASSWORD',
        value: '${{ secrets.warehousePassword }}',
        secret: true,
      },
    ],
  }),
  step('Replace every variable with this list.', {
    organization: 'acme',
    deployment: 'prod-etl',
    replace: true,
    variables: [{ key: 'ENVIRONMENT', value: 'production' }],
  }),
];
