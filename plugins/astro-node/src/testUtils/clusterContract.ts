/* This module defines a suite that test files run, so it exports and
   calls test functions through variables. */
/* eslint-disable jest/no-export */
/* eslint jest/no-standalone-expect: ["error", { "additionalTestBlockFunctions": ["simulatedIt"] }] */
/* eslint jest/valid-title: ["error", { "ignoreTypeOfDescribeName": true }] */
/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectClusterError", "waitFor"] }] */

/**
 * The contract every cluster driver's client must honour, written once and
 * run by the Astro backend against the simulator (through the real
 * `kubernetes` driver, over HTTP) and against a real cluster when a
 * kubeconfig is given. Driver authors run it against their own driver;
 * see this package's README.
 */
import { randomBytes } from 'node:crypto';
import { ClusterClient, isClusterError, KubernetesObject } from '../clusters';
import { waitFor } from './waitFor';

/**
 * Fault controls of a simulated cluster (the Astro Kubernetes simulator's
 * `control` offers them). The tests that need them (dropped watches,
 * `410 Gone`, KEDA disappearing, the simulated Airflow API) run only when a
 * target provides them and are skipped otherwise; a real cluster cannot be
 * made to fail on cue.
 *
 * @public
 */
export interface SimulatedClusterControls {
  /** Breaks every open watch connection; returns how many there were. */
  dropWatches(): number;
  /** Ends every open watch cleanly, as a server-side timeout does; returns how many. */
  closeWatches(): number;
  /** Forgets the change history, so resuming a watch from an older resource version answers `410 Gone`. */
  compactHistory(): void;
  /** Serves or stops serving `keda.sh/v1alpha1`. */
  setKeda(enabled: boolean): void;
}

/**
 * A cluster to run the contract against: a client of the driver under
 * test, connected to a cluster the suite may create namespaces in.
 *
 * @public
 */
export interface ContractTarget {
  client: ClusterClient;
  /** Present when the cluster is simulated; enables the fault tests. */
  simulator?: SimulatedClusterControls;
  /** Releases the target (the client, a simulator) after the suite. */
  close(): Promise<void>;
}

/**
 * Options of {@link describeClusterContract}.
 *
 * @public
 */
export interface ClusterContractOptions {
  /**
   * Whether the target offers {@link SimulatedClusterControls}; the tests
   * that need them are skipped otherwise.
   */
  simulated: boolean;
  /** Time each test may take, in milliseconds; real clusters are slower. */
  timeoutMs: number;
}

const MANAGER = 'astro-contract';

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      labels: { 'astro-contract': 'true', ...labels },
    },
    data,
  };
}

function pauseDeployment(
  namespace: string,
  name: string,
  labels: Record<string, string>,
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'registry.k8s.io/pause:3.9',
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

async function expectClusterError(
  promise: Promise<unknown>,
  reason: string,
): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isClusterError(error)) {
    throw new Error(`expected a ClusterError ${reason}, got ${String(error)}`);
  }
  expect(error.reason).toBe(reason);
  return error;
}

/**
 * Defines the cluster driver contract as a Jest `describe` block: call it
 * at the top level of a test file. `setup` connects a client of the driver
 * under test (once, before the suite); the suite creates namespaces named
 * `contract-<random>` labelled `astro-contract=true`, deletes them
 * afterwards, and then calls the target's `close`.
 *
 * @public
 */
export function describeClusterContract(
  title: string,
  setup: () => Promise<ContractTarget>,
  options: ClusterContractOptions,
): void {
  const simulatedIt = options.simulated ? it : it.skip;
  const wait = { timeoutMs: options.timeoutMs - 1000 };

  describe(title, () => {
    let target: ContractTarget;
    let client: ClusterClient;
    const namespaces: string[] = [];

    async function freshNamespace(): Promise<string> {
      const name = `contract-${randomBytes(4).toString('hex')}`;
      namespaces.push(name);
      await client.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'astro-contract': 'true' } },
        },
        { fieldManager: MANAGER },
      );
      return name;
    }

    beforeAll(async () => {
      target = await setup();
      client = target.client;
    }, options.timeoutMs);

    afterAll(async () => {
      if (!target) {
        return;
      }
      await Promise.all(
        namespaces.map(name =>
          client
            .delete({ apiVersion: 'v1', kind: 'Namespace', name })
            .catch(() => false),
        ),
      );
      await target.close();
    }, options.timeoutMs);

    describe('capabilities', () => {
      it('reads the server version and the served group versions', async () => {
        const capabilities = await client.capabilities();
        expect(capabilities.serverVersion.major).toMatch(/^\d+$/);
        expect(capabilities.serverVersion.gitVersion).toMatch(/^v\d+\.\d+/);
        expect(capabilities.apiGroupVersions).toEqual(
          expect.arrayContaining(['v1', 'apps/v1', 'batch/v1']),
        );
        expect(capabilities.keda).toBe(
          capabilities.apiGroupVersions.includes('keda.sh/v1alpha1'),
        );
      });

      simulatedIt(
        'reports KEDA only while keda.sh/v1alpha1 is served',
        async () => {
          const simulator = target.simulator!;
          expect((await client.capabilities()).keda).toBe(true);
          simulator.setKeda(false);
          try {
            const without = await client.capabilities();
            expect(without.keda).toBe(false);
            expect(without.apiGroupVersions).not.toContain('keda.sh/v1alpha1');
          } finally {
            simulator.setKeda(true);
          }
          expect((await client.capabilities()).keda).toBe(true);
        },
        options.timeoutMs,
      );
    });

    describe('server-side apply', () => {
      it(
        'creates, updates, and leaves an unchanged object alone',
        async () => {
          const namespace = await freshNamespace();
          const created = await client.apply(
            configMap(namespace, 'settings', { a: '1', b: '2' }),
            { fieldManager: MANAGER },
          );
          expect(created.metadata.uid).toBeTruthy();
          expect(created.metadata.resourceVersion).toBeTruthy();
          expect(created.data).toEqual({ a: '1', b: '2' });

          const again = await client.apply(
            configMap(namespace, 'settings', { a: '1', b: '2' }),
            { fieldManager: MANAGER },
          );
          expect(again.metadata.resourceVersion).toBe(
            created.metadata.resourceVersion,
          );

          const updated = await client.apply(
            configMap(namespace, 'settings', { a: '10' }),
            { fieldManager: MANAGER },
          );
          expect(updated.metadata.uid).toBe(created.metadata.uid);
          expect(updated.metadata.resourceVersion).not.toBe(
            created.metadata.resourceVersion,
          );
          // b is no longer applied by its only manager, so it is removed.
          expect(updated.data).toEqual({ a: '10' });
          expect(updated.metadata.managedFields).toEqual([
            expect.objectContaining({ manager: MANAGER, operation: 'Apply' }),
          ]);
        },
        options.timeoutMs,
      );

      it(
        'reports a conflict with another manager and forces only when asked',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(configMap(namespace, 'shared', { owner: 'a' }), {
            fieldManager: 'manager-a',
          });

          const error = await expectClusterError(
            client.apply(configMap(namespace, 'shared', { owner: 'b' }), {
              fieldManager: 'manager-b',
            }),
            'Conflict',
          );
          expect(error.message).toContain('manager-a');
          expect(error.message).toContain('.data.owner');

          // The same value is shared ownership, not a conflict.
          await client.apply(configMap(namespace, 'shared', { owner: 'a' }), {
            fieldManager: 'manager-b',
          });

          const forced = await client.apply(
            configMap(namespace, 'shared', { owner: 'b' }),
            { fieldManager: 'manager-b', force: true },
          );
          expect(forced.data).toEqual({ owner: 'b' });
          await expectClusterError(
            client.apply(configMap(namespace, 'shared', { owner: 'a' }), {
              fieldManager: 'manager-a',
            }),
            'Conflict',
          );
        },
        options.timeoutMs,
      );

      it(
        'validates and computes a dry run without storing it',
        async () => {
          const namespace = await freshNamespace();
          const dry = await client.apply(
            configMap(namespace, 'dry', { a: '1' }),
            { fieldManager: MANAGER, dryRun: true },
          );
          expect(dry.data).toEqual({ a: '1' });
          await expect(
            client.get({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace,
              name: 'dry',
            }),
          ).resolves.toBeUndefined();

          const stored = await client.apply(
            configMap(namespace, 'dry', { a: '1' }),
            {
              fieldManager: MANAGER,
            },
          );
          const dryUpdate = await client.apply(
            configMap(namespace, 'dry', { a: '2' }),
            { fieldManager: MANAGER, dryRun: true },
          );
          expect(dryUpdate.data).toEqual({ a: '2' });
          const after = await client.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace,
            name: 'dry',
          });
          expect(after?.data).toEqual({ a: '1' });
          expect(after?.metadata.resourceVersion).toBe(
            stored.metadata.resourceVersion,
          );
        },
        options.timeoutMs,
      );

      it(
        'rejects an invalid object with a typed error',
        async () => {
          const namespace = await freshNamespace();
          const { spec } = pauseDeployment(namespace, 'broken', {});
          const { selector: _selector, ...withoutSelector } = {
            selector: undefined,
            ...(typeof spec === 'object' ? spec : {}),
          };
          await expectClusterError(
            client.apply(
              {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                metadata: { name: 'broken', namespace },
                spec: withoutSelector,
              },
              { fieldManager: MANAGER },
            ),
            'Invalid',
          );
        },
        options.timeoutMs,
      );
    });

    describe('get and list', () => {
      it(
        'reads objects, filters by label selector and says when one is missing',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(
            configMap(namespace, 'one', { n: '1' }, { tier: 'a' }),
            {
              fieldManager: MANAGER,
            },
          );
          await client.apply(
            configMap(namespace, 'two', { n: '2' }, { tier: 'b' }),
            {
              fieldManager: MANAGER,
            },
          );

          const one = await client.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace,
            name: 'one',
          });
          expect(one).toMatchObject({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            data: { n: '1' },
          });
          await expect(
            client.get({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace,
              name: 'none',
            }),
          ).resolves.toBeUndefined();

          const list = await client.list(
            { apiVersion: 'v1', kind: 'ConfigMap', namespace },
            { labelSelector: 'astro-contract=true,tier in (b)' },
          );
          expect(list.resourceVersion).toBeTruthy();
          expect(list.items.map(item => item.metadata.name)).toEqual(['two']);
          expect(list.items[0]).toMatchObject({
            apiVersion: 'v1',
            kind: 'ConfigMap',
          });
        },
        options.timeoutMs,
      );

      it(
        'fails with NotFound for a kind the cluster does not serve',
        async () => {
          await expectClusterError(
            client.list({ apiVersion: 'example.invalid/v1', kind: 'Nothing' }),
            'NotFound',
          );
        },
        options.timeoutMs,
      );
    });

    describe('informers', () => {
      it(
        'lists, then follows additions, updates and deletions',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(configMap(namespace, 'before', { v: '1' }), {
            fieldManager: MANAGER,
          });
          const informer = client.informer(
            { apiVersion: 'v1', kind: 'ConfigMap', namespace },
            { labelSelector: 'astro-contract=true' },
          );
          const seen: string[] = [];
          informer.on('add', o => seen.push(`add ${o.metadata.name}`));
          informer.on('update', o => seen.push(`update ${o.metadata.name}`));
          informer.on('delete', o => seen.push(`delete ${o.metadata.name}`));
          try {
            await informer.start();
            expect(informer.list().map(o => o.metadata.name)).toEqual([
              'before',
            ]);

            await client.apply(configMap(namespace, 'after', { v: '1' }), {
              fieldManager: MANAGER,
            });
            await client.apply(configMap(namespace, 'before', { v: '2' }), {
              fieldManager: MANAGER,
            });
            await client.delete({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace,
              name: 'after',
            });
            await waitFor(() => seen.includes('delete after'), wait);
            expect(seen).toEqual([
              'add before',
              'add after',
              'update before',
              'delete after',
            ]);
            expect(informer.list()).toEqual([
              expect.objectContaining({ data: { v: '2' } }),
            ]);
          } finally {
            informer.stop();
          }
        },
        options.timeoutMs,
      );

      simulatedIt(
        'recovers from a dropped watch',
        async () => {
          const namespace = await freshNamespace();
          const informer = client.informer({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace,
          });
          const errors: Error[] = [];
          informer.on('error', e => errors.push(e));
          try {
            await informer.start();
            await waitFor(() => target.simulator!.dropWatches() > 0, wait);
            await client.apply(configMap(namespace, 'later', { v: '1' }), {
              fieldManager: MANAGER,
            });
            await waitFor(
              () => informer.list().some(o => o.metadata.name === 'later'),
              wait,
            );
            // The lost connection is reported, as a typed error.
            expect(errors.length).toBeGreaterThan(0);
            expect(errors.every(e => isClusterError(e, 'Unreachable'))).toBe(
              true,
            );
          } finally {
            informer.stop();
          }
        },
        options.timeoutMs,
      );

      simulatedIt(
        're-lists when resuming a watch answers 410 Gone',
        async () => {
          const simulator = target.simulator!;
          const namespace = await freshNamespace();
          const informer = client.informer({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace,
          });
          let synced = 0;
          const errors: Error[] = [];
          informer.on('synced', () => synced++);
          informer.on('error', e => errors.push(e));
          try {
            await informer.start();
            expect(synced).toBe(1);
            await client.apply(configMap(namespace, 'seen', { v: '1' }), {
              fieldManager: MANAGER,
            });
            await waitFor(() => informer.list().length === 1, wait);
            // Changes elsewhere move the cluster's resource version past the
            // informer's, and a compaction forgets the history in between.
            const elsewhere = await freshNamespace();
            await client.apply(configMap(elsewhere, 'unseen', { v: '1' }), {
              fieldManager: MANAGER,
            });
            simulator.compactHistory();
            // A clean close makes the informer resume from its last version,
            // which is now too old: it must list again.
            await waitFor(() => simulator.closeWatches() > 0, wait);
            await waitFor(() => synced >= 2, wait);
            expect(informer.list().map(o => o.metadata.name)).toEqual(['seen']);
            // 410 is part of the protocol, not a failure.
            expect(errors).toEqual([]);
          } finally {
            informer.stop();
          }
        },
        options.timeoutMs,
      );

      it(
        'treats stop as the end, not as an error',
        async () => {
          const namespace = await freshNamespace();
          const informer = client.informer({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace,
          });
          const errors: Error[] = [];
          informer.on('error', e => errors.push(e));
          await informer.start();
          informer.stop();
          await client.apply(configMap(namespace, 'after-stop', { v: '1' }), {
            fieldManager: MANAGER,
          });
          await new Promise(resolve => setTimeout(resolve, 200));
          expect(errors).toEqual([]);
          expect(informer.list()).toEqual([]);
        },
        options.timeoutMs,
      );
    });

    describe('delete', () => {
      it(
        'deletes objects, and answers false for a missing one',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(configMap(namespace, 'doomed', { v: '1' }), {
            fieldManager: MANAGER,
          });
          const ref = {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace,
            name: 'doomed',
          };
          await expect(client.delete(ref)).resolves.toBe(true);
          await waitFor(
            async () => (await client.get(ref)) === undefined,
            wait,
          );
          await expect(client.delete(ref)).resolves.toBe(false);
        },
        options.timeoutMs,
      );

      it(
        'cascades to dependents of a deleted owner',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(
            pauseDeployment(namespace, 'owner', { 'astro-contract': 'true' }),
            {
              fieldManager: MANAGER,
            },
          );
          const replicaSets = {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            namespace,
          };
          await waitFor(
            async () => (await client.list(replicaSets)).items.length === 1,
            wait,
          );
          await client.delete(
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              namespace,
              name: 'owner',
            },
            { propagationPolicy: 'Background' },
          );
          await waitFor(
            async () => (await client.list(replicaSets)).items.length === 0,
            wait,
          );
        },
        options.timeoutMs,
      );

      it(
        'deletes a namespace with its contents',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(configMap(namespace, 'inside', { v: '1' }), {
            fieldManager: MANAGER,
          });
          await expect(
            client.delete({
              apiVersion: 'v1',
              kind: 'Namespace',
              name: namespace,
            }),
          ).resolves.toBe(true);
          await waitFor(
            async () =>
              (await client.get({
                apiVersion: 'v1',
                kind: 'Namespace',
                name: namespace,
              })) === undefined,
            wait,
          );
          await expect(
            client.get({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace,
              name: 'inside',
            }),
          ).resolves.toBeUndefined();
        },
        options.timeoutMs,
      );
    });

    describe('service proxy', () => {
      it(
        'answers 503 for a service without ready endpoints',
        async () => {
          const namespace = await freshNamespace();
          await client.apply(
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'nobody', namespace },
              spec: {
                selector: { app: 'nobody' },
                ports: [{ name: 'http', port: 8080 }],
              },
            },
            { fieldManager: MANAGER },
          );
          const response = await client.proxyGet({
            namespace,
            service: 'nobody',
            port: 8080,
            path: '/health',
          });
          expect(response.status).toBe(503);
        },
        options.timeoutMs,
      );

      simulatedIt(
        'reaches the simulated Airflow API behind a service',
        async () => {
          const namespace = await freshNamespace();
          const component = { 'app.kubernetes.io/component': 'api-server' };
          await client.apply(
            pauseDeployment(namespace, 'api-server', component),
            {
              fieldManager: MANAGER,
            },
          );
          await client.apply(
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'api-server', namespace, labels: component },
              spec: {
                selector: { app: 'api-server' },
                ports: [{ name: 'http', port: 8080 }],
              },
            },
            { fieldManager: MANAGER },
          );
          const response = await waitFor(async () => {
            const answer = await client.proxyGet({
              namespace,
              service: 'api-server',
              port: 'http',
              path: '/api/v2/monitor/health',
            });
            return answer.status === 200 ? answer : undefined;
          }, wait);
          // Writes pass with their method and body: the simulated Airflow
          // routes this PATCH and asks for a token.
          const write = await client.proxyRequest({
            method: 'PATCH',
            namespace,
            service: 'api-server',
            port: 'http',
            path: '/api/v2/dags/etl',
            body: { is_paused: true },
          });
          expect(write.status).toBe(401);
          expect(JSON.parse(write.body)).toEqual({
            detail: 'Not authenticated',
          });
          expect(JSON.parse(response.body)).toEqual({
            metadatabase: { status: 'healthy' },
            scheduler: {
              status: 'unhealthy',
              latest_scheduler_heartbeat: null,
            },
            triggerer: { status: null, latest_triggerer_heartbeat: null },
            dag_processor: {
              status: null,
              latest_dag_processor_heartbeat: null,
            },
          });
        },
        options.timeoutMs,
      );
    });
  });
}
