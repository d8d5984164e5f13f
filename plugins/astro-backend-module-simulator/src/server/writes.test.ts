/**
 * The write paths over HTTP: the three patch formats, dry runs, delete
 * options, the scale subresource, rollbacks, generateName and bodies
 * without apiVersion and kind.
 */
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../KubernetesSimulator';
import { eventually, httpClient } from '../__testUtils__/http';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/team/deployments';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';

const deployment = (image = 'nginx:1') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image,
            ports: [{ containerPort: 80 }],
            env: [{ name: 'A', value: '1' }],
          },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    },
  },
});

describe('writes over HTTP', () => {
  let simulator: KubernetesSimulator;
  let http: ReturnType<typeof httpClient>;

  const replicaSets = () =>
    simulator.control.listObjects({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      namespace: 'team',
    });
  const pods = () =>
    simulator.control.listObjects({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'team',
    });
  const liveDeployment = () =>
    simulator.control.getObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'team',
      name: 'web',
    });

  /** What the server fills into every container it stores. */
  const serverDefaults = (imagePullPolicy: string) => ({
    imagePullPolicy,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });

  beforeEach(async () => {
    simulator = await startKubernetesSimulator({
      podReadyDelayMs: 10,
      namespaceDeletionDelayMs: 20,
    });
    http = httpClient(simulator);
    await http.apply('/api/v1/namespaces/team', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
    });
    const created = await http.call('POST', DEPLOYMENTS, deployment());
    if (created.status !== 201) {
      throw new Error(`could not create the Deployment: ${created.text}`);
    }
  });

  afterEach(() => simulator.stop());

  describe('patches', () => {
    it('merges a strategic merge patch by the container and env keys', async () => {
      const answer = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web?fieldManager=kubectl-set`,
        {
          spec: {
            template: {
              spec: {
                '$setElementOrder/containers': [
                  { name: 'web' },
                  { name: 'sidecar' },
                ],
                containers: [
                  {
                    name: 'web',
                    image: 'nginx:2',
                    env: [{ name: 'B', value: '2' }],
                  },
                ],
              },
            },
          },
        },
        STRATEGIC,
      );
      expect(answer.status).toBe(200);
      const containers = answer.body.spec.template.spec.containers;
      expect(containers).toEqual([
        {
          name: 'web',
          image: 'nginx:2',
          ...serverDefaults('IfNotPresent'),
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          // Without $setElementOrder/env a new element goes first, as on
          // a real server.
          env: [
            { name: 'B', value: '2' },
            { name: 'A', value: '1' },
          ],
        },
        { name: 'sidecar', image: 'busybox', ...serverDefaults('Always') },
      ]);
      expect(answer.text).not.toContain('$setElementOrder');
      expect(
        answer.body.metadata.managedFields.map((f: any) => f.manager),
      ).toContain('kubectl-set');
    });

    it('applies a JSON patch; a failed test is 422, a malformed patch 400', async () => {
      const patched = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        [
          { op: 'test', path: '/spec/replicas', value: 2 },
          { op: 'replace', path: '/spec/replicas', value: 3 },
          {
            op: 'add',
            path: '/metadata/labels',
            value: { tier: 'front' },
          },
        ],
        JSON_PATCH,
      );
      expect(patched.status).toBe(200);
      expect(patched.body.spec.replicas).toBe(3);
      expect(patched.body.metadata.labels).toEqual({ tier: 'front' });

      const failed = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        [{ op: 'test', path: '/spec/replicas', value: 2 }],
        JSON_PATCH,
      );
      expect(failed.status).toBe(422);
      expect(failed.body).toMatchObject({ kind: 'Status', reason: 'Invalid' });
      expect(failed.body.message).toContain('/spec/replicas');

      const malformed = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        { op: 'replace' },
        JSON_PATCH,
      );
      expect(malformed.status).toBe(400);
      expect(liveDeployment()?.spec).toMatchObject({ replicas: 3 });
    });

    it('still applies JSON merge patches, replacing lists whole', async () => {
      const answer = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        {
          spec: {
            template: {
              spec: { containers: [{ name: 'only', image: 'x' }] },
            },
          },
        },
        MERGE,
      );
      expect(answer.status).toBe(200);
      expect(answer.body.spec.template.spec.containers).toEqual([
        { name: 'only', image: 'x', ...serverDefaults('Always') },
      ]);
    });

    it('refuses a patch whose resourceVersion is stale, and a strategic patch of a custom resource', async () => {
      const stale = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        { metadata: { resourceVersion: '1' }, spec: { replicas: 4 } },
        MERGE,
      );
      expect(stale.status).toBe(409);
      expect(stale.body.message).toContain('the object has been modified');

      const so = await http.call(
        'POST',
        '/apis/keda.sh/v1alpha1/namespaces/team/scaledobjects',
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'workers' },
          spec: {
            scaleTargetRef: { name: 'web' },
            triggers: [{ type: 'cpu', metadata: { value: '50' } }],
          },
        },
      );
      expect(so.status).toBe(201);
      const strategic = await http.call(
        'PATCH',
        '/apis/keda.sh/v1alpha1/namespaces/team/scaledobjects/workers',
        { spec: { minReplicaCount: 1 } },
        STRATEGIC,
      );
      expect(strategic.status).toBe(415);
    });
  });

  describe('server-side apply of lists with merge keys', () => {
    it('re-applies a defaulted Deployment without a change, keeping containers others added', async () => {
      const path = `${DEPLOYMENTS}/web?fieldManager=astro`;
      const first = await http.call(
        'PATCH',
        path,
        deployment(),
        'application/apply-patch+yaml',
      );
      expect(first.status).toBe(200);
      const added = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web?fieldManager=mesh`,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'team' },
          spec: {
            template: {
              spec: { containers: [{ name: 'proxy', image: 'envoy:1' }] },
            },
          },
        },
        'application/apply-patch+yaml',
      );
      expect(added.status).toBe(200);
      const again = await http.call(
        'PATCH',
        path,
        deployment(),
        'application/apply-patch+yaml',
      );
      expect(again.status).toBe(200);
      // Controllers write the status meanwhile; the spec stays as it was.
      expect(again.body.metadata.generation).toBe(
        added.body.metadata.generation,
      );
      expect(again.body.spec).toEqual(added.body.spec);
      expect(
        again.body.spec.template.spec.containers.map((c: any) => c.name),
      ).toEqual(['web', 'sidecar', 'proxy']);
      expect(again.body.spec.template.spec.containers[0]).toMatchObject({
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
      });
    });
  });

  describe('dry runs', () => {
    it('changes nothing for create, update, patch, apply and delete with dryRun=All', async () => {
      const before = simulator.control.stats();
      const other = { ...deployment(), metadata: { name: 'other' } };
      expect(
        (await http.call('POST', `${DEPLOYMENTS}?dryRun=All`, other)).status,
      ).toBe(201);
      const put = await http.call('PUT', `${DEPLOYMENTS}/web?dryRun=All`, {
        ...deployment('nginx:9'),
      });
      expect(put.status).toBe(200);
      expect(put.body.spec.template.spec.containers[0].image).toBe('nginx:9');
      for (const [body, type] of [
        [{ spec: { replicas: 7 } }, MERGE],
        [[{ op: 'replace', path: '/spec/replicas', value: 7 }], JSON_PATCH],
      ] as const) {
        expect(
          (
            await http.call(
              'PATCH',
              `${DEPLOYMENTS}/web?dryRun=All`,
              body,
              type,
            )
          ).body.spec.replicas,
        ).toBe(7);
      }
      expect(
        (
          await http.apply(
            `${DEPLOYMENTS}/web`,
            deployment('nginx:8'),
            'fieldManager=x&force=true&dryRun=All',
          )
        ).status,
      ).toBe(200);
      const deleted = await http.call('DELETE', `${DEPLOYMENTS}/web`, {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: 'Background',
        dryRun: ['All'],
      });
      expect(deleted.status).toBe(200);

      const live = (await http.get(`${DEPLOYMENTS}/web`)).body;
      // Only the controllers' status writes moved it: the spec is as created.
      expect(live.metadata.generation).toBe(1);
      expect(live.spec.replicas).toBe(2);
      expect(live.spec.template.spec.containers[0].image).toBe('nginx:1');
      expect((await http.get(`${DEPLOYMENTS}/other`)).status).toBe(404);
      expect(
        simulator.control.stats().writes.slice(before.writes.length),
      ).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ verb: 'delete', dryRun: true }),
        ]),
      );
      expect(
        (
          await http.call('DELETE', `${DEPLOYMENTS}/web`, {
            dryRun: ['Some'],
          })
        ).status,
      ).toBe(400);
    });

    it('dry-run deletes a namespace without terminating it or its contents', async () => {
      const answer = await http.call('DELETE', '/api/v1/namespaces/team', {
        dryRun: ['All'],
      });
      expect(answer.status).toBe(200);
      expect(answer.body.status.phase).toBe('Terminating');
      await new Promise(resolve => setTimeout(resolve, 100));
      const namespace = (await http.get('/api/v1/namespaces/team')).body;
      expect(namespace.status.phase).toBe('Active');
      expect(namespace.metadata.deletionTimestamp).toBeUndefined();
      expect((await http.get(`${DEPLOYMENTS}/web`)).status).toBe(200);
    });
  });

  describe('delete options', () => {
    it('answers 409 when the uid or resourceVersion precondition fails', async () => {
      const live = (await http.get(`${DEPLOYMENTS}/web`)).body;
      const wrongUid = await http.call('DELETE', `${DEPLOYMENTS}/web`, {
        preconditions: { uid: 'not-it' },
      });
      expect(wrongUid.status).toBe(409);
      expect(wrongUid.body.message).toBe(
        `Operation cannot be fulfilled on deployments.apps "web": Precondition failed: UID in precondition: not-it, UID in object meta: ${live.metadata.uid}`,
      );
      const wrongVersion = await http.call('DELETE', `${DEPLOYMENTS}/web`, {
        preconditions: { resourceVersion: '1' },
      });
      expect(wrongVersion.status).toBe(409);
      expect(wrongVersion.body.message).toContain(
        'ResourceVersion in precondition: 1',
      );
      // The simulated controllers may write the status between the read
      // and the delete (a newer resourceVersion, 409 as a real server
      // answers): read again and retry, as clients do.
      let matching;
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = (await http.get(`${DEPLOYMENTS}/web`)).body;
        matching = await http.call('DELETE', `${DEPLOYMENTS}/web`, {
          preconditions: {
            uid: current.metadata.uid,
            resourceVersion: current.metadata.resourceVersion,
          },
        });
        if (matching.status !== 409) {
          break;
        }
      }
      expect(matching!.status).toBe(200);
      expect((await http.get(`${DEPLOYMENTS}/web`)).status).toBe(404);
    });

    it('orphans dependents with Orphan and collects them otherwise', async () => {
      await eventually(() => replicaSets().length === 1);
      await http.call('DELETE', `${DEPLOYMENTS}/web`, {
        propagationPolicy: 'Orphan',
      });
      const [orphan] = replicaSets();
      expect(orphan.metadata.ownerReferences ?? []).toEqual([]);

      await http.call('POST', DEPLOYMENTS, {
        ...deployment(),
        metadata: { name: 'second' },
        spec: {
          ...deployment().spec,
          selector: { matchLabels: { app: 'second' } },
          template: {
            ...deployment().spec.template,
            metadata: { labels: { app: 'second' } },
          },
        },
      });
      await eventually(() => replicaSets().length === 2);
      await http.call(
        'DELETE',
        `${DEPLOYMENTS}/second?propagationPolicy=Foreground`,
      );
      expect(replicaSets().map(rs => rs.metadata.name)).toEqual([
        orphan.metadata.name,
      ]);
      expect(
        (
          await http.call('DELETE', `${DEPLOYMENTS}/gone`, {
            propagationPolicy: 'Sometimes',
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('the scale subresource', () => {
    it('reads and writes replicas of a Deployment with GET, PUT and PATCH', async () => {
      const scale = await http.get(`${DEPLOYMENTS}/web/scale`);
      expect(scale.body).toMatchObject({
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web', namespace: 'team' },
        spec: { replicas: 2 },
        status: { selector: 'app=web' },
      });
      // The controllers keep writing the Deployment's status, so a PUT
      // carrying the resourceVersion just read may meet a newer one (409,
      // as on a real server); clients retry on conflict, and so does this.
      let put = await http.call('PUT', `${DEPLOYMENTS}/web/scale`, {
        ...scale.body,
        spec: { replicas: 3 },
      });
      for (let attempt = 0; put.status === 409 && attempt < 5; attempt++) {
        const fresh = await http.get(`${DEPLOYMENTS}/web/scale`);
        put = await http.call('PUT', `${DEPLOYMENTS}/web/scale`, {
          ...fresh.body,
          spec: { replicas: 3 },
        });
      }
      expect(put.status).toBe(200);
      expect(put.body.spec.replicas).toBe(3);
      const patched = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web/scale?fieldManager=kubectl-scale`,
        { spec: { replicas: 1 } },
        MERGE,
      );
      expect(patched.body.spec.replicas).toBe(1);
      const live = (await http.get(`${DEPLOYMENTS}/web`)).body;
      expect(live.spec.replicas).toBe(1);
      expect(live.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            manager: 'kubectl-scale',
            subresource: 'scale',
          }),
        ]),
      );
      await eventually(() => pods().length === 1);
    });

    it('refuses a stale resourceVersion and negative replicas; dry runs change nothing', async () => {
      const stale = await http.call('PUT', `${DEPLOYMENTS}/web/scale`, {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web', resourceVersion: '1' },
        spec: { replicas: 5 },
      });
      expect(stale.status).toBe(409);
      const negative = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web/scale`,
        [{ op: 'replace', path: '/spec/replicas', value: -1 }],
        JSON_PATCH,
      );
      expect(negative.status).toBe(422);
      expect(negative.body.details.causes[0].field).toBe('spec.replicas');
      const dry = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web/scale?dryRun=All`,
        { spec: { replicas: 9 } },
        STRATEGIC,
      );
      expect(dry.body.spec.replicas).toBe(9);
      expect((await http.get(`${DEPLOYMENTS}/web`)).body.spec.replicas).toBe(2);
    });

    it('scales a StatefulSet; kinds without the subresource answer 404', async () => {
      const sts = await http.call(
        'POST',
        '/apis/apps/v1/namespaces/team/statefulsets',
        {
          metadata: { name: 'db' },
          spec: {
            serviceName: 'db',
            replicas: 1,
            selector: { matchLabels: { app: 'db' } },
            template: {
              metadata: { labels: { app: 'db' } },
              spec: { containers: [{ name: 'db', image: 'postgres' }] },
            },
          },
        },
      );
      expect(sts.status).toBe(201);
      const patched = await http.call(
        'PATCH',
        '/apis/apps/v1/namespaces/team/statefulsets/db/scale',
        { spec: { replicas: 2 } },
        MERGE,
      );
      expect(patched.status).toBe(200);
      await eventually(() => pods().some(pod => pod.metadata.name === 'db-1'));
      expect(
        (await http.get('/apis/batch/v1/namespaces/team/jobs/x/scale')).status,
      ).toBe(404);
    });
  });

  describe('rollbacks', () => {
    it('brings an old ReplicaSet back as the newest revision, as kubectl rollout undo does', async () => {
      await eventually(() => replicaSets().length === 1);
      const [first] = replicaSets();
      await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        {
          metadata: { annotations: { 'kubernetes.io/change-cause': 'v2' } },
          spec: {
            template: {
              spec: { containers: [{ name: 'web', image: 'nginx:2' }] },
            },
          },
        },
        STRATEGIC,
      );
      await eventually(() => replicaSets().length === 2);
      const live = (await http.get(`${DEPLOYMENTS}/web`)).body;
      expect(
        live.metadata.annotations['deployment.kubernetes.io/revision'],
      ).toBe('2');
      const second = replicaSets().find(
        rs => rs.metadata.name !== first.metadata.name,
      )!;
      expect(second.metadata.annotations).toMatchObject({
        'deployment.kubernetes.io/revision': '2',
        'kubernetes.io/change-cause': 'v2',
      });

      // What kubectl rollout undo sends: the old template as typed Go
      // structs serialize it (zero values included), minus the hash label.
      const template = JSON.parse(JSON.stringify(first.spec)).template;
      delete template.metadata.labels['pod-template-hash'];
      template.metadata.creationTimestamp = null;
      for (const container of template.spec.containers) {
        container.resources = {};
      }
      const undo = await http.call(
        'PATCH',
        `${DEPLOYMENTS}/web`,
        [
          { op: 'replace', path: '/spec/template', value: template },
          {
            op: 'replace',
            path: '/metadata/annotations',
            value: { 'deployment.kubernetes.io/revision': '2' },
          },
        ],
        JSON_PATCH,
      );
      expect(undo.status).toBe(200);
      await eventually(() => {
        const back = replicaSets().find(
          rs => rs.metadata.name === first.metadata.name,
        );
        return (
          back?.metadata.annotations?.['deployment.kubernetes.io/revision'] ===
          '3'
        );
      });
      expect(replicaSets()).toHaveLength(2);
      const back = replicaSets().find(
        rs => rs.metadata.name === first.metadata.name,
      )!;
      expect(back.spec).toMatchObject({ replicas: 2 });
      expect(
        back.metadata.annotations?.[
          'deployment.kubernetes.io/revision-history'
        ],
      ).toBe('1');
      await eventually(
        () =>
          liveDeployment()?.metadata.annotations?.[
            'deployment.kubernetes.io/revision'
          ] === '3',
      );
    });
  });

  describe('names and types implied by the request', () => {
    it('generates a name from generateName', async () => {
      const answer = await http.call(
        'POST',
        '/api/v1/namespaces/team/configmaps',
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { generateName: 'settings-' },
          data: { a: '1' },
        },
      );
      expect(answer.status).toBe(201);
      expect(answer.body.metadata.name).toMatch(/^settings-[a-z0-9]{5}$/);
      expect(answer.body.metadata.generateName).toBe('settings-');
      const nameless = await http.call(
        'POST',
        '/api/v1/namespaces/team/configmaps',
        { metadata: {} },
      );
      expect(nameless.status).toBe(422);
      expect(nameless.body.details.causes[0].field).toBe('metadata.name');
    });

    it('accepts bodies without apiVersion and kind on POST and PUT, refuses mismatched ones', async () => {
      const created = await http.call(
        'POST',
        '/api/v1/namespaces/team/configmaps',
        { metadata: { name: 'bare' }, data: { a: '1' } },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        apiVersion: 'v1',
        kind: 'ConfigMap',
      });
      const replaced = await http.call(
        'PUT',
        '/api/v1/namespaces/team/configmaps/bare',
        { metadata: { name: 'bare' }, data: { a: '2' } },
      );
      expect(replaced.status).toBe(200);
      expect(replaced.body.data).toEqual({ a: '2' });
      const mismatched = await http.call(
        'POST',
        '/api/v1/namespaces/team/configmaps',
        { kind: 'Secret', metadata: { name: 'x' } },
      );
      expect(mismatched.status).toBe(400);
    });
  });
});
