import { InputError } from '@backstage/errors';
import {
  ASTRO_ANNOTATIONS,
  ASTRO_LABELS,
} from '@airflow-portal/plugin-astro-common';
import { renderDeployment } from './renderDeployment';
import { renderedObjectKey } from './hash';
import { ownedSelector } from './labels';
import { RENDER_PHASES, RenderInput, RenderResult } from './types';
import {
  FIXTURE_SECRETS,
  fixtureInput,
  renderMatrix,
} from './__testUtils__/renderInputs';

type Any = any;

function find(result: RenderResult, kind: string, name: string): Any {
  const found = result.objects.find(
    o => o.object.kind === kind && o.object.metadata.name === name,
  );
  if (!found) {
    throw new Error(`no ${kind}/${name} rendered`);
  }
  return found.object;
}

function all(result: RenderResult, kind: string): Any[] {
  return result.objects.filter(o => o.object.kind === kind).map(o => o.object);
}

/** Object key → hash, to see which objects a change touched. */
function hashes(result: RenderResult): Map<string, string> {
  return new Map(
    result.objects.map(o => [renderedObjectKey(o.object), o.hash]),
  );
}

function changedKeys(before: RenderResult, after: RenderResult): string[] {
  const a = hashes(before);
  const b = hashes(after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter(key => a.get(key) !== b.get(key)).sort();
}

function podTemplates(object: Any): Any[] {
  return object.spec?.template ? [object.spec.template] : [];
}

function withInput(
  input: RenderInput,
  change: (input: RenderInput) => void,
): RenderInput {
  const copy = structuredClone(input);
  change(copy);
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('renderDeployment', () => {
  describe('secrets', () => {
    it.each(renderMatrix().map(c => [c.name, c.input] as const))(
      '%s: secret values appear in Secret objects only',
      (_name, input) => {
        const result = renderDeployment(input);
        /** As the value appears inside a JSON string (a multi-line key escaped). */
        const escaped = (v: string) => JSON.stringify(v).slice(1, -1);
        const inputText = JSON.stringify(input);
        const values: string[] = Object.values(FIXTURE_SECRETS).filter(v =>
          inputText.includes(escaped(v)),
        );
        const forms = values.flatMap(v => [
          { name: v.slice(0, 20), form: escaped(v) },
          {
            name: `base64 of ${v.slice(0, 20)}`,
            form: Buffer.from(v).toString('base64'),
          },
          {
            name: `URL-encoded ${v.slice(0, 20)}`,
            form: encodeURIComponent(v),
          },
          // Each long line of a multi-line value (the body of a key).
          ...v
            .split('\n')
            .filter(line => line.length >= 16 && line !== v)
            .map(line => ({ name: `a line of ${v.slice(0, 20)}`, form: line })),
        ]);
        const leaks = result.objects
          .filter(({ object }) => object.kind !== 'Secret')
          .flatMap(({ object }) => {
            const text = JSON.stringify(object);
            return forms
              .filter(({ form }) => text.includes(form))
              .map(({ name }) => `${renderedObjectKey(object)} holds ${name}`);
          });
        expect(leaks).toEqual([]);

        // ...and the Secrets do carry them: no broker with the Kubernetes
        // executor, no bundle token when the DAGs come from Git.
        const secretText = all(result, 'Secret')
          .flatMap(secret =>
            Object.values(secret.data as Record<string, string>),
          )
          .map(value => Buffer.from(value, 'base64').toString('utf8'))
          .join('\n');
        const expected = values.filter(
          value =>
            (value !== FIXTURE_SECRETS.redisPassword ||
              input.settings.executor === 'CELERY') &&
            (value !== FIXTURE_SECRETS.bundleToken ||
              !input.settings.gitDagBundle) &&
            // Not delivered where Airflow cannot use it (see LogsDurable).
            (value !== FIXTURE_SECRETS.opensearchPassword ||
              result.conditions.some(c => c.reason === 'RemoteLogging')),
        );
        expect(
          expected.filter(
            value =>
              !secretText.includes(value) &&
              !secretText.includes(escaped(value)),
          ),
        ).toEqual([]);
      },
    );

    it('never puts the fernet key, JWT secret or API key into a pod spec or annotation', () => {
      const result = renderDeployment(fixtureInput());
      const scheduler = find(result, 'Deployment', 'scheduler');
      const env = scheduler.spec.template.spec.containers[0].env;
      expect(env).toContainEqual({
        name: 'AIRFLOW__API_AUTH__JWT_SECRET',
        valueFrom: {
          secretKeyRef: { name: 'airflow-keys', key: 'jwt-secret' },
        },
      });
      // Plain values only for what is not a secret (the parallelism).
      expect(
        env.filter((e: Any) => e.value !== undefined).map((e: Any) => e.name),
      ).toEqual(['AIRFLOW__CORE__PARALLELISM']);
    });
  });

  describe('determinism', () => {
    it('renders byte-identical output for the same input and leaves the input alone', () => {
      const input = deepFreeze(fixtureInput({ queues: 3 }));
      const first = JSON.stringify(renderDeployment(input));
      const second = JSON.stringify(renderDeployment(structuredClone(input)));
      expect(second).toBe(first);
    });

    it('shares no object references between rendered objects', () => {
      const result = renderDeployment(fixtureInput({ queues: 3 }));
      const seen = new Set<object>();
      let shared = 0;
      const visit = (value: unknown) => {
        if (value && typeof value === 'object') {
          shared += seen.has(value) ? 1 : 0;
          seen.add(value);
          Object.values(value).forEach(visit);
        }
      };
      result.objects.forEach(o => visit(o.object));
      expect(shared).toBe(0);
    });
  });

  describe('changes', () => {
    it.each([true, false])(
      'changing maxWorkers changes only the autoscalers and the schedulers (their parallelism) (KEDA: %s)',
      keda => {
        const before = fixtureInput({ keda, queues: 3 });
        const after = withInput(before, input => {
          input.settings.workerQueues[1].maxWorkers = 7;
          input.deployment.generation += 1;
        });
        const kind = keda ? 'ScaledObject' : 'HorizontalPodAutoscaler';
        const apiVersion = keda ? 'keda.sh/v1alpha1' : 'autoscaling/v2';
        expect(
          changedKeys(renderDeployment(before), renderDeployment(after)),
        ).toEqual([
          'apps/v1/Deployment/astro-acme-data-eng-prod/scheduler',
          `${apiVersion}/${kind}/astro-acme-data-eng-prod/worker-etl`,
        ]);
      },
    );

    it('a new generation alone changes no object hash, only the generation annotation', () => {
      const before = renderDeployment(fixtureInput());
      const after = renderDeployment(fixtureInput({ generation: 4 }));
      expect(changedKeys(before, after)).toEqual([]);
      expect(after.hash).toBe(before.hash);
      for (const { object } of after.objects) {
        expect(
          object.metadata.annotations?.[ASTRO_ANNOTATIONS.generation],
        ).toBe('4');
      }
    });

    it('upgrading Airflow makes a new migration Job and rolls the components, keeping the keys', () => {
      const before = renderDeployment(
        fixtureInput({ airflowVersion: '2.11.0' }),
      );
      const after = renderDeployment(fixtureInput({ airflowVersion: '3.1.3' }));

      const jobName = (r: RenderResult) => all(r, 'Job')[0].metadata.name;
      expect(jobName(before)).toMatch(/^migrate-db-[0-9a-f]{10}$/);
      expect(jobName(after)).toMatch(/^migrate-db-[0-9a-f]{10}$/);
      expect(jobName(after)).not.toBe(jobName(before));

      for (const name of [
        'scheduler',
        'triggerer',
        'dag-processor',
        'worker-default',
      ]) {
        const a = find(before, 'Deployment', name).spec.template;
        const b = find(after, 'Deployment', name).spec.template;
        expect(b.spec.containers[0].image).toBe('apache/airflow:3.1.3');
        expect(a.spec.containers[0].image).toBe('apache/airflow:2.11.0');
        expect(
          b.metadata.annotations[ASTRO_ANNOTATIONS.configChecksum],
        ).not.toBe(a.metadata.annotations[ASTRO_ANNOTATIONS.configChecksum]);
      }
      expect(
        hashes(after).get('v1/Secret/astro-acme-data-eng-prod/airflow-keys'),
      ).toBe(
        hashes(before).get('v1/Secret/astro-acme-data-eng-prod/airflow-keys'),
      );
      expect(find(after, 'Secret', 'airflow-keys').data).toEqual(
        find(before, 'Secret', 'airflow-keys').data,
      );
    });

    it('a patch upgrade (same major) also makes a new migration Job', () => {
      const input = fixtureInput();
      const patched = withInput(input, i => {
        i.runtime = { airflowVersion: '3.1.4', image: 'apache/airflow:3.1.4' };
      });
      expect(all(renderDeployment(patched), 'Job')[0].metadata.name).not.toBe(
        all(renderDeployment(input), 'Job')[0].metadata.name,
      );
    });

    it('a changed variable rolls the Airflow pods but does not re-run the migration', () => {
      const before = fixtureInput({ queues: 3 });
      const after = withInput(before, input => {
        input.settings.environmentVariables[2].value = 'rotated-secret-value';
      });
      const changed = changedKeys(
        renderDeployment(before),
        renderDeployment(after),
      );
      expect(changed).toEqual(
        [
          'v1/Secret/astro-acme-data-eng-prod/airflow-env',
          ...['scheduler', 'api-server', 'triggerer', 'dag-processor'].map(
            n => `apps/v1/Deployment/astro-acme-data-eng-prod/${n}`,
          ),
          ...['default', 'etl', 'ml-heavy'].map(
            q => `apps/v1/Deployment/astro-acme-data-eng-prod/worker-${q}`,
          ),
        ].sort(),
      );
    });

    it('a changed database password rolls pgbouncer and the Airflow pods', () => {
      const before = fixtureInput();
      const after = withInput(before, input => {
        input.database.password = 'another-password';
      });
      const changed = changedKeys(
        renderDeployment(before),
        renderDeployment(after),
      );
      expect(changed).toContain(
        'apps/v1/Deployment/astro-acme-data-eng-prod/pgbouncer',
      );
      expect(changed).toContain(
        'apps/v1/Deployment/astro-acme-data-eng-prod/scheduler',
      );
      expect(changed.filter(k => k.includes('/Job/'))).toEqual([]);
    });
  });

  describe('objects', () => {
    it('orders objects by phase, the Namespace first', () => {
      const result = renderDeployment(fixtureInput({ queues: 3 }));
      const order = result.objects.map(o => RENDER_PHASES.indexOf(o.phase));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(result.objects[0].object.kind).toBe('Namespace');
      expect(new Set(result.objects.map(o => o.phase))).toEqual(
        new Set(RENDER_PHASES),
      );
    });

    it('renders each object once', () => {
      for (const { input } of renderMatrix()) {
        const keys = renderDeployment(input).objects.map(o =>
          renderedObjectKey(o.object),
        );
        expect(new Set(keys).size).toBe(keys.length);
      }
    });

    it.each(renderMatrix().map(c => [c.name, c.input] as const))(
      '%s: labels every object and pod template so the engine finds what it owns',
      (_name, input) => {
        const result = renderDeployment(input);
        const selector = Object.fromEntries(
          ownedSelector(input.deployment.id)
            .split(',')
            .map(term => term.split('=')),
        );
        const expected = {
          ...selector,
          [ASTRO_LABELS.partOf]: 'airflow',
          [ASTRO_LABELS.organization]: 'acme',
          [ASTRO_LABELS.workspace]: 'data-eng',
          [ASTRO_LABELS.deployment]: 'prod',
          [ASTRO_LABELS.kubernetesId]: input.deployment.namespace,
        };
        const problems = result.objects.flatMap(({ object }) => {
          const key = renderedObjectKey(object);
          const metas: Any[] = [
            object.metadata,
            ...podTemplates(object).map(t => t.metadata),
          ];
          return [
            ...metas
              .filter(meta =>
                Object.entries(expected).some(
                  ([k, v]) => meta.labels?.[k] !== v,
                ),
              )
              .map(() => `${key} lacks an owned label`),
            ...(object.kind !== 'Namespace' &&
            object.metadata.namespace !== input.deployment.namespace
              ? [`${key} is outside the namespace`]
              : []),
            ...(object.metadata.annotations?.[ASTRO_ANNOTATIONS.generation] !==
            String(input.deployment.generation)
              ? [`${key} lacks the generation annotation`]
              : []),
          ];
        });
        expect(problems).toEqual([]);
      },
    );

    it('names in-namespace objects without the Deployment name', () => {
      const result = renderDeployment(fixtureInput({ queues: 3 }));
      const named = result.objects
        .filter(({ object }) => object.kind !== 'Namespace')
        .map(({ object }) => object.metadata.name)
        .filter(name => name.includes('prod'));
      expect(named).toEqual([]);
    });

    it('puts a config checksum on every long-running pod template but not on the Job', () => {
      const result = renderDeployment(
        fixtureInput({ database: 'in-namespace' }),
      );
      const checksums = result.objects.flatMap(({ object }) =>
        podTemplates(object).map(template => ({
          kind: object.kind,
          name: object.metadata.name,
          checksum:
            template.metadata.annotations?.[ASTRO_ANNOTATIONS.configChecksum],
        })),
      );
      expect(checksums.filter(c => c.kind === 'Job')).toEqual([
        expect.objectContaining({ checksum: undefined }),
      ]);
      const longRunning = checksums.filter(c => c.kind !== 'Job');
      expect(longRunning.length).toBeGreaterThan(5);
      expect(
        longRunning.filter(c => !/^[0-9a-f]{64}$/.test(c.checksum ?? '')),
      ).toEqual([]);
    });

    it('makes every Airflow component wait for the migrations, except the migration Job', () => {
      const result = renderDeployment(fixtureInput({ queues: 3 }));
      const airflowWorkloads = result.objects
        .map(o => o.object as Any)
        .filter(o => ['Deployment', 'Job'].includes(o.kind))
        .filter(o =>
          o.spec.template.spec.containers[0].image.startsWith(
            'apache/airflow:3',
          ),
        );
      expect(
        airflowWorkloads
          .map(o => (o.kind === 'Job' ? 'the migration Job' : o.metadata.name))
          .sort(),
      ).toEqual([
        'api-server',
        'dag-processor',
        'scheduler',
        'the migration Job',
        'triggerer',
        'worker-default',
        'worker-etl',
        'worker-ml-heavy',
      ]);
      const job = airflowWorkloads.find(o => o.kind === 'Job');
      expect(job.spec.template.spec.containers[0].args).toEqual([
        'airflow',
        'db',
        'migrate',
      ]);
      expect(job.spec.template.spec.initContainers).toBeUndefined();
      const waits = airflowWorkloads
        .filter(o => o.kind !== 'Job')
        .map(o =>
          o.spec.template.spec.initContainers.map((c: Any) => c.args.join(' ')),
        );
      expect(waits).toEqual(
        Array(7).fill([
          expect.stringMatching(
            /^airflow db check-migrations --migration-wait-timeout=\d+$/,
          ),
        ]),
      );
    });

    it('probes the way the official chart does', () => {
      const v3 = renderDeployment(fixtureInput());
      const scheduler = find(v3, 'Deployment', 'scheduler').spec.template.spec
        .containers[0];
      expect(scheduler.livenessProbe.exec.command.join(' ')).toContain(
        'airflow jobs check --job-type SchedulerJob --local',
      );
      const api = find(v3, 'Deployment', 'api-server').spec.template.spec
        .containers[0];
      expect(api.args).toEqual(['airflow', 'api-server']);
      expect(api.livenessProbe.httpGet.path).toBe('/api/v2/monitor/health');
      expect(api.readinessProbe.httpGet.path).toBe('/api/v2/monitor/health');
      expect(find(v3, 'Service', 'api-server').spec.ports[0].port).toBe(8080);

      const v2 = renderDeployment(fixtureInput({ airflowVersion: '2.11.0' }));
      expect(
        v2.objects.some(o => o.object.metadata.name === 'api-server'),
      ).toBe(false);
      const web = find(v2, 'Deployment', 'webserver').spec.template.spec
        .containers[0];
      expect(web.args).toEqual(['airflow', 'webserver']);
      expect(web.livenessProbe.httpGet.path).toBe('/health');
      expect(find(v2, 'ConfigMap', 'airflow-config').data).toEqual(
        expect.objectContaining({
          AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR: 'True',
        }),
      );
    });

    it('sizes the scheduler and the workers from the settings', () => {
      const input = withInput(fixtureInput({ queues: 3 }), i => {
        i.settings.schedulerSize = 'LARGE';
      });
      const result = renderDeployment(input);
      expect(
        find(result, 'Deployment', 'scheduler').spec.template.spec.containers[0]
          .resources,
      ).toEqual({
        requests: { cpu: '4', memory: '8Gi' },
        limits: { cpu: '4', memory: '8Gi' },
      });
      expect(
        find(result, 'Deployment', 'worker-etl').spec.template.spec
          .containers[0].resources.limits,
      ).toEqual({ cpu: '2', memory: '4Gi' });
      expect(
        find(result, 'ResourceQuota', 'compute').spec.hard['limits.cpu'],
      ).toBe('40');
    });
  });

  describe('network policies', () => {
    it('denies ingress by default and allows components, the API server and KEDA', () => {
      const result = renderDeployment(fixtureInput());
      const policies = all(result, 'NetworkPolicy');
      expect(policies.map(p => p.metadata.name)).toEqual([
        'default-deny-ingress',
        'allow-same-namespace',
        'allow-api-server-ingress',
        'allow-keda-to-database',
      ]);
      expect(policies[0].spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
      });
      expect(policies[2].spec.podSelector.matchLabels).toEqual({
        [ASTRO_LABELS.component]: 'api-server',
      });
      expect(
        policies[3].spec.ingress[0].from[0].namespaceSelector.matchLabels,
      ).toEqual({
        'kubernetes.io/metadata.name': 'keda',
      });
    });

    it('has no KEDA policy without KEDA and follows a custom KEDA namespace', () => {
      const names = (r: RenderResult) =>
        all(r, 'NetworkPolicy').map(p => p.metadata.name);
      expect(
        names(renderDeployment(fixtureInput({ keda: false }))),
      ).not.toContain('allow-keda-to-database');
      const custom = renderDeployment({
        ...fixtureInput(),
        kedaNamespace: 'autoscaling',
      });
      expect(
        find(custom, 'NetworkPolicy', 'allow-keda-to-database').spec.ingress[0]
          .from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      ).toBe('autoscaling');
    });
  });

  describe('high availability', () => {
    it('runs two schedulers with a PodDisruptionBudget when highly available', () => {
      const ha = renderDeployment(fixtureInput({ highAvailability: true }));
      expect(find(ha, 'Deployment', 'scheduler').spec.replicas).toBe(2);
      expect(find(ha, 'PodDisruptionBudget', 'scheduler').spec).toEqual({
        maxUnavailable: 1,
        selector: {
          matchLabels: find(ha, 'Deployment', 'scheduler').spec.selector
            .matchLabels,
        },
      });
      expect(
        find(ha, 'Deployment', 'scheduler').spec.template.spec.affinity
          .podAntiAffinity,
      ).toBeDefined();
    });

    it('runs one scheduler and no PodDisruptionBudget otherwise', () => {
      const single = renderDeployment(
        fixtureInput({ highAvailability: false }),
      );
      expect(find(single, 'Deployment', 'scheduler').spec.replicas).toBe(1);
      expect(all(single, 'PodDisruptionBudget')).toEqual([]);
    });
  });

  describe('workers and autoscaling', () => {
    it('renders one worker per queue that drains for the grace period', () => {
      const input = withInput(fixtureInput({ queues: 3 }), i => {
        i.settings.workerGracePeriodSeconds = 3600;
      });
      const result = renderDeployment(input);
      const workers = all(result, 'Deployment').filter(d =>
        d.metadata.name.startsWith('worker-'),
      );
      expect(workers.map(w => w.metadata.labels[ASTRO_LABELS.queue])).toEqual([
        'default',
        'etl',
        'ml-heavy',
      ]);
      for (const worker of workers) {
        const queue = worker.metadata.labels[ASTRO_LABELS.queue];
        expect(worker.spec).not.toHaveProperty('replicas');
        const pod = worker.spec.template.spec;
        expect(pod.terminationGracePeriodSeconds).toBe(3600);
        const container = pod.containers[0];
        expect(container.args.slice(0, 5)).toEqual([
          'airflow',
          'celery',
          'worker',
          '-q',
          queue,
        ]);
        expect(container.lifecycle.preStop.exec.command.join(' ')).toContain(
          'kill -TERM 1',
        );
        expect(container.env).toContainEqual({
          name: 'DUMB_INIT_SETSID',
          value: '0',
        });
        expect(worker.spec.template.metadata.labels[ASTRO_LABELS.queue]).toBe(
          queue,
        );
      }
    });

    it('scales each queue with a KEDA ScaledObject on its queued and running tasks', () => {
      const result = renderDeployment(fixtureInput({ queues: 3 }));
      expect(
        result.conditions.filter(c =>
          ['WorkersAutoscaling', 'QuotaTooSmall'].includes(c.type),
        ),
      ).toEqual([
        expect.objectContaining({ type: 'WorkersAutoscaling', status: 'True' }),
        expect.objectContaining({ type: 'QuotaTooSmall', status: 'True' }),
      ]);
      const etl = find(result, 'ScaledObject', 'worker-etl');
      expect(etl.metadata.labels[ASTRO_LABELS.queue]).toBe('etl');
      expect(
        etl.metadata.annotations[ASTRO_ANNOTATIONS.workerConcurrency],
      ).toBe('10');
      expect(etl.spec).toEqual(
        expect.objectContaining({
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'worker-etl',
          },
          minReplicaCount: 1,
          maxReplicaCount: 5,
        }),
      );
      const [trigger] = etl.spec.triggers;
      expect(trigger.type).toBe('postgresql');
      expect(trigger.metadata.query).toBe(
        "SELECT ceil(COUNT(*)::decimal / 10) FROM task_instance WHERE (state='running' OR state='queued') AND queue = 'etl'",
      );
      expect(trigger.authenticationRef.name).toBe('metadata-database');
      expect(
        find(result, 'TriggerAuthentication', 'metadata-database').spec,
      ).toEqual({
        secretTargetRef: [
          {
            parameter: 'connection',
            name: 'airflow-metadata',
            key: 'connection',
          },
        ],
      });
      expect(
        find(result, 'ScaledObject', 'worker-default').spec.minReplicaCount,
      ).toBe(0);
    });

    it('falls back to HPAs that never scale to zero, with a warning condition, without KEDA', () => {
      const result = renderDeployment(fixtureInput({ keda: false, queues: 3 }));
      expect(all(result, 'ScaledObject')).toEqual([]);
      expect(all(result, 'TriggerAuthentication')).toEqual([]);
      const hpas = all(result, 'HorizontalPodAutoscaler');
      expect(
        hpas.map(h => [
          h.metadata.name,
          h.spec.minReplicas,
          h.spec.maxReplicas,
        ]),
      ).toEqual([
        ['worker-default', 1, 10],
        ['worker-etl', 1, 5],
        ['worker-ml-heavy', 1, 3],
      ]);
      expect(
        hpas[1].metadata.annotations[ASTRO_ANNOTATIONS.workerConcurrency],
      ).toBe('10');
      expect(hpas[1].metadata.labels[ASTRO_LABELS.queue]).toBe('etl');
      expect(
        result.conditions.filter(c =>
          ['WorkersAutoscaling', 'QuotaTooSmall'].includes(c.type),
        ),
      ).toEqual([
        {
          type: 'WorkersAutoscaling',
          status: 'False',
          reason: 'KedaMissing',
          message: expect.stringContaining('KEDA'),
        },
        expect.objectContaining({ type: 'QuotaTooSmall' }),
      ]);
    });
  });

  describe('Kubernetes executor', () => {
    it('lets the scheduler launch task pods from a pod template, with no broker or workers', () => {
      const result = renderDeployment(fixtureInput({ executor: 'KUBERNETES' }));
      const kinds = result.objects.map(
        o => `${o.object.kind}/${o.object.metadata.name}`,
      );
      expect(kinds).toEqual(
        expect.arrayContaining([
          'Role/pod-launcher',
          'RoleBinding/pod-launcher',
          'ServiceAccount/airflow-worker',
          'ConfigMap/airflow-pod-template',
        ]),
      );
      expect(
        kinds.filter(k =>
          /redis|broker|worker-|ScaledObject|Horizontal/.test(k),
        ),
      ).toEqual([]);
      expect(
        result.conditions.filter(c => c.type === 'WorkersAutoscaling'),
      ).toEqual([]);
      expect(result.conditions).toContainEqual(
        expect.objectContaining({ type: 'QuotaTooSmall', status: 'False' }),
      );
      const scheduler = find(result, 'Deployment', 'scheduler').spec.template
        .spec;
      expect(scheduler.containers[0].volumeMounts[0].mountPath).toBe(
        find(result, 'ConfigMap', 'airflow-config').data
          .AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE,
      );
      expect(scheduler.serviceAccountName).toBe('airflow-scheduler');
      expect(
        find(result, 'ServiceAccount', 'airflow-scheduler')
          .automountServiceAccountToken,
      ).toBe(true);
      expect(find(result, 'RoleBinding', 'pod-launcher').subjects).toEqual([
        {
          kind: 'ServiceAccount',
          name: 'airflow-scheduler',
          namespace: 'astro-acme-data-eng-prod',
        },
      ]);
    });

    it('does not depend on KEDA', () => {
      const withKeda = renderDeployment(
        fixtureInput({ executor: 'KUBERNETES', keda: true }),
      );
      const without = renderDeployment(
        fixtureInput({ executor: 'KUBERNETES', keda: false }),
      );
      expect(without.hash).toBe(withKeda.hash);
    });
  });

  describe('metadata database', () => {
    it('renders a PostgreSQL StatefulSet in the namespace for development clusters', () => {
      const result = renderDeployment(
        fixtureInput({ database: 'in-namespace' }),
      );
      const postgres = find(result, 'StatefulSet', 'postgresql');
      expect(result.objects.find(o => o.object === postgres)?.phase).toBe(
        'database',
      );
      expect(
        postgres.spec.volumeClaimTemplates[0].spec.resources.requests.storage,
      ).toBeDefined();
      expect(find(result, 'Service', 'postgresql').spec.clusterIP).toBe('None');
      const ini = Buffer.from(
        find(result, 'Secret', 'pgbouncer-config').data['pgbouncer.ini'],
        'base64',
      ).toString();
      expect(ini).toContain(
        'host=postgresql.astro-acme-data-eng-prod.svc port=5432 dbname=airflow',
      );
    });

    it('points pgbouncer at an external server otherwise', () => {
      const result = renderDeployment(fixtureInput());
      expect(
        all(result, 'StatefulSet').map((o: Any) => o.metadata.name),
      ).toEqual(['redis']);
      const ini = Buffer.from(
        find(result, 'Secret', 'pgbouncer-config').data['pgbouncer.ini'],
        'base64',
      ).toString();
      expect(ini).toContain('host=metadata-db.platform.example.com port=5432');
      expect(ini).toContain('server_tls_sslmode = require');
      const connection = Buffer.from(
        find(result, 'Secret', 'airflow-metadata').data.connection,
        'base64',
      ).toString();
      expect(connection).toBe(
        `postgresql://airflow_prod_d7c1a0e25b8f:${FIXTURE_SECRETS.databasePassword}@pgbouncer.astro-acme-data-eng-prod.svc:6543/airflow-metadata?sslmode=disable`,
      );
    });
  });

  describe('invalid input', () => {
    const cases: Array<[string, (input: RenderInput) => void, RegExp]> = [
      [
        'a secret variable without its value',
        i => {
          i.settings.environmentVariables[2].value = undefined;
        },
        /SNOWFLAKE_PASSWORD has no value/,
      ],
      [
        'an invalid namespace',
        i => {
          i.deployment.namespace = 'Not_A_Label';
        },
        /namespace/,
      ],
      [
        'an Airflow older than 2.7',
        i => {
          i.runtime.airflowVersion = '2.6.3';
        },
        /not supported/,
      ],
      [
        'an unknown worker machine',
        i => {
          i.settings.workerQueues[0].workerSize = 'A999';
        },
        /A999/,
      ],
      [
        'a database host that would break pgbouncer.ini',
        i => {
          if (i.database.mode === 'external') {
            i.database.host = 'db host';
          }
        },
        /database host/,
      ],
      [
        'a missing credential',
        i => {
          i.credentials.jwtSecret = '';
        },
        /jwtSecret/,
      ],
    ];
    it.each(cases)(
      'rejects %s with an InputError',
      (_what, change, message) => {
        const render = () =>
          renderDeployment(withInput(fixtureInput(), change));
        expect(render).toThrow(InputError);
        expect(render).toThrow(message);
      },
    );

    it('does not echo secret values in its errors', () => {
      const input = withInput(fixtureInput(), i => {
        i.runtime.airflowVersion = 'not-a-version';
      });
      let message = '';
      try {
        renderDeployment(input);
      } catch (error) {
        message = String(error);
      }
      expect(message).toContain('not a version number');
      expect(
        Object.values(FIXTURE_SECRETS).filter(value => message.includes(value)),
      ).toEqual([]);
    });
  });

  it('renders the expected number of objects per case', () => {
    const counts = Object.fromEntries(
      renderMatrix().map(c => [
        c.name,
        renderDeployment(c.input).objects.length,
      ]),
    );
    // One worker Deployment and one autoscaler per queue; HA adds PDBs;
    // six service accounts (scheduler, UI, triggerer, DAG processor,
    // workers, migration) and the portal sign-in ConfigMap.
    expect(counts['celery-airflow3-single-keda-1q']).toBe(34);
    expect(counts['celery-airflow3-single-keda-3q']).toBe(38);
    expect(counts['celery-airflow3-ha-nokeda-3q']).toBe(
      counts['celery-airflow3-single-keda-3q'] -
        1 /* KEDA policy */ -
        1 /* TriggerAuth */ +
        4 /* PDBs */,
    );
  });
});
