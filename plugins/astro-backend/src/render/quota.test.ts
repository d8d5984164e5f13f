import {
  DEFAULT_SCHEDULER_SIZES,
  DEFAULT_WORKER_MACHINES,
  parseCpuMillis,
  parseMemoryBytes,
} from '@airflow-portal/plugin-astro-common';
import { parse as parseYaml } from 'yaml';
import { fixtureInput, renderMatrix } from './__testUtils__/renderInputs';
import {
  Amount,
  QuotaInput,
  describeQuotaShortfall,
  formatCpu,
  formatMemory,
  planQuota,
  podRequest,
} from './quota';
import { renderDeployment } from './renderDeployment';
import type { RenderInput } from './types';

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;
const SIZES = {
  schedulerSizes: DEFAULT_SCHEDULER_SIZES,
  workerMachines: DEFAULT_WORKER_MACHINES,
};

/** The default settings of a new Deployment, Airflow 3, DAG deploys. */
function defaults(overrides: Partial<QuotaInput> = {}): QuotaInput {
  return {
    settings: {
      executor: 'CELERY',
      schedulerSize: 'SMALL',
      highAvailability: false,
      workerQueues: [
        {
          name: 'default',
          isDefault: true,
          workerSize: 'A5',
          minWorkers: 0,
          maxWorkers: 10,
          concurrency: 5,
        },
      ],
      resourceQuota: { cpu: '40', memory: '80Gi' },
      defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
      workerGracePeriodSeconds: 86400,
    },
    sizes: SIZES,
    airflow3: true,
    dags: 'sync',
    inNamespaceDatabase: true,
    ...overrides,
  };
}

function partsByWhat(input: QuotaInput) {
  return planQuota(input).parts.map(p => [
    p.what.replace(/ \(.*$/, ''),
    p.cpuMillis,
    p.memoryBytes / Mi,
  ]);
}

describe('planQuota', () => {
  it('adds up the default settings by hand: 30.85 CPU / 62.5Gi', () => {
    // Scheduler, DAG processor: 1 CPU / 2Gi + DAG sync 100m / 256Mi each;
    // API server 1 / 2Gi; triggerer 500m / 1Gi + DAG sync; pgbouncer
    // 250m / 256Mi; Redis 250m / 512Mi; PostgreSQL 500m / 1Gi.
    expect(partsByWhat(defaults())).toEqual([
      ['components', 4800, 9728],
      // 10 × (A5 1 CPU / 2Gi + DAG sync).
      ['workers of queue "default"', 11000, 23040],
      // Surge: scheduler + API server + triggerer + DAG processor +
      // pgbouncer (the migration Job's 500m / 1Gi is smaller).
      ['rollout', 4050, 8192],
      ['workers of queue "default" draining during a rollout', 11000, 23040],
    ]);
    const plan = planQuota(defaults());
    expect(plan.need).toEqual({
      cpuMillis: 30850,
      memoryBytes: 62.5 * Gi,
    });
    expect(plan.fits).toBe(true);
    // Celery: maxWorkers × concurrency.
    expect(plan.parallelism).toBe(50);
  });

  it('counts no draining workers without a grace period, and no PostgreSQL outside the namespace', () => {
    const input = defaults({ inNamespaceDatabase: false });
    input.settings.workerGracePeriodSeconds = 0;
    const plan = planQuota(input);
    expect(plan.parts.map(p => p.what)).not.toContainEqual(
      expect.stringContaining('draining'),
    );
    // 30.85 CPU − 11 (draining) − 0.5 (PostgreSQL).
    expect(plan.need.cpuMillis).toBe(19350);
    expect(plan.need.memoryBytes).toBe((62.5 - 22.5 - 1) * Gi);
  });

  it('sizes the Kubernetes executor by hand and gives the rest of the quota to parallelism per scheduler', () => {
    const input = defaults({ dags: 'image', inNamespaceDatabase: false });
    input.settings = {
      ...input.settings,
      executor: 'KUBERNETES',
      highAvailability: true,
      workerQueues: [],
      resourceQuota: { cpu: '20', memory: '40Gi' },
    };
    const plan = planQuota(input);
    expect(partsByWhat(input)).toEqual([
      // 2 × (scheduler 1/2Gi + API server 1/2Gi + triggerer 500m/1Gi +
      // pgbouncer 250m/256Mi) + DAG processor 1/2Gi; no Redis.
      ['components', 6500, 12800],
      ['rollout', 3750, 7424],
      // At least one task pod per scheduler.
      ['task pods', 1000, 2048],
    ]);
    expect(plan.need).toEqual({ cpuMillis: 11250, memoryBytes: 22272 * Mi });
    // CPU left: 20 − 10.25 = 9.75 → 19 pods of 500m; memory: 40Gi −
    // 19.75Gi → 20 pods of 1Gi; 19 over 2 schedulers → 9 each.
    expect(plan.parallelism).toBe(9);
  });

  it('keeps parallelism at 1 when the quota has no room for task pods, and reports why', () => {
    const input = defaults({ dags: 'image', inNamespaceDatabase: false });
    input.settings = {
      ...input.settings,
      executor: 'KUBERNETES',
      workerQueues: [],
      // Components 3.75 CPU, rollout 3.75, one task pod 0.5: 8 CPU.
      resourceQuota: { cpu: '7500m', memory: '40Gi' },
    };
    const plan = planQuota(input);
    expect(plan.fits).toBe(false);
    expect(plan.parallelism).toBe(1);
    const message = describeQuotaShortfall(plan)!;
    expect(message).toMatch(
      /^settings\.resourceQuota\.cpu: 7500m is less than the 8 CPU/,
    );
    expect(message).not.toContain('settings.resourceQuota.memory');
    expect(message).toContain('settings.defaultTaskPodSize');
  });

  it('names the queue fields that drive a shortfall', () => {
    const input = defaults();
    input.settings.workerQueues = [
      ...input.settings.workerQueues,
      {
        name: 'etl',
        isDefault: false,
        workerSize: 'A10',
        minWorkers: 0,
        maxWorkers: 5,
        concurrency: 10,
      },
    ];
    const plan = planQuota(input);
    // 30.85 + 2 × 5 × (2 CPU + 100m) = 51.85 CPU.
    expect(plan.need.cpuMillis).toBe(51850);
    expect(plan.parallelism).toBe(100);
    const message = describeQuotaShortfall(plan)!;
    expect(message).toContain(
      'settings.resourceQuota.cpu: 40 is less than the 51850m CPU the settings need at full scale',
    );
    expect(message).toContain(
      'settings.resourceQuota.memory: 80Gi is less than the 105Gi',
    );
    expect(message).toContain(
      ' + workers of queue "etl" (5 × A10) 10500m CPU / 21.25Gi (settings.workerQueues[1].maxWorkers, settings.workerQueues[1].workerSize) + ',
    );
    // Forms split `path: message` parts at "; ": one per quota field, and
    // the breakdown without a path.
    expect(message.split('; ').map(part => part.split(':')[0])).toEqual([
      'settings.resourceQuota.cpu',
      'settings.resourceQuota.memory',
      'needed at full scale',
    ]);
    expect(describeQuotaShortfall(planQuota(defaults()))).toBeUndefined();
  });

  it('counts git-sync (Airflow 2) but nothing for Git bundles on Airflow 3', () => {
    const airflow2 = planQuota(defaults({ dags: 'git', airflow3: false }));
    const airflow3 = planQuota(defaults({ dags: 'git' }));
    const image = planQuota(defaults({ dags: 'image' }));
    expect(airflow3.need).toEqual(image.need);
    // git-sync 100m / 512Mi in the scheduler, triggerer, DAG processor and
    // 10 workers, twice for the surge of the first three and the draining
    // workers: 26 sidecars.
    expect(airflow2.need.cpuMillis - image.need.cpuMillis).toBe(26 * 100);
    expect(airflow2.need.memoryBytes - image.need.memoryBytes).toBe(
      26 * 512 * Mi,
    );
  });
});

describe('podRequest', () => {
  it('is the larger of the containers and the largest init container, per resource', () => {
    expect(
      podRequest(
        [
          { cpu: '500m', memory: '1Gi' },
          { cpu: '100m', memory: '256Mi' },
        ],
        [
          { cpu: '2', memory: '512Mi' },
          { cpu: '100m', memory: '256Mi' },
        ],
      ),
    ).toEqual({ cpuMillis: 2000, memoryBytes: 1280 * Mi });
  });
});

describe('formatting', () => {
  it('writes Kubernetes quantities', () => {
    expect(formatCpu(31000)).toBe('31');
    expect(formatCpu(30850)).toBe('30850m');
    expect(formatMemory(64 * Gi)).toBe('64Gi');
    expect(formatMemory(62.5 * Gi)).toBe('62.5Gi');
    expect(formatMemory(22272 * Mi)).toBe('21.75Gi');
    expect(formatMemory(1000 * Mi)).toBe('1000Mi');
    expect(formatMemory(1)).toBe('1Mi');
  });
});

/* The plan must describe the objects as rendered, not a model of them. */

type Any = any;

function sizeOf(resources: Any) {
  return {
    cpu: resources.requests.cpu,
    memory: resources.requests.memory,
  };
}

function renderedPodRequest(podSpec: Any): Amount {
  return podRequest(
    podSpec.containers.map((c: Any) => sizeOf(c.resources)),
    (podSpec.initContainers ?? []).map((c: Any) => sizeOf(c.resources)),
  );
}

function sum(amounts: Amount[]): Amount {
  return amounts.reduce(
    (s, a) => ({
      cpuMillis: s.cpuMillis + a.cpuMillis,
      memoryBytes: s.memoryBytes + a.memoryBytes,
    }),
    { cpuMillis: 0, memoryBytes: 0 },
  );
}

function dagsOf(input: RenderInput): QuotaInput['dags'] {
  if (input.settings.gitDagBundle) {
    return 'git';
  }
  return input.dagSync ? 'sync' : 'image';
}

describe('planQuota agrees with the rendered objects', () => {
  it.each(renderMatrix().map(c => [c.name, c.input] as const))(
    '%s',
    (_name, input) => {
      const result = renderDeployment(input);
      const objects = result.objects.map(o => o.object as Any);
      const maxReplicas = new Map<string, number>(
        objects
          .filter(
            o =>
              o.kind === 'ScaledObject' || o.kind === 'HorizontalPodAutoscaler',
          )
          .map(o => [
            o.spec.scaleTargetRef.name,
            o.spec.maxReplicaCount ?? o.spec.maxReplicas,
          ]),
      );
      const workloads = objects.filter(
        o => o.kind === 'Deployment' || o.kind === 'StatefulSet',
      );
      const isWorker = (o: Any) => o.metadata.name.startsWith('worker-');
      const running = (filter: (o: Any) => boolean) =>
        sum(
          workloads.filter(filter).map(o => {
            const pod = renderedPodRequest(o.spec.template.spec);
            const replicas =
              o.spec.replicas ?? maxReplicas.get(o.metadata.name);
            return {
              cpuMillis: pod.cpuMillis * replicas,
              memoryBytes: pod.memoryBytes * replicas,
            };
          }),
        );
      const plan = planQuota({
        settings: input.settings,
        sizes: input.sizes,
        airflow3: input.runtime.airflowVersion.startsWith('3'),
        dags: dagsOf(input),
        inNamespaceDatabase: input.database.mode === 'in-namespace',
      });
      const part = (prefix: string) =>
        sum(plan.parts.filter(p => p.what.startsWith(prefix)));
      const strip = (a: Amount) => ({
        cpuMillis: a.cpuMillis,
        memoryBytes: a.memoryBytes,
      });

      expect(running(o => !isWorker(o))).toEqual(strip(part('components')));
      expect(running(isWorker)).toEqual(
        strip(
          sum(
            plan.parts.filter(
              p => p.what.startsWith('workers') && !p.what.includes('draining'),
            ),
          ),
        ),
      );
      // One surge pod per rolling Deployment that is not a worker, or the
      // migration Job's pod.
      const surge = sum(
        workloads
          .filter(o => o.kind === 'Deployment' && !isWorker(o))
          .map(o => renderedPodRequest(o.spec.template.spec)),
      );
      const job = renderedPodRequest(
        objects.find(o => o.kind === 'Job').spec.template.spec,
      );
      expect(strip(part('rollout'))).toEqual({
        cpuMillis: Math.max(surge.cpuMillis, job.cpuMillis),
        memoryBytes: Math.max(surge.memoryBytes, job.memoryBytes),
      });
      const template = objects.find(
        o =>
          o.kind === 'ConfigMap' && o.metadata.name === 'airflow-pod-template',
      );
      // Kubernetes executor: one task pod per scheduler (none with Celery).
      const taskPod = template
        ? renderedPodRequest(
            parseYaml(template.data['pod_template_file.yaml']).spec,
          )
        : { cpuMillis: 0, memoryBytes: 0 };
      const schedulers = input.settings.highAvailability ? 2 : 1;
      expect(strip(part('task pods'))).toEqual({
        cpuMillis: taskPod.cpuMillis * schedulers,
        memoryBytes: taskPod.memoryBytes * schedulers,
      });
      // The quota object says what the plan was held against.
      const quota = objects.find(o => o.kind === 'ResourceQuota');
      expect(parseCpuMillis(quota.spec.hard['requests.cpu'])).toBe(
        plan.quota.cpuMillis,
      );
      expect(parseMemoryBytes(quota.spec.hard['requests.memory'])).toBe(
        plan.quota.memoryBytes,
      );
    },
  );

  it('puts the parallelism into the scheduler only', () => {
    const result = renderDeployment(fixtureInput({ queues: 3 }));
    const withParallelism = result.objects
      .filter(o =>
        JSON.stringify(o.object).includes('AIRFLOW__CORE__PARALLELISM'),
      )
      .map(o => o.object.metadata.name);
    expect(withParallelism).toEqual(['scheduler']);
    // 10 × 5 + 5 × 10 + 3 × 4.
    expect(JSON.stringify(result.objects)).toContain(
      '{"name":"AIRFLOW__CORE__PARALLELISM","value":"112"}',
    );
  });
});
