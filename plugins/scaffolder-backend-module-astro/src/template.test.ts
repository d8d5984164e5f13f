import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  componentEntityV1alpha1Validator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

/*
 * The repository's "New Airflow Deployment" template: a valid Template that
 * uses this module's actions with the inputs they take, the Astro form
 * fields, and a DAG repository skeleton whose component depends on the
 * Deployment.
 */
const TEMPLATE_DIR = resolve(
  __dirname,
  '../../../examples/templates/new-airflow-deployment',
);
const template = parse(
  readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
);

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesIn(path) : [path];
  });
}

/** Renders `${{ values.x }}` (and `values.x or 'y'`) the way fetch:template would. */
function render(text: string, values: Record<string, string>) {
  return text.replace(
    /\$\{\{\s*values\.(\w+)(?:\s+or\s+'([^']*)')?(?:\s*\|[^}]*)?\s*\}\}/g,
    (_match, key: string, fallback?: string) => values[key] || fallback || '',
  );
}

describe('the New Airflow Deployment template', () => {
  it('is a valid Template entity', async () => {
    await expect(templateEntityV1beta3Validator.check(template)).resolves.toBe(
      true,
    );
    expect(template.metadata.title).toBe('New Airflow Deployment');
  });

  it('asks for the workspace, name and settings with the Astro form fields', () => {
    const fields = template.spec.parameters.flatMap((page: any) =>
      Object.values(page.properties).map((p: any) => p['ui:field']),
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        'AstroWorkspacePicker',
        'AstroDeploymentNamePicker',
        'AstroDeploymentSettingsPicker',
      ]),
    );
    // Choices come from /deployment-options, never from the template.
    const text = readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8');
    expect(text).not.toMatch(/enum:/);
    expect(text).not.toMatch(/3\.1\.3|SMALL|CELERY/);
  });

  it('creates the Deployment, waits for HEALTHY and publishes only when a repository is chosen', () => {
    const steps = Object.fromEntries(
      template.spec.steps.map((step: any) => [step.id, step]),
    );
    expect(steps['create-deployment'].action).toBe('astro:deployment:create');
    expect(Object.keys(steps['create-deployment'].input).sort()).toEqual([
      'description',
      'name',
      'organization',
      'secretVariables',
      'settings',
      'title',
      'workspace',
    ]);
    expect(steps.wait).toMatchObject({
      action: 'astro:deployment:wait',
      input: { status: 'HEALTHY', timeoutSeconds: 600 },
    });
    expect(steps.publish.action).toBe('publish:github');
    expect(steps.publish.if).toContain('parameters.repoUrl');
    expect(steps.register.if).toContain('parameters.repoUrl');
    expect(steps['fetch-dag-repository'].if).toBe(
      '${{ parameters.createRepository }}',
    );
  });

  it('takes secret variable values from the task secrets, never from its parameters', () => {
    const steps = Object.fromEntries(
      template.spec.steps.map((step: any) => [step.id, step]),
    );
    const input = steps['create-deployment'].input;
    expect(input.settings).toBe('${{ parameters.airflow.settings }}');
    expect(input.secretVariables).toBe('${{ secrets.airflow }}');
    // No other step or output sees the secrets.
    const elsewhere = JSON.stringify([
      template.spec.steps.filter((s: any) => s.id !== 'create-deployment'),
      template.spec.output,
    ]);
    expect(elsewhere).not.toContain('secrets');
  });

  it('reviews the settings by the picker lines, hiding what it hands the action', () => {
    const airflow = template.spec.parameters[1].properties.airflow;
    expect(airflow['ui:field']).toBe('AstroDeploymentSettingsPicker');
    expect(airflow['ui:hideError']).toBe(true);
    expect(airflow.properties.settings['ui:backstage'].review.show).toBe(false);
    expect(
      airflow.properties.secretKeysWithValue['ui:backstage'].review.show,
    ).toBe(false);
    expect(airflow.properties.review).toMatchObject({
      type: 'array',
      items: { type: 'string' },
    });
    expect(airflow.properties.review['ui:backstage']).toBeUndefined();
  });

  it('generates a DAG repository whose component depends on the Deployment', async () => {
    const values = {
      name: 'nightly-etl',
      organization: 'demo',
      workspace: 'data-engineering',
      deploymentRef: 'astrodeployment:demo/nightly-etl',
      portalUrl:
        'http://localhost:3000/astro/organizations/demo/deployments/nightly-etl',
      owner: 'group:default/data-engineering',
      airflowVersion: '3.1.3',
      executor: 'CELERY',
    };
    const content = join(TEMPLATE_DIR, 'content');
    expect(
      filesIn(content)
        .map(f => relative(content, f))
        .sort(),
    ).toEqual([
      '.gitignore',
      'README.md',
      'catalog-info.yaml',
      'dags/example_dag.py',
      'requirements.txt',
      'tests/test_dag_integrity.py',
    ]);

    const [document] = parseAllDocuments(
      render(readFileSync(join(content, 'catalog-info.yaml'), 'utf8'), values),
    );
    const component = document.toJS();
    await expect(
      componentEntityV1alpha1Validator.check(component),
    ).resolves.toBe(true);
    expect(component.spec.dependsOn).toEqual([
      'astrodeployment:demo/nightly-etl',
    ]);
    expect(parseEntityRef(component.spec.dependsOn[0])).toEqual({
      kind: 'astrodeployment',
      namespace: 'demo',
      name: 'nightly-etl',
    });
    expect(component.spec.owner).toBe('group:default/data-engineering');

    const withoutOwner = parseAllDocuments(
      render(readFileSync(join(content, 'catalog-info.yaml'), 'utf8'), {
        ...values,
        owner: '',
      }),
    )[0].toJS();
    expect(withoutOwner.spec.owner).toBe('group:default/data-platform');
  });
});
