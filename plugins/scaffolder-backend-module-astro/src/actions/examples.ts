import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** One template step using `action`, as a documented example. */
export function exampleStep(
  action: string,
  id: string,
  description: string,
  input: object,
): TemplateExample {
  return {
    description,
    example: stringify({ steps: [{ id, action, name: description, input }] }),
  };
}
