import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { trimCachedObject } from './trimCachedObject';

const managed = (manager: string, operation: string) => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
});

describe('trimCachedObject', () => {
  const deployment: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'scheduler',
      namespace: 'ns',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}',
        'astro/kept': 'yes',
      },
      managedFields: [
        managed('airflow-portal', 'Apply'),
        managed('kube-controller-manager', 'Update'),
        managed('kubectl', 'Apply'),
        managed('airflow-portal', 'Update'),
      ],
    },
    spec: { replicas: 2 },
    status: { readyReplicas: 2 },
  };

  it("keeps only the engine's own apply entry and drops kubectl's copy of the object", () => {
    const trimmed = trimCachedObject(deployment, 'airflow-portal');
    expect(trimmed.metadata.managedFields).toEqual([
      managed('airflow-portal', 'Apply'),
    ]);
    expect(trimmed.metadata.annotations).toEqual({ 'astro/kept': 'yes' });
    expect(trimmed.spec).toBe(deployment.spec);
    expect(trimmed.status).toBe(deployment.status);
    // The received object is not changed.
    expect(deployment.metadata.managedFields).toHaveLength(4);
  });

  it('keeps no managed fields of pods, which the engine never applies', () => {
    const pod = trimCachedObject(
      { ...deployment, apiVersion: 'v1', kind: 'Pod' },
      'airflow-portal',
    );
    expect(pod.metadata.managedFields).toBeUndefined();
  });

  it('returns an object with nothing to drop as it is', () => {
    const lean: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        managedFields: [managed('airflow-portal', 'Apply')],
      },
    };
    expect(trimCachedObject(lean, 'airflow-portal')).toBe(lean);
  });
});
