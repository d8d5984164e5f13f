/*
 * The core flow of code deploys, end to end, as a user runs it: the real
 * `airflow-portal` CLI binary (a child process) against a backend that
 * reconciles on the simulator over HTTP. The simulator's pods run the DAG
 * sync the renderer puts on them, and the simulated Airflow lists the DAGs
 * of the bundle those pods fetched from the backend.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  AIRFLOW_ACCESS,
  ASTRO_LABELS,
} from '@airflow-portal/plugin-astro-common';
import { KubernetesSimulator } from '@airflow-portal/plugin-astro-backend-module-simulator';
import {
  SIM_CLUSTER,
  startEngineTestBackend,
  startTestSimulator,
  testEncryptionKey,
  waitFor,
} from '../__testUtils__/engineTestBackend';
import { signAirflowToken } from '../airflowAccess/signAirflowToken';

jest.setTimeout(180_000);

const CLI = resolve(__dirname, '../../../../packages/cli/bin/airflow-portal');
const ORG = 'demo';
const NAME = 'code-e2e';

const DAG_A = `from airflow import DAG
with DAG("billing_daily", schedule="@daily"):
    pass
`;
const DAG_B = `from airflow.sdk import dag

@dag(schedule=None)
def ingest_orders():
    pass

ingest_orders()
`;

describe('code deploys through the CLI on the simulator', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let simulator: KubernetesSimulator;
  let stop: () => Promise<void>;
  let baseUrl: string;
  let project: string;
  let config: string;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    const knex = await databases.init('SQLITE_3');
    // The backend's URL is known only once it listens: the DAG sync asks
    // discovery for it (astro.deploys.bundleBaseUrl unset).
    const backend = await startEngineTestBackend({
      knex,
      simulator,
      encryptionKey: testEncryptionKey(),
      bundleBaseUrl: 'discovered',
      config: {
        demo: { seed: true },
        deploys: { syncIntervalSeconds: 1, timeoutSeconds: 60 },
      },
    });
    stop = backend.stop;
    baseUrl = `http://localhost:${
      (backend.server.address() as AddressInfo).port
    }`;
    project = await mkdtemp(join(tmpdir(), 'astro-project-'));
    config = await mkdtemp(join(tmpdir(), 'astro-cli-config-'));
  });

  afterAll(async () => {
    await stop?.();
    await simulator?.stop();
    await rm(project, { recursive: true, force: true });
    await rm(config, { recursive: true, force: true });
  });

  /** Runs the CLI as a user would, with `--json` output parsed. */
  async function cli(args: string[], token: string): Promise<any> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, ...args, '--json'],
      {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          CI: 'true',
          XDG_CONFIG_HOME: config,
          AIRFLOW_PORTAL_URL: baseUrl,
          AIRFLOW_PORTAL_TOKEN: token,
        },
        maxBuffer: 10 * 1024 * 1024,
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  }

  async function simulatorGet(path: string) {
    const response = await fetch(`${simulator.url}${path}`, {
      headers: { Authorization: `Bearer ${simulator.token}` },
    });
    if (!response.ok) {
      throw new Error(`${path}: ${response.status}`);
    }
    return response.json();
  }

  /** Airflow component pods of the Deployment, by name with their UIDs. */
  async function podUids(namespace: string) {
    const list = await simulatorGet(`/api/v1/namespaces/${namespace}/pods`);
    return Object.fromEntries(
      list.items
        .filter((pod: any) => !pod.metadata.deletionTimestamp)
        .filter((pod: any) =>
          ['scheduler', 'dag-processor', 'triggerer', 'api-server'].includes(
            pod.metadata.labels?.[ASTRO_LABELS.component],
          ),
        )
        .map((pod: any) => [pod.metadata.name, pod.metadata.uid]),
    ) as Record<string, string>;
  }

  /**
   * An Airflow API token of the service subject, signed (HS512) with the
   * Deployment's JWT key read from its rendered Secret, as the backend's
   * service credential is.
   */
  async function airflowApiToken(namespace: string): Promise<string> {
    const secret = await simulatorGet(
      `/api/v1/namespaces/${namespace}/secrets/airflow-keys`,
    );
    const key = Buffer.from(secret.data['jwt-secret'], 'base64').toString(
      'utf8',
    );
    const { value } = await signAirflowToken('api', key, {
      subject: AIRFLOW_ACCESS.serviceSubject,
      role: 'ADMIN',
      deploymentId: NAME,
    });
    return value;
  }

  async function dagIds(namespace: string): Promise<string[]> {
    const response = await fetch(
      `${simulator.url}/api/v1/namespaces/${namespace}/services/api-server:8080/proxy/api/v2/dags`,
      {
        headers: {
          Authorization: `Bearer ${simulator.token}`,
          [AIRFLOW_ACCESS.proxyTokenHeader]: await airflowApiToken(namespace),
        },
      },
    );
    if (!response.ok) {
      throw new Error(`DAG list: ${response.status}`);
    }
    const page = await response.json();
    return page.dags
      .filter((d: any) => !d.is_stale)
      .map((d: any) => d.dag_id)
      .sort();
  }

  it('creates a Deployment from a file, deploys DAGs without restarts, rolls an image and rolls back', async () => {
    const user = mockCredentials.user.token();

    // A Deployment from a deployment file.
    const file = join(project, 'deployment.yaml');
    await writeFile(
      file,
      [
        'apiVersion: astro.airflow-portal.dev/v1alpha1',
        'kind: AstroDeploymentFile',
        'metadata:',
        `  name: ${NAME}`,
        '  workspace: data-engineering',
        'spec:',
        `  cluster: ${SIM_CLUSTER}`,
        '  settings:',
        '    executor: CELERY',
        '',
      ].join('\n'),
    );
    await cli(
      [
        'deployment',
        'create',
        '--organization',
        ORG,
        '--deployment-file',
        file,
      ],
      user,
    );
    const healthy = await waitFor(
      async () => {
        const d = await cli(['deployment', 'inspect', `${ORG}/${NAME}`], user);
        return d.status === 'HEALTHY' ? d : undefined;
      },
      { timeoutMs: 60_000, what: 'the Deployment to be HEALTHY' },
    );
    const namespace: string = healthy.namespace;

    // CI deploys with a Deployment token.
    const token = await cli(
      ['deployment', 'token', 'create', `${ORG}/${NAME}`, '--name', 'ci'],
      user,
    );
    expect(token.value).toMatch(/^astro_/);

    // First DAG deploy: two DAG files.
    await mkdir(join(project, 'dags'), { recursive: true });
    await writeFile(join(project, 'dags', 'billing.py'), DAG_A);
    await writeFile(join(project, 'dags', 'ingest.py'), DAG_B);
    const uidsBefore = await podUids(namespace);
    expect(Object.keys(uidsBefore).length).toBeGreaterThan(0);

    const first = await cli(
      ['deploy', `${ORG}/${NAME}`, '--dags', '--project-dir', project],
      token.value,
    );
    expect(first).toMatchObject({
      type: 'DAG',
      status: 'DEPLOYED',
      origin: 'CI',
      createdBy: `token:${token.id}`,
      bundle: { files: 2 },
    });
    await waitFor(
      async () => {
        const ids = await dagIds(namespace);
        return ids.length === 2 ? ids : undefined;
      },
      { what: 'the simulated Airflow to list the two DAGs' },
    );
    expect(await dagIds(namespace)).toEqual(['billing_daily', 'ingest_orders']);
    // No component restarted: the same pods, with the same UIDs.
    expect(await podUids(namespace)).toEqual(uidsBefore);

    // An image deploy rolls the components.
    const image = await cli(
      [
        'deploy',
        `${ORG}/${NAME}`,
        '--image',
        'registry.example.com/data/etl:2026.12.01',
        '--description',
        'pandas 2.3',
      ],
      token.value,
    );
    expect(image).toMatchObject({ type: 'IMAGE', status: 'DEPLOYED' });
    const rolled = await cli(['deployment', 'inspect', `${ORG}/${NAME}`], user);
    expect(rolled.image).toBe('registry.example.com/data/etl:2026.12.01');
    const uidsAfterImage = await podUids(namespace);
    expect(Object.values(uidsAfterImage)).not.toEqual(
      expect.arrayContaining(Object.values(uidsBefore)),
    );

    // A second DAG deploy changes the DAGs.
    await rm(join(project, 'dags', 'ingest.py'));
    await cli(
      ['deploy', `${ORG}/${NAME}`, '--dags', '--project-dir', project],
      token.value,
    );
    await waitFor(
      async () => {
        const ids = await dagIds(namespace);
        return ids.length === 1 ? ids : undefined;
      },
      { what: 'the second bundle to be served' },
    );

    // Rolling back to the first deploy restores its bundle and its image.
    const rollback = await cli(
      ['deploy', 'rollback', `${ORG}/${NAME}`, first.id],
      token.value,
    );
    expect(rollback).toMatchObject({
      rollbackOf: first.id,
      status: 'DEPLOYED',
      bundle: { version: first.bundle.version },
      image: first.image,
    });
    await waitFor(
      async () => {
        const ids = await dagIds(namespace);
        return ids.length === 2 ? ids : undefined;
      },
      { what: 'the first bundle to be served again' },
    );
    const restored = await cli(
      ['deployment', 'inspect', `${ORG}/${NAME}`],
      user,
    );
    expect(restored).toMatchObject({
      image: first.image,
      dagBundleVersion: first.bundle.version,
    });
  });
});
