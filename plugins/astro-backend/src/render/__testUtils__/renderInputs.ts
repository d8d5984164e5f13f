import {
  DEFAULT_SCHEDULER_SIZES,
  DEFAULT_WORKER_MACHINES,
  DeploymentSettings,
  Executor,
  WorkerQueue,
} from '@airflow-portal/plugin-astro-common';
import type { RemoteLoggingSettings } from '@airflow-portal/plugin-astro-node';
import type { RenderExposure, RenderInput } from '../types';

/** Secret values of the fixtures; each must appear in Secrets only. */
export const FIXTURE_SECRETS = {
  fernetKey: 'ZmVybmV0LWtleS1maXh0dXJlLTAwMDAwMDAwMDAwMDA=',
  jwtSecret: 'fixture-jwt-secret-7f3c9a1e5b2d4c6e8a0b',
  apiSecretKey: 'fixture-api-secret-key-2b4d6f8h0j2l4n6p',
  redisPassword: 'fixture-redis-password-9x8w7v6u5t4s',
  databasePassword: 'fixture-db-password-q1w2e3r4t5y6u7i8',
  snowflakePassword: 'fixture-env-snowflake-password-z9y8x7',
  apiToken: 'fixture-env-api-token-m5n4b3v2c1x0',
  bundleToken: 'fixture-bundle-token-4e5f6a7b8c9d0e1f',
  gitToken: 'fixture-git-token-ghp-a1b2c3d4e5f6',
  gitPrivateKey: [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'Zml4dHVyZS1zc2gta2V5LW5vdC1hLXJlYWwta2V5LTAwMDAwMDAwMDAwMDAw',
    '-----END OPENSSH PRIVATE KEY-----',
    '',
  ].join('\n'),
  /** `auth` of a registry in a `.dockerconfigjson`: base64 of `user:password`. */
  remoteLoggingUri:
    'aws://AKIAFIXTURE0000000000:fixture-aws-secret-key-5d4c3b2a@/?region_name=eu-west-1',
  elasticsearchHost:
    'https://airflow:fixture-es-password-8h7g6f@logs.platform.example.com:9200',
  opensearchPassword: 'fixture-opensearch-password-3k2j1h',
  registryAuth: Buffer.from(
    'robot$acme:fixture-registry-password-k7j6',
  ).toString('base64'),
} as const;

/** Where the fixtures' DAG sync fetches bundles. */
export const FIXTURE_DAG_SYNC_URL =
  'https://portal.example.com/api/astro/bundles/d7c1a0e2-5b8f-4c3a-9e61-2f4b8d0c7a15';

const QUEUES: WorkerQueue[] = [
  {
    name: 'default',
    isDefault: true,
    workerSize: 'A5',
    minWorkers: 0,
    maxWorkers: 10,
    concurrency: 5,
  },
  {
    name: 'etl',
    isDefault: false,
    workerSize: 'A10',
    minWorkers: 1,
    maxWorkers: 5,
    concurrency: 10,
  },
  {
    name: 'ml-heavy',
    isDefault: false,
    workerSize: 'A20',
    minWorkers: 0,
    maxWorkers: 3,
    concurrency: 4,
  },
];

/** Knobs of a fixture input. */
export interface FixtureOptions {
  executor?: Executor;
  highAvailability?: boolean;
  airflowVersion?: '3.2.1' | '3.1.3' | '2.11.0';
  keda?: boolean;
  queues?: 1 | 3;
  database?: 'external' | 'in-namespace';
  generation?: number;
  /** DAG deploys: the DAG sync endpoint and the bundle token. */
  dagSync?: boolean;
  /** DAGs from Git: a public repository, HTTPS with a token, SSH with a key. */
  git?: 'public' | 'https' | 'ssh';
  pullSecrets?: boolean;
  /** How people reach Airflow; `gateway` also makes the cluster serve the Gateway API unless `gateway-api-missing`. */
  exposure?: 'ingress-tls' | 'ingress-http' | 'gateway' | 'gateway-api-missing';
  remoteLogging?: RemoteLoggingSettings['type'];
  /** KEDA in another namespace with other labels. */
  kedaElsewhere?: boolean;
  /** `settings.kubernetesPodOperator`. */
  kubernetesPodOperator?: boolean;
}

/** The fixtures' cluster settings of remote logging, by type. */
export const FIXTURE_REMOTE_LOGGING: Record<
  RemoteLoggingSettings['type'],
  RemoteLoggingSettings
> = {
  s3: {
    type: 's3',
    baseFolder: 's3://acme-airflow-logs/platform',
    connection: { uri: FIXTURE_SECRETS.remoteLoggingUri },
  },
  gcs: {
    type: 'gcs',
    baseFolder: 'gs://acme-airflow-logs',
    connection: { id: 'google_cloud_default' },
  },
  wasb: {
    type: 'wasb',
    baseFolder: 'wasb-airflow',
    wasbContainer: 'task-logs',
  },
  elasticsearch: {
    type: 'elasticsearch',
    host: FIXTURE_SECRETS.elasticsearchHost,
  },
  opensearch: {
    type: 'opensearch',
    host: 'https://opensearch.platform.example.com',
    port: 9200,
    username: 'airflow',
    password: FIXTURE_SECRETS.opensearchPassword,
  },
};

function fixtureExposure(
  exposure: NonNullable<FixtureOptions['exposure']>,
): RenderExposure {
  if (exposure === 'ingress-tls' || exposure === 'ingress-http') {
    return {
      kind: 'ingress',
      className: 'nginx',
      hostTemplate:
        '{deployment}.{workspace}.{organization}.airflow.example.com',
      ...(exposure === 'ingress-tls'
        ? {
            annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
            tls: { secretName: 'airflow-ui-tls' },
          }
        : {}),
    };
  }
  return {
    kind: 'gateway',
    parentRefs: [
      { name: 'platform', namespace: 'gateway-system', sectionName: 'https' },
    ],
    hostTemplate: '{namespace}.airflow.example.com',
  };
}

/** A realistic render input; defaults are Astro's defaults for a new Deployment. */
export function fixtureInput(options: FixtureOptions = {}): RenderInput {
  const executor = options.executor ?? 'CELERY';
  const airflowVersion = options.airflowVersion ?? '3.1.3';
  const keda = options.keda ?? true;
  const gitCredentials = options.git
    ? {
        public: undefined,
        https: { key: 'GIT_TOKEN', value: FIXTURE_SECRETS.gitToken },
        ssh: { key: 'GIT_SSH_KEY', value: FIXTURE_SECRETS.gitPrivateKey },
      }[options.git]
    : undefined;
  const settings: DeploymentSettings = {
    airflowVersion,
    executor,
    schedulerSize: 'SMALL',
    highAvailability: options.highAvailability ?? false,
    workerQueues:
      executor === 'CELERY' ? QUEUES.slice(0, options.queues ?? 1) : [],
    environmentVariables: [
      { key: 'ENVIRONMENT', value: 'production', secret: false },
      { key: 'LOG_FORMAT', value: 'json', secret: false },
      {
        key: 'SNOWFLAKE_PASSWORD',
        value: FIXTURE_SECRETS.snowflakePassword,
        secret: true,
      },
      { key: 'API_TOKEN', value: FIXTURE_SECRETS.apiToken, secret: true },
      ...(gitCredentials ? [{ ...gitCredentials, secret: true }] : []),
    ],
    resourceQuota: { cpu: '40', memory: '80Gi' },
    defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
    workerGracePeriodSeconds: 86400,
    hibernation: { schedules: [] },
    contactEmails: ['data-platform@example.com'],
    isCicdEnforced: false,
    kubernetesPodOperator: options.kubernetesPodOperator ?? false,
    ...(options.git
      ? {
          gitDagBundle: {
            repositoryUrl:
              options.git === 'ssh'
                ? 'git@github.com:acme/airflow-dags.git'
                : 'https://github.com/acme/airflow-dags.git',
            ref: 'main',
            subdirectory: options.git === 'public' ? '' : 'dags',
            ...(gitCredentials
              ? { credentialsVariable: gitCredentials.key }
              : {}),
          },
        }
      : {}),
  };
  return {
    deployment: {
      id: 'd7c1a0e2-5b8f-4c3a-9e61-2f4b8d0c7a15',
      organization: 'acme',
      workspace: 'data-eng',
      name: 'prod',
      namespace: 'astro-acme-data-eng-prod',
      generation: options.generation ?? 3,
    },
    settings,
    runtime: { airflowVersion, image: `apache/airflow:${airflowVersion}` },
    capabilities: {
      serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.2' },
      apiGroupVersions: [
        'v1',
        'apps/v1',
        'batch/v1',
        'policy/v1',
        'autoscaling/v2',
        'networking.k8s.io/v1',
        'rbac.authorization.k8s.io/v1',
        ...(keda ? ['keda.sh/v1alpha1'] : []),
        ...(options.exposure === 'gateway'
          ? ['gateway.networking.k8s.io/v1']
          : []),
      ],
      keda,
    },
    credentials: {
      fernetKey: FIXTURE_SECRETS.fernetKey,
      jwtSecret: FIXTURE_SECRETS.jwtSecret,
      apiSecretKey: FIXTURE_SECRETS.apiSecretKey,
      redisPassword: FIXTURE_SECRETS.redisPassword,
      ...(options.dagSync ? { bundleToken: FIXTURE_SECRETS.bundleToken } : {}),
    },
    database:
      options.database === 'in-namespace'
        ? { mode: 'in-namespace', password: FIXTURE_SECRETS.databasePassword }
        : {
            mode: 'external',
            host: 'metadata-db.platform.example.com',
            port: 5432,
            database: 'airflow_prod_d7c1a0e25b8f',
            user: 'airflow_prod_d7c1a0e25b8f',
            password: FIXTURE_SECRETS.databasePassword,
            sslMode: 'require',
          },
    sizes: {
      schedulerSizes: DEFAULT_SCHEDULER_SIZES,
      workerMachines: DEFAULT_WORKER_MACHINES,
    },
    portal: {
      deploymentUrl:
        'https://portal.example.com/astro/organizations/acme/deployments/etl',
    },
    ...(options.dagSync
      ? { dagSync: { url: FIXTURE_DAG_SYNC_URL, syncIntervalSeconds: 30 } }
      : {}),
    ...(options.exposure
      ? { exposure: fixtureExposure(options.exposure) }
      : {}),
    ...(options.remoteLogging
      ? { remoteLogging: FIXTURE_REMOTE_LOGGING[options.remoteLogging] }
      : {}),
    ...(options.kedaElsewhere
      ? {
          keda: {
            namespace: 'platform-autoscaling',
            operatorPodLabels: { app: 'keda-operator', release: 'keda' },
          },
        }
      : {}),
    ...(options.pullSecrets
      ? {
          pullSecrets: ['registry-acme', 'registry-mirror'].map(name => ({
            name,
            dockerConfigJson: JSON.stringify({
              auths: {
                [`${name.slice(9)}.registry.example.com`]: {
                  auth: FIXTURE_SECRETS.registryAuth,
                },
              },
            }),
          })),
        }
      : {}),
  };
}

/** One case of the golden matrix. */
export interface MatrixCase {
  name: string;
  input: RenderInput;
}

/**
 * The golden matrix: executor × HA × Airflow 2/3 × KEDA present/absent ×
 * 1 and 3 queues (the Kubernetes executor has no queues and, therefore, no
 * use for KEDA), plus pod launching from tasks (KubernetesPodOperator) and
 * the in-namespace database on both executors; then the
 * sources of DAGs (DAG sync, Git over HTTPS, SSH or public) on both Airflow
 * versions and executors, and image pull secrets. The Git cases also have a
 * DAG sync endpoint, as the engine always gives one: Git wins.
 */
export function renderMatrix(): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const airflowVersion of ['3.1.3', '2.11.0'] as const) {
    const airflow = `airflow${airflowVersion[0]}`;
    for (const highAvailability of [false, true]) {
      const ha = highAvailability ? 'ha' : 'single';
      for (const keda of [true, false]) {
        for (const queues of [1, 3] as const) {
          cases.push({
            name: `celery-${airflow}-${ha}-${
              keda ? 'keda' : 'nokeda'
            }-${queues}q`,
            input: fixtureInput({
              airflowVersion,
              highAvailability,
              keda,
              queues,
            }),
          });
        }
      }
      cases.push({
        name: `kubernetes-${airflow}-${ha}`,
        input: fixtureInput({
          executor: 'KUBERNETES',
          airflowVersion,
          highAvailability,
        }),
      });
    }
  }
  cases.push(
    {
      name: 'celery-airflow3-single-keda-1q-kubernetes-pod-operator',
      input: fixtureInput({ kubernetesPodOperator: true }),
    },
    {
      name: 'kubernetes-airflow3-single-kubernetes-pod-operator',
      input: fixtureInput({
        executor: 'KUBERNETES',
        kubernetesPodOperator: true,
      }),
    },
    {
      name: 'celery-airflow3-single-keda-1q-in-namespace-db',
      input: fixtureInput({ database: 'in-namespace' }),
    },
    {
      name: 'kubernetes-airflow2-single-in-namespace-db',
      input: fixtureInput({
        executor: 'KUBERNETES',
        airflowVersion: '2.11.0',
        database: 'in-namespace',
      }),
    },
  );
  for (const airflowVersion of ['3.1.3', '2.11.0'] as const) {
    const airflow = `airflow${airflowVersion[0]}`;
    cases.push(
      {
        name: `celery-${airflow}-single-keda-1q-dag-sync`,
        input: fixtureInput({ airflowVersion, dagSync: true }),
      },
      {
        name: `kubernetes-${airflow}-single-dag-sync`,
        input: fixtureInput({
          executor: 'KUBERNETES',
          airflowVersion,
          dagSync: true,
        }),
      },
    );
  }
  cases.push(
    {
      name: 'celery-airflow3-single-keda-1q-git-https',
      input: fixtureInput({ git: 'https', dagSync: true }),
    },
    {
      name: 'kubernetes-airflow3-single-git-public',
      input: fixtureInput({
        executor: 'KUBERNETES',
        git: 'public',
        dagSync: true,
      }),
    },
    {
      name: 'celery-airflow2-single-keda-1q-git-ssh',
      input: fixtureInput({
        airflowVersion: '2.11.0',
        git: 'ssh',
        dagSync: true,
      }),
    },
    {
      name: 'kubernetes-airflow2-single-git-https',
      input: fixtureInput({
        executor: 'KUBERNETES',
        airflowVersion: '2.11.0',
        git: 'https',
        dagSync: true,
        pullSecrets: true,
      }),
    },
    {
      name: 'celery-airflow3-ha-keda-1q-in-namespace-db-pull-secrets',
      input: fixtureInput({
        highAvailability: true,
        database: 'in-namespace',
        pullSecrets: true,
        dagSync: true,
      }),
    },
    // How people reach Airflow, where task logs go, where KEDA runs.
    {
      name: 'celery-airflow3-single-keda-1q-ingress-tls-s3-logs',
      input: fixtureInput({ exposure: 'ingress-tls', remoteLogging: 's3' }),
    },
    {
      name: 'celery-airflow2-single-keda-1q-ingress-http-gcs-logs',
      input: fixtureInput({
        airflowVersion: '2.11.0',
        exposure: 'ingress-http',
        remoteLogging: 'gcs',
      }),
    },
    {
      name: 'kubernetes-airflow3-single-httproute-wasb-logs',
      input: fixtureInput({
        executor: 'KUBERNETES',
        exposure: 'gateway',
        remoteLogging: 'wasb',
      }),
    },
    {
      name: 'celery-airflow3-single-keda-1q-gateway-api-missing',
      input: fixtureInput({ exposure: 'gateway-api-missing' }),
    },
    {
      name: 'kubernetes-airflow2-single-elasticsearch-logs',
      input: fixtureInput({
        executor: 'KUBERNETES',
        airflowVersion: '2.11.0',
        remoteLogging: 'elasticsearch',
      }),
    },
    {
      name: 'celery-airflow3.2-single-keda-1q-opensearch-logs',
      input: fixtureInput({
        airflowVersion: '3.2.1',
        remoteLogging: 'opensearch',
      }),
    },
    {
      name: 'celery-airflow3-single-keda-1q-opensearch-logs-unsupported',
      input: fixtureInput({ remoteLogging: 'opensearch' }),
    },
    {
      name: 'celery-airflow3-single-keda-1q-keda-elsewhere',
      input: fixtureInput({ kedaElsewhere: true }),
    },
  );
  return cases;
}
