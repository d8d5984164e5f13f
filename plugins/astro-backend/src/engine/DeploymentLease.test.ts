import { ClusterClient } from '@airflow-portal/plugin-astro-node';
import {
  holdLease,
  leaseGuardedClient,
  LeaseLostError,
} from './DeploymentLease';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('holdLease', () => {
  it('renews every third of the TTL while held', async () => {
    const renewals: number[] = [];
    const lease = holdLease({
      store: {
        renewLease: async (_id, _owner, _now, ttl) => {
          renewals.push(ttl);
          return true;
        },
      },
      deploymentId: 'd',
      owner: 'me',
      ttlMs: 90,
      acquiredAt: new Date(),
      now: () => new Date(),
    });
    await sleep(200);
    lease.stop();
    const count = renewals.length;
    await sleep(100);
    expect(count).toBeGreaterThanOrEqual(4);
    expect(renewals).toHaveLength(count);
    expect(lease.signal.aborted).toBe(false);
  });

  it('aborts when the lease is held by another owner', async () => {
    const lease = holdLease({
      store: { renewLease: async () => false },
      deploymentId: 'd',
      owner: 'me',
      ttlMs: 30,
      acquiredAt: new Date(),
      now: () => new Date(),
    });
    await sleep(60);
    lease.stop();
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBeInstanceOf(LeaseLostError);
  });

  it('keeps the lease through failed renewals until it would have expired', async () => {
    const acquired = Date.now();
    const lease = holdLease({
      store: {
        renewLease: async () => {
          throw new Error('database unavailable');
        },
      },
      deploymentId: 'd',
      owner: 'me',
      ttlMs: 150,
      acquiredAt: new Date(acquired),
      now: () => new Date(),
    });
    await sleep(100);
    expect(lease.signal.aborted).toBe(false);
    await sleep(150);
    lease.stop();
    expect(lease.signal.aborted).toBe(true);
    expect(String(lease.signal.reason.message)).toMatch(
      /expired: it could not be renewed \(Error: database unavailable\)/,
    );
  });
});

describe('leaseGuardedClient', () => {
  it('refuses writes once the lease is lost and still reads', async () => {
    const calls: string[] = [];
    const client = {
      apply: async (object: { kind: string }) => {
        calls.push(`apply ${object.kind}`);
        return object;
      },
      delete: async () => {
        calls.push('delete');
        return true;
      },
      get: async () => {
        calls.push('get');
        return undefined;
      },
    } as unknown as ClusterClient;
    const controller = new AbortController();
    const guarded = leaseGuardedClient(client, controller.signal);
    await guarded.apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { fieldManager: 'm' },
    );
    controller.abort(new LeaseLostError('taken over'));
    await expect(
      guarded.apply(
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } },
        { fieldManager: 'm' },
      ),
    ).rejects.toThrow('taken over');
    await expect(
      guarded.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' }),
    ).rejects.toThrow('taken over');
    await guarded.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' });
    expect(calls).toEqual(['apply ConfigMap', 'get']);
  });
});
