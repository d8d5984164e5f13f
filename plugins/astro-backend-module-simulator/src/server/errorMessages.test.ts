import { KubernetesSimulator } from '../KubernetesSimulator';
import { httpClient } from '../__testUtils__/http';

describe('error messages', () => {
  let simulator: KubernetesSimulator;

  beforeAll(async () => {
    simulator = await KubernetesSimulator.start({
      dagSync: { enabled: false },
    });
  });

  afterAll(async () => {
    await simulator.stop();
  });

  it('never say undefined, also for objects without a name', async () => {
    const client = httpClient(simulator);
    const answers = await Promise.all([
      client.call('POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {},
      }),
      client.call('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {},
        spec: { containers: [{}] },
      }),
      client.call('GET', '/api/v1/namespaces/default/pods/nothing/log'),
      client.call('GET', '/api/v1/pods?fieldSelector=spec.image%3Dx'),
      client.call('GET', '/api/v1/pods?limit=-1'),
      client.call('GET', '/api/v1/pods?continue=garbage'),
    ]);
    expect(answers.map(answer => answer.status)).toEqual([
      422, 422, 404, 400, 400, 400,
    ]);
    for (const answer of answers) {
      expect(answer.body.message).not.toMatch(/undefined/);
    }
    expect(answers[0].body.message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value',
    );
  });
});
