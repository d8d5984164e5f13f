import { fixtureInput } from './__testUtils__/renderInputs';
import { renderDeployment } from './renderDeployment';
import type { RenderResult } from './types';

type Any = any;

function find(result: RenderResult, kind: string, name: string): Any {
  const found = result.objects.find(
    o => o.object.kind === kind && o.object.metadata.name === name,
  );
  if (!found) {
    throw new Error(`${kind}/${name} is not rendered`);
  }
  return found.object;
}

describe('supporting services', () => {
  it('keeps Redis data on a volume with the append-only file, maxmemory below the limit and no eviction', () => {
    const result = renderDeployment(fixtureInput());
    expect(
      result.objects.filter(
        o =>
          o.object.kind === 'Deployment' && o.object.metadata.name === 'redis',
      ),
    ).toEqual([]);
    const redis = find(result, 'StatefulSet', 'redis');
    expect(redis.spec.serviceName).toBe('redis');
    expect(redis.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(
      redis.spec.volumeClaimTemplates[0].spec.resources.requests.storage,
    ).toBe('1Gi');
    const container = redis.spec.template.spec.containers[0];
    expect(container.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
    ]);
    expect(redis.spec.template.spec.volumes).toBeUndefined();
    const args: string[] = container.args;
    const arg = (name: string) => args[args.indexOf(name) + 1];
    expect(arg('--appendonly')).toBe('yes');
    expect(arg('--maxmemory-policy')).toBe('noeviction');
    // 80% of the 512Mi limit.
    expect(arg('--maxmemory')).toBe('409mb');
    expect(container.resources.limits.memory).toBe('512Mi');
    expect(arg('--requirepass')).toBe('$(REDIS_PASSWORD)');
  });

  it('drains pgbouncer before it stops, within a longer grace period', () => {
    const pgbouncer = find(
      renderDeployment(fixtureInput()),
      'Deployment',
      'pgbouncer',
    ).spec.template.spec;
    const command: string[] =
      pgbouncer.containers[0].lifecycle.preStop.exec.command;
    expect(command.join(' ')).toMatch(/sleep 5; kill -INT 1; while kill -0 1/);
    expect(pgbouncer.terminationGracePeriodSeconds).toBe(120);
  });

  it('gives the wait-for-migrations init containers the resources of their component', () => {
    const result = renderDeployment(fixtureInput({ queues: 3 }));
    for (const name of [
      'scheduler',
      'api-server',
      'triggerer',
      'dag-processor',
      'worker-default',
      'worker-ml-heavy',
    ]) {
      const pod = find(result, 'Deployment', name).spec.template.spec;
      const wait = pod.initContainers.find(
        (c: Any) => c.name === 'wait-for-airflow-migrations',
      );
      expect({ name, resources: wait.resources }).toEqual({
        name,
        resources: pod.containers[0].resources,
      });
    }
  });

  it('rolls workers without surge and keeps their grace period', () => {
    const worker = find(
      renderDeployment(fixtureInput()),
      'Deployment',
      'worker-default',
    );
    expect(worker.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' },
    });
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBe(86400);
  });

  it('retries Kubernetes-executor task pods the quota rejects', () => {
    const config = find(
      renderDeployment(fixtureInput({ executor: 'KUBERNETES' })),
      'ConfigMap',
      'airflow-config',
    ).data;
    expect(config.AIRFLOW__KUBERNETES_EXECUTOR__TASK_PUBLISH_MAX_RETRIES).toBe(
      '-1',
    );
  });
});
