import { mockServices } from '@backstage/backend-test-utils';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '@airflow-portal/plugin-astro-backend-module-simulator';
import {
  ASTRO_LABELS,
  ASTRO_MANAGED_BY,
} from '@airflow-portal/plugin-astro-common';
import {
  ClusterClient,
  ClusterDeclaration,
} from '@airflow-portal/plugin-astro-node';
import { waitFor } from '@airflow-portal/plugin-astro-node/testUtils';
import { KubernetesClusterDriver } from '../clusters/kubernetes';
import { WatchedClusters } from './WatchedClusters';

const MANAGER = 'astro-watched-test';
const CLUSTER = 'sim';

/**
 * Probing a cluster that does not answer, through the production
 * `kubernetes` driver against the simulator over HTTP: what the probe
 * reads is counted by the simulator.
 */
describe('WatchedClusters probes', () => {
  let simulator: KubernetesSimulator;
  let client: ClusterClient;
  let watched: WatchedClusters;
  const availability: string[] = [];

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({ podReadyDelayMs: 20 });
    const declaration: ClusterDeclaration = {
      name: CLUSTER,
      driver: 'kubernetes',
      type: 'standard',
      provider: 'simulator',
      region: 'local',
      connection: { server: simulator.url, token: simulator.token },
    };
    client = await new KubernetesClusterDriver({
      requestTimeoutMs: 2_000,
      // Long enough that only the probe ends an informer's backoff here.
      informerBackoff: { initialMs: 60_000, maxMs: 60_000 },
    }).connect(declaration);
    watched = new WatchedClusters(
      {
        getClient: async () => client,
        getCluster: async () => declaration,
      },
      mockServices.logger.mock(),
      MANAGER,
      { probeBackoff: { initialMs: 50, maxMs: 200 } },
    );
    availability.length = 0;
    watched.onAvailability((cluster, up) =>
      availability.push(`${cluster} ${up ? 'up' : 'down'}`),
    );
    await client.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'values',
          namespace: 'default',
          labels: {
            [ASTRO_LABELS.managedBy]: ASTRO_MANAGED_BY,
            [ASTRO_LABELS.deploymentId]: 'd1',
          },
        },
        data: { a: '1' },
      },
      { fieldManager: MANAGER },
    );
  });

  afterEach(async () => {
    await watched.stop();
    await client.close();
    await simulator.stop();
  });

  const lists = () => simulator.control.stats().requests.list;
  const failure = {
    message: `Cluster ${CLUSTER} did not answer: socket hang up`,
    unreachable: true,
  };

  it('ends an outage reported by a failed request with one discovery read, listing nothing, while its watches stayed open', async () => {
    const cache = await watched.get(CLUSTER);
    expect(cache.watchCount).toBeGreaterThan(15);
    const before = simulator.control.stats().requests;

    watched.availability.reportFailure(CLUSTER, failure);
    expect(watched.availability.isDown(CLUSTER)).toBe(true);
    await waitFor(() => !watched.availability.isDown(CLUSTER), {
      message: 'the cluster up again',
      timeoutMs: 10_000,
    });

    const after = simulator.control.stats().requests;
    expect(after.list).toBe(before.list);
    expect(after.discovery - before.discovery).toBeGreaterThan(0);
    expect(after.discovery - before.discovery).toBeLessThanOrEqual(10);
    expect(await watched.get(CLUSTER)).toBe(cache);
    expect(availability).toEqual([`${CLUSTER} down`, `${CLUSTER} up`]);
  });

  it('after a real outage, keeps its cache and has each informer list once, without waiting out the informers’ backoff', async () => {
    const cache = await watched.get(CLUSTER);
    expect([...cache.objectsOf('d1').keys()]).toHaveLength(1);

    await simulator.control.makeUnavailable(2_000, 'refuse');
    await waitFor(() => watched.availability.isDown(CLUSTER), {
      message: 'the cluster marked down by its failing watches',
      timeoutMs: 10_000,
    });
    // Changed while the backend could not watch: only a new list sees it.
    simulator.control.deleteObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'values',
    });
    await simulator.control.whenAvailable();
    const listsBefore = lists();
    const answered = Date.now();
    await waitFor(() => !watched.availability.isDown(CLUSTER), {
      message: 'the cluster up again',
      timeoutMs: 10_000,
    });
    // The informers' own backoff is 30-60 s: the probe listed.
    expect(Date.now() - answered).toBeLessThan(10_000);
    expect(await watched.get(CLUSTER)).toBe(cache);
    expect(cache.objectsOf('d1').size).toBe(0);
    expect(lists() - listsBefore).toBeLessThanOrEqual(cache.watchCount);
    expect(lists() - listsBefore).toBeGreaterThan(0);
  });
});
