import { parse as parseYaml } from 'yaml';
import { fixtureInput } from './__testUtils__/renderInputs';
import { renderDeployment } from './renderDeployment';
import type { RenderResult } from './types';

type Any = any;

function find(result: RenderResult, kind: string, name: string): Any {
  const found = result.objects.find(
    o => o.object.kind === kind && o.object.metadata.name === name,
  );
  if (!found) {
    throw new Error(`${kind}/${name} is not rendered`);
  }
  return found.object;
}

/** Service account and whether its pods get a token, per pod-owning object. */
function accounts(result: RenderResult) {
  const tokens = new Map(
    result.objects
      .filter(o => o.object.kind === 'ServiceAccount')
      .map(o => [
        o.object.metadata.name,
        (o.object as Any).automountServiceAccountToken,
      ]),
  );
  const rows: Record<string, [string, boolean]> = {};
  for (const { object } of result.objects) {
    const spec = (object as Any).spec?.template?.spec;
    if (spec?.serviceAccountName) {
      rows[`${object.kind}/${object.metadata.name}`] = [
        spec.serviceAccountName,
        spec.automountServiceAccountToken ??
          tokens.get(spec.serviceAccountName),
      ];
    }
  }
  const template = result.objects.find(
    o => o.object.metadata.name === 'airflow-pod-template',
  );
  if (template) {
    const pod = parseYaml(
      (template.object as Any).data['pod_template_file.yaml'],
    );
    rows['task pod'] = [
      pod.spec.serviceAccountName,
      pod.spec.automountServiceAccountToken,
    ];
  }
  return rows;
}

describe('service accounts and RBAC', () => {
  it('gives no pod of a Celery Deployment a token by default', () => {
    const result = renderDeployment(fixtureInput());
    expect(accounts(result)).toEqual({
      'Deployment/scheduler': ['airflow-scheduler', false],
      'Deployment/api-server': ['airflow-ui', false],
      'Deployment/triggerer': ['airflow-triggerer', false],
      'Deployment/dag-processor': ['airflow-dag-processor', false],
      'Deployment/worker-default': ['airflow-worker', false],
      [`Job/${jobName(result)}`]: ['airflow-migration', false],
    });
    expect(result.objects.filter(o => /^Role/.test(o.object.kind))).toEqual([]);
  });

  it('lets only the scheduler launch pods with the Kubernetes executor', () => {
    const result = renderDeployment(fixtureInput({ executor: 'KUBERNETES' }));
    const rows = accounts(result);
    expect(rows['Deployment/scheduler']).toEqual(['airflow-scheduler', true]);
    expect(rows['Deployment/triggerer']).toEqual(['airflow-triggerer', false]);
    expect(rows['Deployment/dag-processor']).toEqual([
      'airflow-dag-processor',
      false,
    ]);
    expect(rows['task pod']).toEqual(['airflow-worker', false]);
    expect(
      find(result, 'RoleBinding', 'pod-launcher').subjects.map(
        (s: Any) => s.name,
      ),
    ).toEqual(['airflow-scheduler']);
  });

  it('gives workers a token and the pod launcher Role for the KubernetesPodOperator, and nothing more', () => {
    const result = renderDeployment(
      fixtureInput({ kubernetesPodOperator: true }),
    );
    const rows = accounts(result);
    expect(rows['Deployment/worker-default']).toEqual(['airflow-worker', true]);
    expect(rows['Deployment/scheduler']).toEqual(['airflow-scheduler', false]);
    expect(rows['Deployment/triggerer']).toEqual(['airflow-triggerer', false]);
    expect(find(result, 'RoleBinding', 'pod-launcher').subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'airflow-worker',
        namespace: 'astro-acme-data-eng-prod',
      },
    ]);
    const rules = find(result, 'Role', 'pod-launcher').rules;
    expect(rules.flatMap((r: Any) => r.resources)).toEqual([
      'pods',
      'pods/log',
      'pods/exec',
      'events',
    ]);
  });

  it('gives Kubernetes-executor task pods a token for the KubernetesPodOperator too', () => {
    const result = renderDeployment(
      fixtureInput({ executor: 'KUBERNETES', kubernetesPodOperator: true }),
    );
    expect(accounts(result)['task pod']).toEqual(['airflow-worker', true]);
    expect(
      find(result, 'RoleBinding', 'pod-launcher').subjects.map(
        (s: Any) => s.name,
      ),
    ).toEqual(['airflow-scheduler', 'airflow-worker']);
  });
});

function jobName(result: RenderResult): string {
  return result.objects.find(o => o.object.kind === 'Job')!.object.metadata
    .name;
}
