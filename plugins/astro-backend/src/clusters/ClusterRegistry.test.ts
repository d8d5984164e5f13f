import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterClient,
  ClusterDeclaration,
  ClusterDriver,
  isClusterError,
} from '@airflow-portal/plugin-astro-node';
import { ClusterRegistry, toClusterSummary } from './ClusterRegistry';

const declaration = (
  name: string,
  driver: string,
  connection?: ClusterDeclaration['connection'],
): ClusterDeclaration => ({
  name,
  driver,
  type: 'standard',
  provider: 'test',
  region: 'here',
  ...(connection ? { connection } : {}),
});

function fakeDriver(id: string) {
  const closed: string[] = [];
  const connected: string[] = [];
  const driver: ClusterDriver = {
    id,
    async connect(cluster) {
      connected.push(cluster.name);
      const client: Partial<ClusterClient> = {
        close: async () => {
          closed.push(cluster.name);
        },
      };
      return client as ClusterClient;
    },
  };
  return { driver, closed, connected };
}

describe('ClusterRegistry', () => {
  const logger = mockServices.logger.mock();

  it('uses a registered driver by id, else the kubernetes driver for a connection', async () => {
    const custom = fakeDriver('custom');
    const kubernetes = fakeDriver('kubernetes');
    const registry = new ClusterRegistry({
      sources: [
        {
          getClusters: async () => [
            declaration('a', 'custom'),
            declaration('sim', 'simulator', {
              server: 'http://127.0.0.1:1',
              token: 't',
            }),
            declaration('orphan', 'nobody'),
          ],
        },
      ],
      drivers: [custom.driver],
      kubernetesDriver: kubernetes.driver,
      logger,
    });
    await registry.getClient('a');
    await registry.getClient('sim');
    expect(custom.connected).toEqual(['a']);
    expect(kubernetes.connected).toEqual(['sim']);
    const error = await registry.getClient('orphan').catch(e => e);
    expect(isClusterError(error, 'Invalid')).toBe(true);
    await expect(registry.getClient('missing')).rejects.toThrow(NotFoundError);
  });

  it('keeps one client per cluster until its connection changes, and closes them', async () => {
    const kubernetes = fakeDriver('kubernetes');
    let server = 'https://one';
    let host = '{deployment}.one.example.com';
    const registry = new ClusterRegistry({
      sources: [
        {
          getClusters: async () => [
            {
              ...declaration('c', 'kubernetes', { server }),
              airflowIngress: { hostTemplate: host },
            },
          ],
        },
      ],
      drivers: [],
      kubernetesDriver: kubernetes.driver,
      logger,
    });
    const [first, second] = await Promise.all([
      registry.getClient('c'),
      registry.getClient('c'),
    ]);
    expect(first).toBe(second);
    expect(kubernetes.connected).toEqual(['c']);

    // Routing is read per use: the connection (and its watches) stays.
    host = '{deployment}.two.example.com';
    expect(await registry.getClient('c')).toBe(first);
    expect(kubernetes.connected).toEqual(['c']);

    server = 'https://two';
    const third = await registry.getClient('c');
    expect(third).not.toBe(first);
    await new Promise(resolve => setImmediate(resolve));
    expect(kubernetes.closed).toEqual(['c']);

    await registry.close();
    expect(kubernetes.closed).toEqual(['c', 'c']);
    await expect(registry.getClient('c')).rejects.toThrow(/closed/);
  });

  it('lets the first declaration of a name win, and lists summaries without credentials', async () => {
    const registry = new ClusterRegistry({
      sources: [
        {
          getClusters: async () => [
            declaration('x', 'kubernetes', {
              server: 'https://a',
              token: 'secret',
            }),
          ],
        },
        { getClusters: async () => [declaration('x', 'simulator')] },
      ],
      drivers: [],
      kubernetesDriver: fakeDriver('kubernetes').driver,
      logger,
    });
    expect(await registry.listClusters()).toEqual([
      declaration('x', 'kubernetes', { server: 'https://a', token: 'secret' }),
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('declared more than once'),
    );
    const summaries = await registry.listClusterSummaries();
    expect(JSON.stringify(summaries)).not.toContain('secret');
    expect(summaries).toEqual([
      toClusterSummary(declaration('x', 'kubernetes')),
    ]);
  });

  it('connects again after a failed connection', async () => {
    let fail = true;
    const registry = new ClusterRegistry({
      sources: [{ getClusters: async () => [declaration('c', 'flaky')] }],
      drivers: [
        {
          id: 'flaky',
          async connect() {
            if (fail) {
              throw new Error('boom');
            }
            return {
              close: async () => {},
            } as Partial<ClusterClient> as ClusterClient;
          },
        },
      ],
      kubernetesDriver: fakeDriver('kubernetes').driver,
      logger,
    });
    await expect(registry.getClient('c')).rejects.toThrow('boom');
    fail = false;
    await expect(registry.getClient('c')).resolves.toBeDefined();
  });
});
