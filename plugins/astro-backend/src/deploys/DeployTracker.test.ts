import { TestDatabases } from '@backstage/backend-test-utils';
import { dagsBundle } from './__testUtils__/bundles';
import { DEPLOYER, pod, setupDeploys } from './__testUtils__/deploysSetup';
import { judgeDeploy, servingPods } from './DeployTracker';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe('servingPods', () => {
  it('counts running, ready pods of the components that serve DAGs', () => {
    expect(
      servingPods([
        pod('scheduler-1', 'scheduler'),
        pod('dag-processor-1', 'dag-processor'),
        pod('triggerer-1', 'triggerer'),
        pod('worker-default-1', 'worker'),
        pod('api-server-1', 'api-server'),
        pod('redis-0', 'redis'),
        pod('worker-default-2', 'worker', { ready: false }),
        pod('worker-default-3', 'worker', { phase: 'Pending' }),
        pod('scheduler-old', 'scheduler', { terminating: true }),
      ]).map(p => p.name),
    ).toEqual([
      'dag-processor-1',
      'scheduler-1',
      'triggerer-1',
      'worker-default-1',
    ]);
  });
});

describe('judgeDeploy', () => {
  const base = {
    id: 'd1',
    deployment_id: 'x',
    status: 'INITIALIZED' as const,
    status_reason: null,
    image: 'etl:1',
    airflow_version: '3.1.3',
    bundle_version: `sha256:${'a'.repeat(64)}`,
    bundle_size: 1,
    bundle_files: 1,
    state_bundle_version: null,
    generation: 3,
    description: '',
    origin: 'CLI' as const,
    created_by: 'u',
    created_at: new Date('2026-12-01T10:00:00Z'),
    deployed_at: null,
    finished_at: null,
    rollback_of: null,
  };
  const deployment = {
    status: 'HEALTHY' as const,
    status_reason: null,
    observed_generation: 3,
    generation: 3,
  };
  const at = (seconds: number) =>
    new Date(Date.parse('2026-12-01T10:00:00Z') + seconds * 1000);

  it('needs both the rollout and the pods for IMAGE_AND_DAG', () => {
    const deploy = { ...base, type: 'IMAGE_AND_DAG' as const };
    const pods = [{ name: 's', component: 'scheduler' }];
    const reports = new Map([
      ['s', { pod: 's', version: base.bundle_version, reportedAt: at(1) }],
    ]);
    expect(
      judgeDeploy({
        deploy,
        deployment: { ...deployment, observed_generation: 2 },
        pods,
        reports,
        now: at(5),
        timeoutMs: 600_000,
      }).status,
    ).toBe('INITIALIZED');
    expect(
      judgeDeploy({
        deploy,
        deployment,
        pods,
        reports,
        now: at(5),
        timeoutMs: 600_000,
      }),
    ).toEqual({
      status: 'DEPLOYED',
      reason: expect.stringContaining(
        '1 pods serve DAG bundle sha256:aaaaaaaaaaaa',
      ),
    });
  });

  it('fails an image deploy after the timeout, naming the rollout problem', () => {
    const verdict = judgeDeploy({
      deploy: { ...base, type: 'IMAGE' as const, bundle_version: null },
      deployment: {
        ...deployment,
        status: 'UNHEALTHY',
        status_reason: 'scheduler is crash-looping (ImagePullBackOff)',
      },
      pods: [],
      reports: new Map(),
      now: at(601),
      timeoutMs: 600_000,
    });
    expect(verdict).toEqual({
      status: 'FAILED',
      reason:
        'The rollout of image etl:1 did not converge within 600 s: the Deployment is UNHEALTHY (scheduler is crash-looping (ImagePullBackOff))',
    });
  });
});

describe.each(databases.eachSupportedId())(
  'DeployTracker on %s',
  databaseId => {
    it('marks a DAG deploy DEPLOYED once every serving pod reported its bundle', async () => {
      const { deploys, pods, id, db, clock } = await setupDeploys(
        databases,
        databaseId,
      );
      const bundle = await dagsBundle();
      const deploy = await deploys.service.deployBundle(
        DEPLOYER,
        'acme',
        'etl',
        { checksum: bundle.checksum },
        bundle.bytes,
      );
      pods.set([
        pod('scheduler-1', 'scheduler'),
        pod('worker-default-1', 'worker'),
        pod('api-server-1', 'api-server'),
      ]);
      await deploys.bundles.report(id, 'scheduler-1', {
        version: bundle.checksum,
      });
      await deploys.tracker.evaluate(id);
      expect((await deploys.service.get('acme', 'etl', deploy.id)).status).toBe(
        'INITIALIZED',
      );

      clock.advance(5_000);
      await deploys.bundles.report(id, 'worker-default-1', {
        version: bundle.checksum,
      });
      await deploys.tracker.evaluate(id);
      const done = await deploys.service.get('acme', 'etl', deploy.id);
      expect(done).toMatchObject({
        status: 'DEPLOYED',
        statusReason: expect.stringContaining('2 pods serve DAG bundle'),
        deployedAt: clock.now().toISOString(),
      });
      const events = await db.events.listForDeployment(id, { limit: 5 });
      expect(events[0]).toMatchObject({
        action: 'deploy-deployed',
        actor: 'system:astro',
      });
    });

    it('fails a DAG deploy after the timeout, naming the pods that did not switch and why', async () => {
      const { deploys, pods, id, clock } = await setupDeploys(
        databases,
        databaseId,
        { timeoutSeconds: 60 },
      );
      const bundle = await dagsBundle();
      const deploy = await deploys.service.deployBundle(
        DEPLOYER,
        'acme',
        'etl',
        { checksum: bundle.checksum },
        bundle.bytes,
      );
      pods.set([
        pod('scheduler-1', 'scheduler'),
        pod('triggerer-1', 'triggerer'),
      ]);
      await deploys.bundles.report(id, 'scheduler-1', {
        version: bundle.checksum,
      });
      await deploys.bundles.report(id, 'triggerer-1', {
        version: `sha256:${'1'.repeat(64)}`,
        error: 'checksum mismatch',
      });
      clock.advance(59_000);
      await deploys.tracker.evaluate(id);
      expect((await deploys.service.get('acme', 'etl', deploy.id)).status).toBe(
        'INITIALIZED',
      );
      clock.advance(2_000);
      await deploys.tracker.evaluateAll();
      expect(await deploys.service.get('acme', 'etl', deploy.id)).toMatchObject(
        {
          status: 'FAILED',
          statusReason: expect.stringMatching(
            /^Pods triggerer-1 did not pick up DAG bundle sha256:.* within 60 s \(triggerer-1: checksum mismatch\)$/,
          ),
        },
      );
    });

    it('fails a DAG deploy when no pod serves DAGs, or the pods cannot be read', async () => {
      const { deploys, pods, id, clock } = await setupDeploys(
        databases,
        databaseId,
        { timeoutSeconds: 60 },
      );
      const first = await dagsBundle('1');
      const a = await deploys.service.deployBundle(
        DEPLOYER,
        'acme',
        'etl',
        { checksum: first.checksum },
        first.bytes,
      );
      pods.set([pod('api-server-1', 'api-server')]);
      clock.advance(61_000);
      await deploys.tracker.evaluate(id);
      expect(
        (await deploys.service.get('acme', 'etl', a.id)).statusReason,
      ).toMatch(
        /^No running and ready scheduler, dag-processor, triggerer, worker pod served/,
      );

      const second = await dagsBundle('2');
      const b = await deploys.service.deployBundle(
        DEPLOYER,
        'acme',
        'etl',
        { checksum: second.checksum },
        second.bytes,
      );
      pods.fail(new Error('cluster c is unreachable'));
      clock.advance(61_000);
      await deploys.tracker.evaluate(id);
      expect(
        (await deploys.service.get('acme', 'etl', b.id)).statusReason,
      ).toContain('cluster c is unreachable');
    });

    it('marks an image deploy DEPLOYED when its generation was observed HEALTHY', async () => {
      const { deploys, id, db, clock } = await setupDeploys(
        databases,
        databaseId,
      );
      const deploy = await deploys.service.deployImage(
        DEPLOYER,
        'acme',
        'etl',
        {
          type: 'IMAGE',
          image: 'etl:1',
        },
      );
      const record = (await db.deployments.getById(id))!;
      expect(record.generation).toBe(2);
      await db.deployments.updateStatus(
        id,
        { status: 'DEPLOYING', observedGeneration: 1 },
        clock.now(),
      );
      await deploys.tracker.evaluate(id);
      expect((await deploys.service.get('acme', 'etl', deploy.id)).status).toBe(
        'INITIALIZED',
      );
      await db.deployments.updateStatus(
        id,
        { status: 'HEALTHY', observedGeneration: 2 },
        clock.now(),
      );
      await deploys.tracker.evaluate(id);
      expect((await deploys.service.get('acme', 'etl', deploy.id)).status).toBe(
        'DEPLOYED',
      );
    });

    it('records each transition once, however many replicas evaluate it', async () => {
      const { deploys, makeDeploys, pods, id, db } = await setupDeploys(
        databases,
        databaseId,
      );
      const bundle = await dagsBundle();
      await deploys.service.deployBundle(
        DEPLOYER,
        'acme',
        'etl',
        { checksum: bundle.checksum },
        bundle.bytes,
      );
      pods.set([pod('scheduler-1', 'scheduler')]);
      await deploys.bundles.report(id, 'scheduler-1', {
        version: bundle.checksum,
      });
      const replicas = [deploys, makeDeploys(), makeDeploys()];
      await Promise.all(replicas.map(r => r.tracker.evaluate(id)));
      const events = await db.events.listForDeployment(id, { limit: 10 });
      expect(events.filter(e => e.action === 'deploy-deployed')).toHaveLength(
        1,
      );
    });

    it('fails the pending deploys of a Deployment being deleted', async () => {
      const { deploys, services, id } = await setupDeploys(
        databases,
        databaseId,
      );
      const deploy = await deploys.service.deployImage(
        DEPLOYER,
        'acme',
        'etl',
        {
          type: 'IMAGE',
          image: 'etl:1',
        },
      );
      await services.deployments.delete('user:default/alice', 'acme', 'etl');
      await deploys.tracker.evaluate(id);
      expect(await deploys.service.get('acme', 'etl', deploy.id)).toMatchObject(
        {
          status: 'FAILED',
          statusReason: 'The Deployment is being deleted',
        },
      );
    });
  },
);
