import { advertisedAirflowUrl, isLoopbackUrl } from './airflowUrl';

const deployment = {
  organization: 'acme',
  workspace: 'data-eng',
  name: 'prod',
  namespace: 'astro-acme-data-eng-prod',
};
const ready = [
  {
    name: 'api-server',
    kind: 'Deployment',
    desiredReplicas: 1,
    readyReplicas: 1,
    state: 'Ready' as const,
  },
];

describe('advertisedAirflowUrl', () => {
  it('takes the routed URL while the API server has a ready replica', () => {
    expect(
      advertisedAirflowUrl({
        deployment,
        deleting: false,
        routedUrl: 'https://prod.airflow.example.com',
        components: ready,
      }),
    ).toBe('https://prod.airflow.example.com');
    expect(
      advertisedAirflowUrl({
        deployment,
        deleting: false,
        routedUrl: 'https://prod.airflow.example.com',
        components: [{ ...ready[0], readyReplicas: 0, state: 'Progressing' }],
      }),
    ).toBeNull();
    expect(
      advertisedAirflowUrl({
        deployment,
        deleting: true,
        routedUrl: 'https://prod.airflow.example.com',
        components: ready,
      }),
    ).toBeNull();
  });

  it('fills the cluster URL template of clusters that route by themselves', () => {
    expect(
      advertisedAirflowUrl({
        deployment,
        deleting: false,
        urlTemplate: 'https://{deployment}.{organization}.example.com',
        components: [{ ...ready[0], name: 'webserver' }],
      }),
    ).toBe('https://prod.acme.example.com');
  });

  it('never advertises a loopback host, except on the simulator', () => {
    const urlTemplate = 'http://127.0.0.1:7007/airflow/{namespace}';
    expect(
      advertisedAirflowUrl({
        deployment,
        deleting: false,
        urlTemplate,
        components: ready,
      }),
    ).toBeNull();
    expect(
      advertisedAirflowUrl({
        deployment,
        deleting: false,
        urlTemplate,
        driver: 'simulator',
        components: ready,
      }),
    ).toBe('http://127.0.0.1:7007/airflow/astro-acme-data-eng-prod');
  });

  it.each([
    ['http://localhost:8080', true],
    ['http://airflow.localhost', true],
    ['http://127.4.5.6/x', true],
    ['http://0.0.0.0:8080', true],
    ['http://[::1]:8080', true],
    ['http://[::]:8080', true],
    ['not a url', true],
    ['https://airflow.example.com', false],
    ['http://10.0.0.5:8080', false],
  ])('%s is loopback or unspecified: %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});
