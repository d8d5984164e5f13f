import {
  describeKubernetesReason,
  splitComponentReason,
} from './kubernetesReasons';

describe('describeKubernetesReason', () => {
  it.each([
    [
      'CrashLoopBackOff: back-off 10s restarting failed container=scheduler pod=scheduler-5d_astro-etl(9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d)',
      'Container scheduler keeps crashing; Kubernetes restarts it with growing delays. Its logs tell why.',
    ],
    [
      'ImagePullBackOff: Back-off pulling image "registry.example.com/airflow:nope"',
      'The image could not be pulled: check the image name and tag, and the registry credentials.',
    ],
    [
      'Resource quota exceeded: pods "worker-1" is forbidden: exceeded quota: astro-quota, requested: requests.cpu=2, used: requests.cpu=19, limited: requests.cpu=20',
      "The namespace's resource quota does not allow more pods (requested requests.cpu=2): raise the quota or lower the resources.",
    ],
    [
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available',
      'No node has room for the pod (3 Insufficient cpu).',
    ],
  ])('%s', (raw, sentence) => {
    expect(describeKubernetesReason(raw)).toBe(sentence);
  });

  it('leaves texts it does not know alone', () => {
    expect(describeKubernetesReason('Waiting for the migration Job')).toBe(
      undefined,
    );
  });
});

describe('splitComponentReason', () => {
  it('splits the component the backend puts first', () => {
    expect(splitComponentReason('scheduler: CrashLoopBackOff: x')).toEqual({
      component: 'scheduler',
      reason: 'CrashLoopBackOff: x',
    });
    expect(splitComponentReason('All components ready')).toEqual({
      reason: 'All components ready',
    });
  });
});
