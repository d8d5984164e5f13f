import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { appliedSignature, SIGNATURE_KEY } from './appliedSignature';
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

  it("keeps only the signature of the engine's own apply entry and drops kubectl's copy of the object", () => {
    const trimmed = trimCachedObject(deployment, 'airflow-portal');
    expect(trimmed.metadata.managedFields).toEqual([
      {
        ...managed('airflow-portal', 'Apply'),
        fieldsV1: {
          [SIGNATURE_KEY]: appliedSignature(deployment, 'airflow-portal'),
        },
      },
    ]);
    // The engine compares the same signature, trimmed or not.
    expect(appliedSignature(trimmed, 'airflow-portal')).toBe(
      appliedSignature(deployment, 'airflow-portal'),
    );
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
      metadata: { name: 'c', annotations: { a: 'b' } },
    };
    expect(trimCachedObject(lean, 'airflow-portal')).toBe(lean);
  });
});
