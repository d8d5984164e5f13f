/**
 * Fault injection: the kubernetes driver against the simulator while the
 * API is down, slow, failing or refusing, over real HTTP.
 */
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import {
  ClusterClient,
  ClusterInformer,
  isClusterError,
  KubernetesObject,
} from '@airflow-portal/plugin-astro-node';
import { KubernetesClusterDriver } from '../kubernetes';
import { waitFor } from '@airflow-portal/plugin-astro-node/testUtils';

const MANAGER = 'astro-faults';

function configMap(
  namespace: string,
  name: string,
  v: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
    data: { v },
  };
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isClusterError(error)) {
    throw new Error(`expected a ClusterError, got ${String(error)}`);
  }
  return error.reason;
}

function snapshot(objects: KubernetesObject[]): string[] {
  return objects
    .map(o => `${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
}

describe('the kubernetes driver under injected faults', () => {
  let simulator: KubernetesSimulator;
  let client: ClusterClient;

  const connect = (token: string, requestTimeoutMs = 2000) =>
    new KubernetesClusterDriver({
      requestTimeoutMs,
      informerBackoff: { initialMs: 50, maxMs: 500 },
    }).connect({
      name: 'simulator',
      driver: 'simulator',
      type: 'standard',
      provider: 'simulator',
      region: 'local',
      connection: { server: simulator.url, token },
    });

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 20,
      faultSeed: 1,
    });
    client = await connect(simulator.token);
    await client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      { fieldManager: MANAGER },
    );
  });

  afterEach(async () => {
    await client.close();
    await simulator.stop();
  });

  it('reports an API down for 5 s as typed errors, then informers resume and converge', async () => {
    await client.apply(configMap('team', 'kept', '1'), {
      fieldManager: MANAGER,
    });
    await client.apply(configMap('team', 'removed-while-down', '1'), {
      fieldManager: MANAGER,
    });
    const informers: ClusterInformer[] = [
      client.informer({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'team',
      }),
      client.informer({ apiVersion: 'v1', kind: 'Namespace' }),
    ];
    const errors: Error[] = [];
    for (const informer of informers) {
      informer.on('error', e => errors.push(e));
    }
    await Promise.all(informers.map(informer => informer.start()));

    const downAt = Date.now();
    await simulator.control.makeUnavailable(5000);

    // Callers get typed errors, quickly.
    await expect(
      reasonOf(
        client.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'team',
          name: 'kept',
        }),
      ),
    ).resolves.toBe('Unreachable');
    await expect(
      reasonOf(
        client.apply(configMap('team', 'kept', '2'), { fieldManager: MANAGER }),
      ),
    ).resolves.toBe('Unreachable');
    await expect(reasonOf(client.capabilities())).resolves.toBe('Unreachable');
    await waitFor(() => errors.length >= 2, { timeoutMs: 3000 });
    expect(errors.every(e => isClusterError(e, 'Unreachable'))).toBe(true);

    // The cluster changes while its API is unreachable.
    simulator.control.applyObject(configMap('team', 'added-while-down', '1'), {
      fieldManager: MANAGER,
    });
    simulator.control.deleteObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'team',
      name: 'removed-while-down',
    });
    simulator.control.applyObject(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'new-team' } },
      { fieldManager: MANAGER },
    );

    await simulator.control.whenAvailable();
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(4900);

    // Informers resume by themselves and their caches converge.
    await waitFor(
      async () => {
        const configMaps = await client.list({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'team',
        });
        const namespaces = await client.list({
          apiVersion: 'v1',
          kind: 'Namespace',
        });
        return (
          JSON.stringify(snapshot(informers[0].list())) ===
            JSON.stringify(snapshot(configMaps.items)) &&
          JSON.stringify(snapshot(informers[1].list())) ===
            JSON.stringify(snapshot(namespaces.items))
        );
      },
      { timeoutMs: 5000, message: 'informer caches did not converge' },
    );
    expect(
      informers[0]
        .list()
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(['added-while-down', 'kept']);
    expect(informers[1].list().map(o => o.metadata.name)).toContain('new-team');

    // And requests work again.
    await expect(
      client.apply(configMap('team', 'kept', '3'), { fieldManager: MANAGER }),
    ).resolves.toMatchObject({ data: { v: '3' } });
    for (const informer of informers) {
      informer.stop();
    }
  }, 20_000);

  it('maps 503 answers of an unavailable API to ServerError and recovers', async () => {
    await simulator.control.makeUnavailable(300, 'error');
    await expect(
      reasonOf(
        client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team' }),
      ),
    ).resolves.toBe('ServerError');
    await simulator.control.whenAvailable();
    await expect(
      client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team' }),
    ).resolves.toMatchObject({ items: [] });
  });

  it('times out slow requests', async () => {
    const impatient = await connect(simulator.token, 200);
    // Discovery first, so that only the get itself is slow.
    await impatient.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'team',
      name: 'x',
    });
    simulator.control.setFaults({ latencyMs: { get: 1000 } });
    const started = Date.now();
    await expect(
      reasonOf(
        impatient.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'team',
          name: 'x',
        }),
      ),
    ).resolves.toBe('Timeout');
    expect(Date.now() - started).toBeLessThan(900);
    await impatient.close();
  });

  it('maps injected server errors and throttling', async () => {
    simulator.control.setFaults({ errorRates: { list: 1 } });
    await expect(
      reasonOf(
        client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team' }),
      ),
    ).resolves.toBe('ServerError');
    simulator.control.setFaults({ errorRates: { apply: 1 }, errorStatus: 429 });
    const error = await client
      .apply(configMap('team', 'x', '1'), { fieldManager: MANAGER })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'ServerError', statusCode: 429 });
    simulator.control.clearFaults();
    await expect(
      client.apply(configMap('team', 'x', '1'), { fieldManager: MANAGER }),
    ).resolves.toBeDefined();
  });

  it('maps a rejected token to Unauthorized', async () => {
    const stranger = await connect('not-the-token');
    await expect(reasonOf(stranger.capabilities())).resolves.toBe(
      'Unauthorized',
    );
    await stranger.close();
  });

  it('maps an exceeded ResourceQuota to QuotaExceeded', async () => {
    await client.apply(
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'compute', namespace: 'team' },
        spec: { hard: { 'requests.cpu': '1' } },
      },
      { fieldManager: MANAGER },
    );
    const error = await client
      .apply(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'greedy', namespace: 'team' },
          spec: {
            containers: [
              {
                name: 'main',
                image: 'busybox',
                resources: { requests: { cpu: '2' } },
              },
            ],
          },
        },
        { fieldManager: MANAGER },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'QuotaExceeded', statusCode: 403 });
    expect(String(error)).toContain('exceeded quota: compute');
  });
});
