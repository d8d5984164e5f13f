import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { ASTRO_ANNOTATIONS } from '@airflow-portal/plugin-astro-common';
import { renderDeployment } from './renderDeployment';
import { canonicalJson, renderedObjectKey } from './hash';
import type { RenderInput, RenderResult } from './types';
import {
  FIXTURE_DAG_SYNC_URL,
  FIXTURE_SECRETS,
  FixtureOptions,
  fixtureInput,
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

function maybeFind(result: RenderResult, kind: string, name: string): Any {
  return result.objects.find(
    o => o.object.kind === kind && o.object.metadata.name === name,
  )?.object;
}

/** Every pod spec: workloads' templates and the Kubernetes executor's task pod. */
function podSpecs(result: RenderResult): Array<[string, Any]> {
  return result.objects.flatMap(({ object }): Array<[string, Any]> => {
    const o = object as Any;
    if (o.spec?.template?.spec) {
      return [[`${o.kind}/${o.metadata.name}`, o.spec.template.spec]];
    }
    const template =
      o.kind === 'ConfigMap' && o.data?.['pod_template_file.yaml'];
    return template ? [['task pod', parse(template).spec]] : [];
  });
}

function taskPod(result: RenderResult): Any {
  return parse(
    find(result, 'ConfigMap', 'airflow-pod-template').data[
      'pod_template_file.yaml'
    ],
  ).spec;
}

function withInput(
  input: RenderInput,
  change: (input: RenderInput) => void,
): RenderInput {
  const copy = structuredClone(input);
  change(copy);
  return copy;
}

function decode(secret: Any, key: string): string {
  return Buffer.from(secret.data[key], 'base64').toString('utf8');
}

const names = (containers: Any[] | undefined) =>
  (containers ?? []).map(c => c.name);

const envOf = (container: Any) =>
  Object.fromEntries(
    container.env.map((e: Any) => [e.name, e.value ?? e.valueFrom]),
  );

/** The components that parse or run DAGs, by Deployment name. */
const DAG_COMPONENTS = [
  'scheduler',
  'dag-processor',
  'triggerer',
  'worker-default',
];

describe('DAG sources', () => {
  describe('DAG sync', () => {
    it.each([
      ['no endpoint', { dagSync: false, noToken: false }],
      ['no bundle token', { dagSync: true, noToken: true }],
    ])(
      'renders exactly as before without the DAG sync (%s)',
      (_what, { dagSync, noToken }) => {
        for (const options of [
          {},
          { executor: 'KUBERNETES' },
          { airflowVersion: '2.11.0' },
        ] as FixtureOptions[]) {
          const plain = renderDeployment(fixtureInput(options));
          const input = withInput(fixtureInput({ ...options, dagSync }), i => {
            if (noToken) {
              delete i.credentials.bundleToken;
            }
          });
          expect(renderDeployment(input).hash).toBe(plain.hash);
        }
      },
    );

    it('renders the bundle token Secret and the script ConfigMap under their contract names', () => {
      const result = renderDeployment(fixtureInput({ dagSync: true }));
      const secret = find(result, 'Secret', 'astro-dag-sync');
      expect(Object.keys(secret.data)).toEqual(['token']);
      expect(decode(secret, 'token')).toBe(FIXTURE_SECRETS.bundleToken);
      const script = find(result, 'ConfigMap', 'astro-dag-sync');
      expect(Object.keys(script.data)).toEqual(['dag_sync.py']);
      expect(script.data['dag_sync.py']).toBe(
        readFileSync(join(__dirname, '../../assets/dag_sync.py'), 'utf8'),
      );
      expect(
        result.objects.find(o => o.object.metadata.name === 'astro-dag-sync')
          ?.phase,
      ).toBe('configuration');
    });

    it.each(['3.1.3', '2.11.0'] as const)(
      'Airflow %s: gives each component that parses or runs DAGs dag-sync-init and the dag-sync sidecar on a shared dags volume',
      airflowVersion => {
        const result = renderDeployment(
          fixtureInput({ airflowVersion, dagSync: true, queues: 3 }),
        );
        for (const name of [
          ...DAG_COMPONENTS,
          'worker-etl',
          'worker-ml-heavy',
        ]) {
          const spec = find(result, 'Deployment', name).spec.template.spec;
          expect(names(spec.initContainers)).toEqual([
            'wait-for-airflow-migrations',
            'dag-sync-init',
          ]);
          expect(names(spec.containers).slice(1)).toEqual(['dag-sync']);
          expect(spec.volumes).toEqual(
            expect.arrayContaining([
              { name: 'dags', emptyDir: {} },
              {
                name: 'dag-sync-script',
                configMap: { name: 'astro-dag-sync' },
              },
            ]),
          );
          expect(spec.containers[0].volumeMounts).toContainEqual({
            name: 'dags',
            mountPath: '/opt/airflow/dags',
            readOnly: true,
          });
          const init = spec.initContainers[1];
          const sidecar = spec.containers[1];
          for (const container of [init, sidecar]) {
            expect(container.image).toBe(`apache/airflow:${airflowVersion}`);
            expect(container.volumeMounts).toEqual([
              { name: 'dags', mountPath: '/opt/airflow/dags' },
              {
                name: 'dag-sync-script',
                mountPath: '/opt/astro',
                readOnly: true,
              },
            ]);
            expect(envOf(container)).toEqual({
              ASTRO_BUNDLE_URL: FIXTURE_DAG_SYNC_URL,
              ASTRO_BUNDLE_TOKEN: {
                secretKeyRef: { name: 'astro-dag-sync', key: 'token' },
              },
              ASTRO_POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
              ASTRO_DAGS_DIR: '/opt/airflow/dags',
              ASTRO_SYNC_INTERVAL_SECONDS: '30',
            });
          }
          expect(init.command).toEqual([
            'python',
            '/opt/astro/dag_sync.py',
            '--once',
          ]);
          expect(sidecar.command).toEqual(['python', '/opt/astro/dag_sync.py']);
          expect(sidecar.livenessProbe.exec.command.join(' ')).toContain(
            '/tmp/dag-sync.alive',
          );
        }
        // The UI serves serialized DAGs: no DAG sync there.
        const ui = airflowVersion.startsWith('3') ? 'api-server' : 'webserver';
        const uiSpec = find(result, 'Deployment', ui).spec.template.spec;
        expect(names(uiSpec.initContainers)).toEqual([
          'wait-for-airflow-migrations',
        ]);
        expect(names(uiSpec.containers)).toEqual([ui]);
        // The UI parses no DAGs: its only volume is the sign-in code.
        expect(uiSpec.volumes?.map((v: { name: string }) => v.name)).toEqual([
          'portal-auth',
        ]);
      },
    );

    it('runs the sync containers as the Airflow user, unprivileged, with small fixed resources', () => {
      const result = renderDeployment(fixtureInput({ dagSync: true }));
      const spec = find(result, 'Deployment', 'scheduler').spec.template.spec;
      expect(spec.securityContext).toEqual({
        runAsUser: 50000,
        runAsGroup: 0,
        fsGroup: 0,
      });
      for (const container of [spec.initContainers[1], spec.containers[1]]) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources).toEqual({
          requests: { cpu: '100m', memory: '256Mi' },
          limits: { cpu: '100m', memory: '256Mi' },
        });
      }
    });

    it('points Airflow 2 at the current folder and Airflow 3 at a LocalDagBundle on it', () => {
      const v2 = find(
        renderDeployment(
          fixtureInput({ airflowVersion: '2.11.0', dagSync: true }),
        ),
        'ConfigMap',
        'airflow-config',
      ).data;
      expect(v2).toEqual(
        expect.objectContaining({
          AIRFLOW__CORE__DAGS_FOLDER: '/opt/airflow/dags/current',
          AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL: '30',
        }),
      );
      expect(v2.AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST).toBeUndefined();

      const v3 = find(
        renderDeployment(fixtureInput({ dagSync: true })),
        'ConfigMap',
        'airflow-config',
      ).data;
      expect(v3.AIRFLOW__CORE__DAGS_FOLDER).toBe('/opt/airflow/dags/current');
      expect(
        JSON.parse(v3.AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST),
      ).toEqual([
        {
          name: 'dags-folder',
          classpath: 'airflow.dag_processing.bundles.local.LocalDagBundle',
          kwargs: { path: '/opt/airflow/dags/current', refresh_interval: 30 },
        },
      ]);
    });

    it.each(['3.1.3', '2.11.0'] as const)(
      'Airflow %s: gives Kubernetes executor task pods the init container only',
      airflowVersion => {
        const result = renderDeployment(
          fixtureInput({
            executor: 'KUBERNETES',
            airflowVersion,
            dagSync: true,
          }),
        );
        const pod = taskPod(result);
        expect(names(pod.initContainers)).toEqual(['dag-sync-init']);
        expect(names(pod.containers)).toEqual(['base']);
        expect(pod.containers[0].volumeMounts).toEqual([
          { name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true },
          { name: 'logs', mountPath: '/opt/airflow/logs' },
        ]);
        expect(pod.volumes.map((v: Any) => v.name)).toEqual([
          'dags',
          'dag-sync-script',
          'logs',
        ]);
        // The scheduler mounts both the pod template and the DAGs.
        const scheduler = find(result, 'Deployment', 'scheduler').spec.template
          .spec;
        expect(
          scheduler.containers[0].volumeMounts.map((m: Any) => m.name),
        ).toEqual(['pod-template', 'dags', 'logs']);
        expect(scheduler.volumes.map((v: Any) => v.name)).toEqual([
          'pod-template',
          'dags',
          'dag-sync-script',
          'logs',
        ]);
      },
    );

    it.each([
      ['Celery', { dagSync: true, queues: 3 }],
      ['Kubernetes executor', { dagSync: true, executor: 'KUBERNETES' }],
      ['Airflow 2', { dagSync: true, airflowVersion: '2.11.0' }],
    ] as Array<[string, FixtureOptions]>)(
      '%s: a DAG deploy (another bundle served, a new generation) changes no pod template, checksum or object',
      (_what, options) => {
        const before = fixtureInput(options);
        // What a DAG deploy changes: the backend serves another bundle and
        // the Deployment records it; the engine may bump the generation.
        // None of it is an input the pod templates read.
        const after = {
          ...withInput(before, i => {
            i.deployment.generation += 1;
          }),
          dagBundleVersion: `sha256:${'b'.repeat(64)}`,
        } as RenderInput;
        const a = renderDeployment(before);
        const b = renderDeployment(after);
        const templates = (result: RenderResult) =>
          podSpecs(result).map(([where]) => where);
        expect(templates(b)).toEqual(templates(a));
        const shape = (result: RenderResult) =>
          result.objects.map(({ object }) => [
            renderedObjectKey(object),
            canonicalJson((object as Any).spec?.template ?? null),
          ]);
        expect(shape(b)).toEqual(shape(a));
        expect(b.objects.map(o => o.hash)).toEqual(a.objects.map(o => o.hash));
        // Nothing rendered names a bundle version at all.
        expect(JSON.stringify(b.objects)).not.toMatch(/sha256:[0-9a-f]{64}/);
      },
    );

    it('rolls the pods that run the sync, and only those, when the token or the script changes', () => {
      const before = renderDeployment(fixtureInput({ dagSync: true }));
      const after = renderDeployment(
        withInput(fixtureInput({ dagSync: true }), i => {
          i.credentials.bundleToken = 'another-bundle-token';
        }),
      );
      const checksum = (result: RenderResult, name: string) =>
        find(result, 'Deployment', name).spec.template.metadata.annotations[
          ASTRO_ANNOTATIONS.configChecksum
        ];
      for (const name of DAG_COMPONENTS) {
        expect(checksum(after, name)).not.toBe(checksum(before, name));
      }
      expect(checksum(after, 'api-server')).toBe(
        checksum(before, 'api-server'),
      );
    });

    it.each([
      [
        'a URL with credentials',
        (i: RenderInput) => {
          i.dagSync!.url =
            'https://user:pass@portal.example.com/api/astro/bundles/x';
        },
        /DAG sync URL/,
      ],
      [
        'a URL that is not http(s)',
        (i: RenderInput) => {
          i.dagSync!.url = 'ftp://portal.example.com/bundles';
        },
        /DAG sync URL/,
      ],
      [
        'an interval of zero',
        (i: RenderInput) => {
          i.dagSync!.syncIntervalSeconds = 0;
        },
        /interval/,
      ],
      [
        'an empty bundle token',
        (i: RenderInput) => {
          i.credentials.bundleToken = '';
        },
        /bundleToken/,
      ],
    ])('rejects %s with an InputError', (_what, change, message) => {
      const render = () =>
        renderDeployment(withInput(fixtureInput({ dagSync: true }), change));
      expect(render).toThrow(InputError);
      expect(render).toThrow(message);
    });
  });

  describe('Git DAG bundles', () => {
    it('takes the DAGs from Git instead of the DAG sync when both are given', () => {
      for (const airflowVersion of ['3.1.3', '2.11.0'] as const) {
        const result = renderDeployment(
          fixtureInput({ airflowVersion, git: 'https', dagSync: true }),
        );
        expect(maybeFind(result, 'Secret', 'astro-dag-sync')).toBeUndefined();
        expect(
          maybeFind(result, 'ConfigMap', 'astro-dag-sync'),
        ).toBeUndefined();
        const containers = podSpecs(result).flatMap(([, spec]) => [
          ...names(spec.initContainers),
          ...names(spec.containers),
        ]);
        expect(containers.filter(name => name.startsWith('dag-sync'))).toEqual(
          [],
        );
      }
    });

    it('Airflow 3: configures a GitDagBundle with a connection from the secret variable, and no extra containers', () => {
      const result = renderDeployment(
        fixtureInput({ git: 'https', executor: 'KUBERNETES' }),
      );
      const config = find(result, 'ConfigMap', 'airflow-config').data;
      expect(
        JSON.parse(config.AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST),
      ).toEqual([
        {
          name: 'git-repository',
          classpath: 'airflow.providers.git.bundles.git.GitDagBundle',
          kwargs: {
            repo_url: 'https://github.com/acme/airflow-dags.git',
            tracking_ref: 'main',
            subdir: 'dags',
            git_conn_id: 'astro_git_dags',
            refresh_interval: 60,
          },
        },
      ]);
      expect(config.AIRFLOW__CORE__DAGS_FOLDER).toBeUndefined();
      const env = find(result, 'Secret', 'airflow-env');
      expect(JSON.parse(decode(env, 'AIRFLOW_CONN_ASTRO_GIT_DAGS'))).toEqual({
        conn_type: 'git',
        host: 'https://github.com/acme/airflow-dags.git',
        login: 'git',
        password: FIXTURE_SECRETS.gitToken,
      });
      // Every Airflow container reads that Secret already, task pods included.
      const airflowPods = podSpecs(result).filter(
        ([, spec]) => spec.containers[0].image === 'apache/airflow:3.1.3',
      );
      expect(airflowPods.map(([where]) => where)).toContain('task pod');
      expect(
        airflowPods
          .filter(
            ([, spec]) =>
              !spec.containers[0].envFrom.some(
                (source: Any) => source.secretRef?.name === 'airflow-env',
              ),
          )
          .map(([where]) => where),
      ).toEqual([]);
      for (const [where, spec] of podSpecs(result)) {
        expect([where, names(spec.containers).length]).toEqual([where, 1]);
        expect(spec.volumes?.some((v: Any) => v.name === 'dags')).toBeFalsy();
      }
    });

    it('Airflow 3: puts an SSH key into the connection extra, and nothing for a public repository', () => {
      const ssh = renderDeployment(fixtureInput({ git: 'ssh' }));
      expect(
        JSON.parse(
          decode(
            find(ssh, 'Secret', 'airflow-env'),
            'AIRFLOW_CONN_ASTRO_GIT_DAGS',
          ),
        ),
      ).toEqual({
        conn_type: 'git',
        host: 'git@github.com:acme/airflow-dags.git',
        extra: { private_key: FIXTURE_SECRETS.gitPrivateKey },
      });

      const withoutNewline = renderDeployment(
        withInput(fixtureInput({ git: 'ssh' }), i => {
          const key = i.settings.environmentVariables.find(
            v => v.key === 'GIT_SSH_KEY',
          )!;
          key.value = key.value!.trimEnd();
        }),
      );
      expect(
        JSON.parse(
          decode(
            find(withoutNewline, 'Secret', 'airflow-env'),
            'AIRFLOW_CONN_ASTRO_GIT_DAGS',
          ),
        ).extra.private_key,
      ).toBe(FIXTURE_SECRETS.gitPrivateKey);

      const open = renderDeployment(fixtureInput({ git: 'public' }));
      expect(
        JSON.parse(
          decode(
            find(open, 'Secret', 'airflow-env'),
            'AIRFLOW_CONN_ASTRO_GIT_DAGS',
          ),
        ),
      ).toEqual({
        conn_type: 'git',
        host: 'https://github.com/acme/airflow-dags.git',
      });
      expect(
        JSON.parse(
          find(open, 'ConfigMap', 'airflow-config').data
            .AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST,
        )[0].kwargs.subdir,
      ).toBeUndefined();
    });

    it('Airflow 2: runs git-sync as init container and sidecar into the dags volume, with the SSH key from the secret variable', () => {
      const result = renderDeployment(
        fixtureInput({ airflowVersion: '2.11.0', git: 'ssh' }),
      );
      expect(find(result, 'ConfigMap', 'airflow-config').data).toEqual(
        expect.objectContaining({
          AIRFLOW__CORE__DAGS_FOLDER: '/opt/airflow/dags/current/dags',
        }),
      );
      expect(
        find(result, 'Secret', 'airflow-env').data.AIRFLOW_CONN_ASTRO_GIT_DAGS,
      ).toBeUndefined();
      for (const name of DAG_COMPONENTS) {
        const spec = find(result, 'Deployment', name).spec.template.spec;
        expect(names(spec.initContainers)).toEqual([
          'wait-for-airflow-migrations',
          'git-sync-init',
        ]);
        expect(names(spec.containers).slice(1)).toEqual(['git-sync']);
        expect(spec.volumes).toEqual([
          { name: 'dags', emptyDir: {} },
          {
            name: 'git-ssh-key',
            secret: {
              secretName: 'airflow-env',
              items: [{ key: 'GIT_SSH_KEY', path: 'ssh' }],
              defaultMode: 0o440,
            },
          },
          { name: 'logs', emptyDir: { sizeLimit: '10Gi' } },
        ]);
        const [init, sidecar] = [spec.initContainers[1], spec.containers[1]];
        for (const container of [init, sidecar]) {
          expect(container.image).toBe(
            'registry.k8s.io/git-sync/git-sync:v4.4.2',
          );
          expect(container.securityContext.runAsUser).toBe(65533);
          expect(container.securityContext.allowPrivilegeEscalation).toBe(
            false,
          );
          expect(envOf(container)).toEqual(
            expect.objectContaining({
              GITSYNC_REPO: 'git@github.com:acme/airflow-dags.git',
              GITSYNC_REF: 'main',
              GITSYNC_ROOT: '/git',
              GITSYNC_LINK: 'current',
              GITSYNC_SSH_KEY_FILE: '/etc/git-secret/ssh',
              GITSYNC_SSH_KNOWN_HOSTS: 'false',
            }),
          );
          expect(container.volumeMounts).toEqual([
            { name: 'dags', mountPath: '/git' },
            {
              name: 'git-ssh-key',
              mountPath: '/etc/git-secret',
              readOnly: true,
            },
          ]);
        }
        expect(envOf(init).GITSYNC_ONE_TIME).toBe('true');
        expect(envOf(sidecar).GITSYNC_ONE_TIME).toBeUndefined();
      }
    });

    it('Airflow 2: gives task pods git-sync-init with the HTTPS token by reference', () => {
      const result = renderDeployment(
        fixtureInput({
          executor: 'KUBERNETES',
          airflowVersion: '2.11.0',
          git: 'https',
        }),
      );
      const pod = taskPod(result);
      expect(names(pod.initContainers)).toEqual(['git-sync-init']);
      expect(names(pod.containers)).toEqual(['base']);
      const env = envOf(pod.initContainers[0]);
      expect(env.GITSYNC_USERNAME).toBe('git');
      expect(env.GITSYNC_PASSWORD).toEqual({
        secretKeyRef: { name: 'airflow-env', key: 'GIT_TOKEN' },
      });
      expect(env.GITSYNC_ONE_TIME).toBe('true');
      expect(pod.volumes).toEqual([
        { name: 'dags', emptyDir: {} },
        { name: 'logs', emptyDir: { sizeLimit: '10Gi' } },
      ]);
    });

    it('rejects a credentials variable that is not a secret variable with a value', () => {
      const render = () =>
        renderDeployment(
          withInput(fixtureInput({ git: 'https' }), i => {
            i.settings.gitDagBundle!.credentialsVariable = 'ENVIRONMENT';
          }),
        );
      expect(render).toThrow(InputError);
      expect(render).toThrow(/credentialsVariable "ENVIRONMENT"/);
    });
  });

  describe('image pull secrets', () => {
    it('renders each as a dockerconfigjson Secret', () => {
      const input = fixtureInput({ pullSecrets: true });
      const result = renderDeployment(input);
      for (const pullSecret of input.pullSecrets!) {
        const secret = find(result, 'Secret', pullSecret.name);
        expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
        expect(Object.keys(secret.data)).toEqual(['.dockerconfigjson']);
        expect(decode(secret, '.dockerconfigjson')).toBe(
          pullSecret.dockerConfigJson,
        );
      }
    });

    it.each([
      [
        'Celery, in-namespace database, HA',
        { highAvailability: true, database: 'in-namespace' },
      ],
      ['Kubernetes executor', { executor: 'KUBERNETES', dagSync: true }],
      ['Airflow 2 with git-sync', { airflowVersion: '2.11.0', git: 'ssh' }],
    ] as Array<[string, FixtureOptions]>)(
      '%s: references them on every pod',
      (_what, options) => {
        const result = renderDeployment(
          fixtureInput({ ...options, pullSecrets: true }),
        );
        const specs = podSpecs(result);
        expect(specs.length).toBeGreaterThan(5);
        for (const [where, spec] of specs) {
          expect([where, spec.imagePullSecrets]).toEqual([
            where,
            [{ name: 'registry-acme' }, { name: 'registry-mirror' }],
          ]);
        }
        expect(specs.some(([where]) => where === 'task pod')).toBe(
          options.executor === 'KUBERNETES',
        );
      },
    );

    it('references none without pull secrets', () => {
      const result = renderDeployment(
        fixtureInput({ executor: 'KUBERNETES', database: 'in-namespace' }),
      );
      expect(
        podSpecs(result).filter(([, spec]) => spec.imagePullSecrets),
      ).toEqual([]);
    });

    it.each([
      [
        'a name that is not a DNS subdomain',
        { name: 'Registry_Acme' },
        /DNS-1123/,
      ],
      [
        'a platform Secret name',
        { name: 'airflow-keys' },
        /used by the platform/,
      ],
      [
        'the DAG sync Secret name',
        { name: 'astro-dag-sync' },
        /used by the platform/,
      ],
      [
        'a document that is not JSON',
        { dockerConfigJson: `not json ${FIXTURE_SECRETS.registryAuth}` },
        /not a .dockerconfigjson document/,
      ],
    ])(
      'rejects %s with an InputError naming no credential',
      (_what, change, message) => {
        const input = withInput(fixtureInput({ pullSecrets: true }), i => {
          Object.assign(i.pullSecrets![0], change);
        });
        let error: unknown;
        try {
          renderDeployment(input);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InputError);
        expect(String(error)).toMatch(message);
        expect(String(error)).not.toContain(FIXTURE_SECRETS.registryAuth);
      },
    );

    it('rejects the same name twice', () => {
      const input = withInput(fixtureInput({ pullSecrets: true }), i => {
        i.pullSecrets![1].name = i.pullSecrets![0].name;
      });
      expect(() => renderDeployment(input)).toThrow(/given twice/);
    });
  });
});
