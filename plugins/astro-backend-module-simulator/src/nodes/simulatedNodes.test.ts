import { KubernetesSimulator } from '../KubernetesSimulator';
import { httpClient } from '../__testUtils__/http';

describe('simulated nodes', () => {
  let simulator: KubernetesSimulator | undefined;
  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });

  it('lists the default nodes with capacity and allocatable resources, as a kubelet reports them', async () => {
    simulator = await KubernetesSimulator.start();
    const http = httpClient(simulator);

    const list = await http.get('/api/v1/nodes');
    expect(list.status).toBe(200);
    expect(list.body.kind).toBe('NodeList');
    expect(list.body.items).toHaveLength(8);
    expect(list.body.items[0]).toMatchObject({
      metadata: {
        name: 'simulator-node-1',
        labels: { 'kubernetes.io/hostname': 'simulator-node-1' },
      },
      status: {
        capacity: { cpu: '16', memory: '64Gi' },
        allocatable: { cpu: '15800m', memory: '62Gi' },
        conditions: [
          expect.objectContaining({ type: 'Ready', status: 'True' }),
        ],
      },
    });
    const one = await http.get('/api/v1/nodes/simulator-node-2');
    expect(one.status).toBe(200);

    const discovery = await http.get('/api/v1');
    expect(discovery.body.resources).toContainEqual(
      expect.objectContaining({
        name: 'nodes',
        namespaced: false,
        kind: 'Node',
      }),
    );
  });

  it('serves configured nodes, and has them again after a reset', async () => {
    simulator = await KubernetesSimulator.start({
      nodes: [
        {
          name: 'big',
          cpu: { capacity: '64', allocatable: '63' },
          memory: { capacity: '256Gi', allocatable: '250Gi' },
        },
      ],
    });
    const http = httpClient(simulator);
    await http.delete('/api/v1/nodes/big');
    expect((await http.get('/api/v1/nodes')).body.items).toHaveLength(0);

    simulator.control.reset();

    const { items } = (await http.get('/api/v1/nodes')).body;
    expect(
      items.map((n: any) => [n.metadata.name, n.status.allocatable.cpu]),
    ).toEqual([['big', '63']]);
  });
});
