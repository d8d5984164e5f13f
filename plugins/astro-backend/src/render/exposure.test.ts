import { renderDeployment } from './renderDeployment';
import { fixtureInput } from './__testUtils__/renderInputs';
import type { RenderInput } from './types';

function objectOf(input: RenderInput, kind: string) {
  return renderDeployment(input).objects.find(o => o.object.kind === kind)
    ?.object as any;
}

describe('routes to the Airflow UI', () => {
  it('renders no route, no base URL and no condition without a setting', () => {
    const result = renderDeployment(fixtureInput());
    expect(result.objects.map(o => o.object.kind)).not.toContain('Ingress');
    expect(result.airflowUrl).toBeUndefined();
    expect(result.conditions.map(c => c.type)).not.toContain('AirflowUiRouted');
    const config = objectOf(fixtureInput(), 'ConfigMap').data;
    expect(config.AIRFLOW__API__BASE_URL).toBeUndefined();
  });

  it('serves Airflow 3 under a path with the base URL and proxy headers', () => {
    const input = fixtureInput({ exposure: 'ingress-tls' });
    input.exposure = { ...input.exposure!, path: '/airflow' };
    const result = renderDeployment(input);
    expect(result.airflowUrl).toBe(
      'https://prod.data-eng.acme.airflow.example.com/airflow',
    );
    const ingress = objectOf(input, 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0]).toEqual(
      expect.objectContaining({ path: '/airflow', pathType: 'Prefix' }),
    );
    const config = result.objects.find(
      o => o.object.metadata.name === 'airflow-config',
    )!.object.data as Record<string, string>;
    expect(config.AIRFLOW__API__BASE_URL).toBe(result.airflowUrl);
    const api = result.objects.find(
      o =>
        o.object.kind === 'Deployment' &&
        o.object.metadata.name === 'api-server',
    )!.object as any;
    expect(api.spec.template.spec.containers[0].args).toEqual([
      'airflow',
      'api-server',
      '--proxy-headers',
    ]);
  });

  it('gives Airflow 2 the webserver base URL and its proxy fix over plain HTTP', () => {
    const result = renderDeployment(
      fixtureInput({ airflowVersion: '2.11.0', exposure: 'ingress-http' }),
    );
    expect(result.airflowUrl).toBe(
      'http://prod.data-eng.acme.airflow.example.com',
    );
    const config = result.objects.find(
      o => o.object.metadata.name === 'airflow-config',
    )!.object.data as Record<string, string>;
    expect(config).toEqual(
      expect.objectContaining({
        AIRFLOW__WEBSERVER__BASE_URL: result.airflowUrl,
        AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX: 'True',
      }),
    );
    const ingress = result.objects.find(o => o.object.kind === 'Ingress')!
      .object as any;
    expect(ingress.spec.tls).toBeUndefined();
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe(
      'webserver',
    );
  });

  it('renders no HTTPRoute, and says why, on a cluster without the Gateway API', () => {
    const result = renderDeployment(
      fixtureInput({ exposure: 'gateway-api-missing' }),
    );
    expect(result.objects.map(o => o.object.kind)).not.toContain('HTTPRoute');
    expect(result.airflowUrl).toBeUndefined();
    expect(result.conditions).toContainEqual(
      expect.objectContaining({
        type: 'AirflowUiRouted',
        status: 'False',
        reason: 'GatewayApiNotServed',
      }),
    );
  });

  it('refuses a host template that gives a label longer than 63 characters', () => {
    const input = fixtureInput({ exposure: 'ingress-tls' });
    input.exposure = {
      ...input.exposure!,
      hostTemplate: '{namespace}-{namespace}-{namespace}.example.com',
    };
    expect(() => renderDeployment(input)).toThrow(
      /The Airflow host .* has the label/,
    );
  });
});

describe('task logs', () => {
  it('says logs are not durable without remote logging, and mounts the bounded volume', () => {
    const result = renderDeployment(fixtureInput());
    expect(result.conditions).toContainEqual(
      expect.objectContaining({
        type: 'LogsDurable',
        status: 'False',
        reason: 'NoRemoteLogging',
      }),
    );
    const worker = result.objects.find(
      o => o.object.metadata.name === 'worker-default',
    )!.object as any;
    expect(worker.spec.template.spec.volumes).toContainEqual({
      name: 'logs',
      emptyDir: { sizeLimit: '10Gi' },
    });
  });

  it('writes each Deployment below its own folder of the bucket', () => {
    const result = renderDeployment(fixtureInput({ remoteLogging: 's3' }));
    const config = result.objects.find(
      o => o.object.metadata.name === 'airflow-config',
    )!.object.data as Record<string, string>;
    expect(config.AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER).toBe(
      's3://acme-airflow-logs/platform/astro-acme-data-eng-prod',
    );
    expect(result.conditions).toContainEqual(
      expect.objectContaining({ type: 'LogsDurable', status: 'True' }),
    );
  });

  it('does not configure OpenSearch where Airflow cannot read logs back from it', () => {
    const result = renderDeployment(
      fixtureInput({ remoteLogging: 'opensearch' }),
    );
    const config = result.objects.find(
      o => o.object.metadata.name === 'airflow-config',
    )!.object.data as Record<string, string>;
    expect(config.AIRFLOW__LOGGING__REMOTE_LOGGING).toBeUndefined();
    expect(result.conditions).toContainEqual(
      expect.objectContaining({
        type: 'LogsDurable',
        status: 'False',
        reason: 'RemoteLoggingUnsupported',
      }),
    );
    const onNewer = renderDeployment(
      fixtureInput({ airflowVersion: '3.2.1', remoteLogging: 'opensearch' }),
    );
    expect(onNewer.conditions).toContainEqual(
      expect.objectContaining({ type: 'LogsDurable', status: 'True' }),
    );
  });

  it('refuses a base folder of another store', () => {
    const input = fixtureInput({ remoteLogging: 'gcs' });
    input.remoteLogging = { type: 'gcs', baseFolder: 's3://logs' };
    expect(() => renderDeployment(input)).toThrow(
      /remoteLogging.baseFolder "s3:\/\/logs" must start with "gs:\/\/"/,
    );
  });
});
