import { ConfigReader, JsonObject } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigClusterSource } from './ConfigClusterSource';
import { toClusterSummary } from './ClusterRegistry';

/** The one cluster `settings` declare, read as the backend reads it at startup. */
async function clusterWith(settings: JsonObject) {
  const [cluster] = await ConfigClusterSource.fromConfig(
    new ConfigReader({
      astro: {
        clusters: [{ name: 'prod', url: 'https://10.0.0.1:6443', ...settings }],
      },
    }),
    { logger: mockServices.logger.mock() },
  ).getClusters();
  return cluster;
}

describe('per-cluster routing, logging and KEDA settings', () => {
  it('reads an ingress with TLS and annotations', async () => {
    const cluster = await clusterWith({
      airflowIngress: {
        className: 'nginx',
        hostTemplate:
          '{deployment}.{workspace}.{organization}.airflow.example.com',
        annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
        tls: { secretName: 'airflow-ui-tls' },
      },
    });
    expect(cluster.airflowIngress).toEqual({
      className: 'nginx',
      hostTemplate:
        '{deployment}.{workspace}.{organization}.airflow.example.com',
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      tls: { secretName: 'airflow-ui-tls' },
    });
    // None of it reaches users.
    expect(toClusterSummary(cluster)).not.toHaveProperty('airflowIngress');
  });

  it('reads a gateway route, remote logging and KEDA elsewhere', async () => {
    const cluster = await clusterWith({
      airflowGateway: {
        parentRefs: [{ name: 'platform', namespace: 'gateway-system' }],
        hostTemplate: '{namespace}.airflow.example.com',
        scheme: 'http',
      },
      remoteLogging: {
        type: 's3',
        baseFolder: 's3://logs/airflow',
        connection: { uri: 'aws://key:secret@/?region_name=eu-west-1' },
      },
      keda: { namespace: 'autoscaling', operatorPodLabels: { app: 'keda' } },
    });
    expect(cluster.airflowGateway).toEqual({
      parentRefs: [{ name: 'platform', namespace: 'gateway-system' }],
      hostTemplate: '{namespace}.airflow.example.com',
      scheme: 'http',
    });
    expect(cluster.remoteLogging).toEqual({
      type: 's3',
      baseFolder: 's3://logs/airflow',
      connection: { uri: 'aws://key:secret@/?region_name=eu-west-1' },
    });
    expect(cluster.keda).toEqual({
      namespace: 'autoscaling',
      operatorPodLabels: { app: 'keda' },
    });
    const summary = toClusterSummary(cluster);
    expect(JSON.stringify(summary)).not.toContain('secret');
    expect(summary).not.toHaveProperty('keda');
  });

  it('defaults KEDA to its upstream namespace and label', async () => {
    expect((await clusterWith({ keda: {} })).keda).toEqual({
      namespace: 'keda',
      operatorPodLabels: { 'app.kubernetes.io/name': 'keda-operator' },
    });
  });

  it.each<[string, JsonObject, RegExp]>([
    [
      'two ways to route',
      {
        airflowUrlTemplate: 'https://{deployment}.example.com',
        airflowIngress: { hostTemplate: '{deployment}.example.com' },
      },
      /airflowIngress and airflowUrlTemplate are exclusive/,
    ],
    [
      'an unknown placeholder',
      { airflowIngress: { hostTemplate: '{cluster}.example.com' } },
      /airflowIngress\.hostTemplate has the unknown placeholder \{cluster\}/,
    ],
    [
      'a host that is no DNS name',
      { airflowIngress: { hostTemplate: '{deployment}_Airflow.example.com' } },
      /airflowIngress\.hostTemplate .* gives a host that has the label/,
    ],
    [
      'a path with a trailing slash',
      { airflowIngress: { hostTemplate: 'a.example.com', path: '/airflow/' } },
      /airflowIngress\.path "\/airflow\/" must start with/,
    ],
    [
      'a gateway without parents',
      { airflowGateway: { parentRefs: [], hostTemplate: 'a.example.com' } },
      /airflowGateway\.parentRefs must name at least one Gateway/,
    ],
    [
      'a gateway in no namespace',
      {
        airflowGateway: {
          parentRefs: [{ name: 'gw', namespace: 'Gateway_NS' }],
          hostTemplate: 'a.example.com',
        },
      },
      /airflowGateway\.parentRefs\[0\]\.namespace/,
    ],
    [
      'an unknown log store',
      { remoteLogging: { type: 'ftp', baseFolder: 'ftp://x' } },
      /remoteLogging\.type "ftp" is not one of/,
    ],
    [
      'a bucket of another store',
      { remoteLogging: { type: 'gcs', baseFolder: 's3://logs' } },
      /remoteLogging\.baseFolder "s3:\/\/logs" must start with "gs:\/\/"/,
    ],
    [
      'both a connection URI and id',
      {
        remoteLogging: {
          type: 's3',
          baseFolder: 's3://logs',
          connection: { uri: 'aws://a:b@', id: 'aws_default' },
        },
      },
      /remoteLogging\.connection needs exactly one of uri and id/,
    ],
    [
      'an OpenSearch without port',
      { remoteLogging: { type: 'opensearch', host: 'https://os.example.com' } },
      /port/,
    ],
    [
      'a KEDA label that is no label',
      { keda: { operatorPodLabels: { app: 'not a label' } } },
      /keda\.operatorPodLabels\.app "not a label" is not a valid label value/,
    ],
  ])('refuses %s, naming the key', async (_what, settings, message) => {
    await expect(clusterWith(settings)).rejects.toThrow(message);
  });

  it('never echoes a connection URI or log host it refuses', async () => {
    const refused = clusterWith({
      remoteLogging: {
        type: 'elasticsearch',
        host: 'user:top-secret-pw@logs.example.com',
      },
    });
    await expect(refused).rejects.toThrow(/remoteLogging\.host/);
    await expect(refused).rejects.not.toThrow(/top-secret-pw/);
  });
});
