import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  snapshotTables,
  startAstroTestBackend,
} from '../__testUtils__/startAstroTestBackend';
import {
  dagsBundle,
  gzipBomb,
  makeBundle,
  manyEntries,
} from '../deploys/__testUtils__/bundles';
import { bundleVersionOf } from '../deploys/inspectBundle';
import { SecretBox } from '../secrets/SecretBox';
import { DEFAULT_RUNTIME_RELEASES } from '../options/runtimeCatalog';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

type BadRequest = {
  what: string;
  method: 'post' | 'patch' | 'put' | 'get' | 'delete';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Text the error message must contain, e.g. the field path. */
  mentions: string;
};

const ORG = '/api/astro/organizations';
const DEPS = `${ORG}/acme/deployments`;
const DEP = `${DEPS}/etl`;
const queue = (extra: object) => ({
  settings: { workerQueues: [{ name: 'default', isDefault: true, ...extra }] },
});

const badRequests: BadRequest[] = [
  // Names
  {
    what: 'uppercase name',
    method: 'post',
    path: ORG,
    body: { name: 'ACME2' },
    mentions: 'name',
  },
  {
    what: 'leading hyphen',
    method: 'post',
    path: ORG,
    body: { name: '-acme' },
    mentions: 'name',
  },
  {
    what: 'name too long',
    method: 'post',
    path: ORG,
    body: { name: 'a'.repeat(41) },
    mentions: 'name',
  },
  {
    what: 'empty name',
    method: 'post',
    path: ORG,
    body: { name: '' },
    mentions: 'name',
  },
  {
    what: 'name with a dot',
    method: 'post',
    path: `${ORG}/acme/workspaces`,
    body: { name: 'a.b' },
    mentions: 'name',
  },
  {
    what: 'SQL-looking name',
    method: 'post',
    path: ORG,
    body: { name: "x'; DROP TABLE organizations;--" },
    mentions: 'name',
  },
  {
    what: 'HTML in a name',
    method: 'post',
    path: DEPS,
    body: { name: '<script>', workspace: 'data-eng' },
    mentions: 'name',
  },
  {
    what: 'reserved Deployment name',
    method: 'post',
    path: DEPS,
    body: { name: 'new', workspace: 'data-eng' },
    mentions: 'name: "new" is reserved',
  },
  {
    what: 'unicode name',
    method: 'post',
    path: DEPS,
    body: { name: 'ét', workspace: 'data-eng' },
    mentions: 'name',
  },
  {
    what: 'name of the wrong type',
    method: 'post',
    path: ORG,
    body: { name: 42 },
    mentions: 'name',
  },
  {
    what: 'SQL-looking path segment',
    method: 'get',
    path: `${ORG}/x'%20OR%201=1--`,
    mentions: 'org',
  },
  // Required fields and unknown fields
  {
    what: 'missing organization name',
    method: 'post',
    path: ORG,
    body: { title: 'x' },
    mentions: 'name',
  },
  {
    what: 'missing workspace',
    method: 'post',
    path: DEPS,
    body: { name: 'x' },
    mentions: 'workspace',
  },
  {
    what: 'unknown top-level field',
    method: 'post',
    path: DEPS,
    body: { name: 'x', workspace: 'data-eng', replicas: 3 },
    mentions: 'replicas',
  },
  {
    what: 'unknown settings field',
    method: 'patch',
    path: DEP,
    body: { settings: { colour: 'red' } },
    mentions: 'colour',
  },
  {
    what: 'unknown queue field',
    method: 'patch',
    path: DEP,
    body: queue({ gpu: true }),
    mentions: 'gpu',
  },
  {
    what: 'id in an update',
    method: 'patch',
    path: `${ORG}/acme`,
    body: { id: 'x' },
    mentions: 'id',
  },
  // Types
  {
    what: 'settings as a string',
    method: 'patch',
    path: DEP,
    body: { settings: 'big' },
    mentions: 'settings',
  },
  {
    what: 'boolean as a string',
    method: 'patch',
    path: DEP,
    body: { settings: { highAvailability: 'true' } },
    mentions: 'highAvailability',
  },
  {
    what: 'queues as an object',
    method: 'patch',
    path: DEP,
    body: { settings: { workerQueues: { name: 'q' } } },
    mentions: 'workerQueues',
  },
  {
    what: 'number as a string',
    method: 'patch',
    path: DEP,
    body: queue({ minWorkers: '3' }),
    mentions: 'minWorkers',
  },
  {
    what: 'fractional workers',
    method: 'patch',
    path: DEP,
    body: queue({ maxWorkers: 2.5 }),
    mentions: 'maxWorkers',
  },
  {
    what: 'version as a string',
    method: 'patch',
    path: DEP,
    body: { title: 'x', version: 'one' },
    mentions: 'version',
  },
  {
    what: 'non-numeric limit',
    method: 'get',
    path: `${DEPS}?limit=abc`,
    mentions: 'limit',
  },
  {
    what: 'zero limit',
    method: 'get',
    path: `${DEPS}?limit=0`,
    mentions: 'limit',
  },
  {
    what: 'huge limit',
    method: 'get',
    path: `${DEPS}?limit=100000`,
    mentions: 'limit',
  },
  {
    what: 'unknown query parameter',
    method: 'get',
    path: `${DEPS}?sort=name`,
    mentions: 'sort',
  },
  {
    what: 'garbage cursor',
    method: 'get',
    path: `${DEPS}?cursor=%7B%7D`,
    mentions: 'cursor',
  },
  // Ranges and choices
  {
    what: 'maxWorkers above the cap',
    method: 'patch',
    path: DEP,
    body: queue({ maxWorkers: 1000 }),
    mentions: 'settings.workerQueues[0].maxWorkers',
  },
  {
    what: 'negative minWorkers',
    method: 'patch',
    path: DEP,
    body: queue({ minWorkers: -1 }),
    mentions: 'settings.workerQueues[0].minWorkers',
  },
  {
    what: 'max below min',
    method: 'patch',
    path: DEP,
    body: queue({ minWorkers: 4, maxWorkers: 3 }),
    mentions: 'settings.workerQueues[0].maxWorkers',
  },
  {
    what: 'zero concurrency',
    method: 'patch',
    path: DEP,
    body: queue({ concurrency: 0 }),
    mentions: 'settings.workerQueues[0].concurrency',
  },
  {
    what: 'concurrency above 64',
    method: 'patch',
    path: DEP,
    body: queue({ concurrency: 65 }),
    mentions: 'settings.workerQueues[0].concurrency',
  },
  {
    what: 'unknown machine',
    method: 'patch',
    path: DEP,
    body: queue({ workerSize: 'Z9' }),
    mentions: 'settings.workerQueues[0].workerSize',
  },
  {
    what: 'unknown executor',
    method: 'patch',
    path: DEP,
    body: { settings: { executor: 'SEQUENTIAL' } },
    mentions: 'executor',
  },
  {
    what: 'unknown scheduler size',
    method: 'patch',
    path: DEP,
    body: { settings: { schedulerSize: 'HUGE' } },
    mentions: 'schedulerSize',
  },
  {
    what: 'unknown Airflow version',
    method: 'patch',
    path: DEP,
    body: { settings: { airflowVersion: '1.10.15' } },
    mentions: 'settings.airflowVersion',
  },
  {
    what: 'negative grace period',
    method: 'patch',
    path: DEP,
    body: { settings: { workerGracePeriodSeconds: -5 } },
    mentions: 'settings.workerGracePeriodSeconds',
  },
  {
    what: 'grace period of years',
    method: 'patch',
    path: DEP,
    body: { settings: { workerGracePeriodSeconds: 1e9 } },
    mentions: 'settings.workerGracePeriodSeconds',
  },
  {
    what: 'negative CPU quota',
    method: 'patch',
    path: DEP,
    body: { settings: { resourceQuota: { cpu: '-1', memory: '1Gi' } } },
    mentions: 'settings.resourceQuota.cpu',
  },
  {
    what: 'quota above the maximum',
    method: 'patch',
    path: DEP,
    body: { settings: { resourceQuota: { cpu: '5000', memory: '1Gi' } } },
    mentions: 'settings.resourceQuota.cpu',
  },
  {
    what: 'two default queues',
    method: 'patch',
    path: DEP,
    body: {
      settings: {
        workerQueues: [
          { name: 'a', isDefault: true },
          { name: 'b', isDefault: true },
        ],
      },
    },
    mentions: 'exactly one default queue',
  },
  {
    what: 'queues of which none is default or named default',
    method: 'patch',
    path: DEP,
    body: { settings: { workerQueues: [{ name: 'a' }, { name: 'b' }] } },
    mentions:
      'settings.workerQueues: must have exactly one default queue (found 0): mark one as the default or name one "default"',
  },
  {
    what: 'an end-of-life Airflow version for a new Deployment',
    method: 'post',
    path: DEPS,
    body: {
      name: 'vintage',
      workspace: 'data-eng',
      settings: { airflowVersion: '2.10.5' },
    },
    mentions: 'settings.airflowVersion: Airflow 2.10.5 is past end of life',
  },
  {
    what: 'moving to an end-of-life Airflow version',
    method: 'patch',
    path: DEP,
    body: { settings: { airflowVersion: '2.10.5' } },
    mentions: 'settings.airflowVersion: Airflow 2.10.5 is past end of life',
  },
  {
    what: 'a downgrade across a database migration without force',
    method: 'patch',
    path: DEP,
    body: { settings: { airflowVersion: '2.11.0' } },
    mentions:
      'settings.airflowVersion: going from Airflow 3.1.3 back to 2.11.0',
  },
  {
    what: 'a downgrade with force=false',
    method: 'patch',
    path: `${DEP}?force=false`,
    body: { settings: { airflowVersion: '2.11.0' } },
    mentions: 'force=true',
  },
  {
    what: 'a force parameter that is not a boolean',
    method: 'patch',
    path: `${DEP}?force=yes`,
    body: { settings: { airflowVersion: '2.11.0' } },
    mentions: 'force',
  },
  {
    what: 'a migration retry without a failed migration',
    method: 'post',
    path: `${DEP}/migration/retry`,
    mentions: 'no failed database migration',
  },
  {
    what: 'queues with the Kubernetes executor',
    method: 'patch',
    path: DEP,
    body: {
      settings: {
        executor: 'KUBERNETES',
        workerQueues: [{ name: 'a', isDefault: true }],
      },
    },
    mentions: 'settings.workerQueues',
  },
  {
    what: 'reserved variable',
    method: 'put',
    path: `${DEP}/variables`,
    body: {
      environmentVariables: [{ key: 'AIRFLOW__CORE__FERNET_KEY', value: 'x' }],
    },
    mentions: 'environmentVariables[0].key',
  },
  {
    what: 'invalid variable name',
    method: 'put',
    path: `${DEP}/variables`,
    body: { environmentVariables: [{ key: 'BAD-KEY', value: 'x' }] },
    mentions: 'environmentVariables[0].key',
  },
  {
    what: 'duplicate variables',
    method: 'put',
    path: `${DEP}/variables`,
    body: {
      environmentVariables: [
        { key: 'A', value: '1' },
        { key: 'A', value: '2' },
      ],
    },
    mentions: 'environmentVariables[1].key',
  },
  {
    what: 'oversized variable value',
    method: 'put',
    path: `${DEP}/variables`,
    body: { environmentVariables: [{ key: 'A', value: 'x'.repeat(20000) }] },
    mentions: 'value',
  },
  {
    what: 'bad cron',
    method: 'patch',
    path: DEP,
    body: {
      settings: {
        hibernation: {
          schedules: [{ hibernateAt: 'at night', wakeAt: '0 7 * * *' }],
        },
      },
    },
    mentions: 'settings.hibernation.schedules[0].hibernateAt',
  },
  {
    what: 'cron field out of range',
    method: 'patch',
    path: DEP,
    body: {
      settings: {
        hibernation: {
          schedules: [{ hibernateAt: '99 * * * *', wakeAt: '0 7 * * *' }],
        },
      },
    },
    mentions:
      'settings.hibernation.schedules[0].hibernateAt: must be a valid cron expression (Field value (99) is out of range)',
  },
  {
    what: 'unknown time zone',
    method: 'patch',
    path: DEP,
    body: {
      settings: {
        hibernation: {
          schedules: [
            {
              hibernateAt: '0 20 * * *',
              wakeAt: '0 7 * * *',
              timeZone: 'Europe/Atlantis',
            },
          ],
        },
      },
    },
    mentions: 'settings.hibernation.schedules[0].timeZone',
  },
  {
    what: 'hibernation schedule with high availability',
    method: 'patch',
    path: `${DEPS}/critical`,
    body: {
      settings: {
        hibernation: {
          schedules: [{ hibernateAt: '0 20 * * *', wakeAt: '0 7 * * *' }],
        },
      },
    },
    mentions:
      'settings.hibernation.schedules[0]: cannot be enabled together with high availability',
  },
  {
    what: 'high availability while an override hibernates',
    method: 'patch',
    path: DEP,
    body: { settings: { highAvailability: true } },
    mentions:
      'settings.highAvailability: cannot be true while a hibernation override hibernates',
  },
  {
    what: 'hibernation override of a Deployment with high availability',
    method: 'post',
    path: `${DEPS}/critical/hibernation-override`,
    body: { isHibernating: true },
    mentions:
      'isHibernating: cannot hibernate a Deployment with settings.highAvailability: true',
  },
  {
    what: 'hibernation override without isHibernating',
    method: 'post',
    path: `${DEP}/hibernation-override`,
    body: { overrideUntil: '2099-01-01T00:00:00Z' },
    mentions: 'isHibernating',
  },
  {
    what: 'hibernation override that is not a boolean',
    method: 'post',
    path: `${DEP}/hibernation-override`,
    body: { isHibernating: 'yes' },
    mentions: 'isHibernating',
  },
  {
    what: 'hibernation override until a non-date',
    method: 'post',
    path: `${DEP}/hibernation-override`,
    body: { isHibernating: true, overrideUntil: 'tomorrow' },
    mentions: 'overrideUntil',
  },
  {
    what: 'hibernation override until the past',
    method: 'post',
    path: `${DEP}/hibernation-override`,
    body: { isHibernating: true, overrideUntil: '2001-01-01T00:00:00Z' },
    mentions: 'overrideUntil: must be in the future',
  },
  {
    what: 'hibernation override with an unknown field',
    method: 'post',
    path: `${DEP}/hibernation-override`,
    body: { isHibernating: true, forever: true },
    mentions: 'forever',
  },
  {
    what: 'bad email',
    method: 'patch',
    path: DEP,
    body: { settings: { contactEmails: ['nobody'] } },
    mentions: 'settings.contactEmails[0]',
  },
  // References
  {
    what: 'unknown workspace',
    method: 'post',
    path: DEPS,
    body: { name: 'x', workspace: 'nope' },
    mentions: 'workspace',
  },
  {
    what: 'unknown cluster',
    method: 'post',
    path: DEPS,
    body: { name: 'x', workspace: 'data-eng', cluster: 'nope' },
    mentions: 'cluster',
  },
  {
    what: 'grant of an unknown cluster',
    method: 'patch',
    path: `${ORG}/acme/workspaces/data-eng`,
    body: { clusterGrants: ['nope'] },
    mentions: 'clusterGrants[0]',
  },
  {
    what: 'grant of a standard cluster',
    method: 'patch',
    path: `${ORG}/acme/workspaces/data-eng`,
    body: { clusterGrants: ['shared-1'] },
    mentions: 'clusterGrants[0]',
  },
  {
    what: 'cluster server not a URL',
    method: 'post',
    path: '/api/astro/clusters',
    body: {
      name: 'c',
      type: 'standard',
      provider: 'p',
      region: 'r',
      connection: { server: 'not a url' },
    },
    mentions: 'connection.server',
  },
  {
    what: 'dedicated cluster without organization',
    method: 'post',
    path: '/api/astro/clusters',
    body: {
      name: 'c',
      type: 'dedicated',
      provider: 'p',
      region: 'r',
      connection: { server: 'https://k' },
    },
    mentions: 'organization',
  },
  {
    what: 'cluster of an unknown type',
    method: 'post',
    path: '/api/astro/clusters',
    body: {
      name: 'c',
      type: 'huge',
      provider: 'p',
      region: 'r',
      connection: { server: 'https://k' },
    },
    mentions: 'type',
  },
  // Headers, encodings and sizes
  {
    what: 'garbage If-Match',
    method: 'patch',
    path: DEP,
    body: { title: 'x' },
    headers: { 'If-Match': 'abc' },
    mentions: 'If-Match',
  },
  {
    what: 'stale If-Match',
    method: 'patch',
    path: DEP,
    body: { title: 'x' },
    headers: { 'If-Match': '"99"' },
    mentions: 'stale',
  },
  {
    what: 'too long Idempotency-Key',
    method: 'post',
    path: ORG,
    body: { name: 'x2' },
    headers: { 'Idempotency-Key': 'k'.repeat(201) },
    mentions: 'Idempotency-Key',
  },
  {
    what: 'malformed JSON',
    method: 'post',
    path: ORG,
    body: '{"name": "x3",',
    headers: { 'Content-Type': 'application/json' },
    mentions: 'JSON',
  },
  {
    what: 'body of the wrong content type',
    method: 'post',
    path: ORG,
    body: 'name=x4',
    headers: { 'Content-Type': 'text/plain' },
    mentions: 'content',
  },
  {
    what: 'oversized body',
    method: 'post',
    path: ORG,
    body: { name: 'x5', description: 'x'.repeat(2 * 1024 * 1024) },
    mentions: 'large',
  },
  {
    what: 'too many variables',
    method: 'put',
    path: `${DEP}/variables`,
    body: {
      environmentVariables: Array.from({ length: 201 }, (_, i) => ({
        key: `V${i}`,
        value: 'x',
      })),
    },
    mentions: 'environmentVariables',
  },
  // Deployment files
  {
    what: 'import of invalid YAML',
    method: 'post',
    path: `${DEPS}:import`,
    body: 'a: [1, 2',
    headers: { 'Content-Type': 'application/yaml' },
    mentions: 'file',
  },
  {
    what: 'import of another kind',
    method: 'post',
    path: `${DEPS}:import`,
    body: 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, workspace: data-eng}\n',
    headers: { 'Content-Type': 'application/yaml' },
    mentions: 'file.apiVersion',
  },
  {
    what: 'import with an alias bomb',
    method: 'post',
    path: `${DEPS}:import`,
    body: `a: &a [x,x,x,x,x,x,x,x,x,x]\n${Array.from(
      { length: 20 },
      (_, i) =>
        `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`},*${
          i === 0 ? 'a' : `b${i - 1}`
        }]`,
    ).join('\n')}\n`,
    headers: { 'Content-Type': 'application/yaml' },
    mentions: 'file',
  },
  {
    what: 'import as JSON',
    method: 'post',
    path: `${DEPS}:import`,
    body: { apiVersion: 'x' },
    mentions: 'Content-Type',
  },
  {
    what: 'import moving workspaces',
    method: 'post',
    path: `${DEPS}:import`,
    body: 'apiVersion: astro.airflow-portal.dev/v1alpha1\nkind: AstroDeploymentFile\nmetadata: {name: etl, workspace: other}\n',
    headers: { 'Content-Type': 'application/yaml' },
    mentions: 'file.metadata.workspace',
  },
  {
    what: 'import with invalid settings',
    method: 'post',
    path: `${DEPS}:import`,
    body: 'apiVersion: astro.airflow-portal.dev/v1alpha1\nkind: AstroDeploymentFile\nmetadata: {name: new-one, workspace: data-eng}\nspec: {settings: {executor: NOPE}}\n',
    headers: { 'Content-Type': 'application/yaml' },
    mentions: 'settings.executor',
  },
];

const DEPLOYS = `${DEP}/deploys`;
const GZIP = { 'Content-Type': 'application/gzip' };
const ZERO = `sha256:${'0'.repeat(64)}`;

/** Hostile and malformed deploys, tokens and DAG sync reports. */
async function codeDeployBadRequests(bundleToken: () => Promise<string>) {
  const bundleDeploy = async (
    what: string,
    bundle:
      | Promise<{ bytes: Buffer; checksum: string }>
      | { bytes: Buffer; checksum: string },
    mentions: string,
    query = '',
  ): Promise<BadRequest> => {
    const { bytes, checksum } = await bundle;
    return {
      what,
      method: 'post',
      path: `${DEPLOYS}?checksum=${checksum}${query}`,
      body: bytes,
      headers: GZIP,
      mentions,
    };
  };
  const random = randomBytes(2 * 1024 * 1024);
  const notTar = gzipSync(Buffer.from('def dag(): pass\n'.repeat(200)));
  const valid = await dagsBundle();
  const token = await bundleToken();
  return [
    await bundleDeploy(
      'bundle with a ../ entry',
      makeBundle([{ name: '../../etc/cron.d/evil', content: 'x' }]),
      '"../../etc/cron.d/evil"',
    ),
    await bundleDeploy(
      'bundle with an absolute path',
      makeBundle([{ name: '/etc/passwd', content: 'x' }]),
      'absolute path',
    ),
    await bundleDeploy(
      'bundle with a symlink out of the tree',
      makeBundle([
        { name: 'dags/evil', type: 'symlink', linkname: '../../../etc/passwd' },
      ]),
      'symbolic link',
    ),
    await bundleDeploy(
      'bundle with a hard link',
      makeBundle([
        { name: 'dags/a.py', content: 'x' },
        { name: 'dags/b.py', type: 'link', linkname: '/etc/shadow' },
      ]),
      'hard link',
    ),
    await bundleDeploy(
      'bundle with a device',
      makeBundle([{ name: 'dags/null', type: 'character-device' }]),
      'device',
    ),
    await bundleDeploy(
      'bundle with a named pipe',
      makeBundle([{ name: 'dags/pipe', type: 'fifo' }]),
      'named pipe',
    ),
    await bundleDeploy(
      'bundle of 10,000 entries',
      manyEntries(10_000),
      'more than 5000 entries',
    ),
    await bundleDeploy(
      'gzip bomb',
      gzipBomb(64 * 1024 * 1024),
      'maxBundleExpandedBytes',
    ),
    await bundleDeploy(
      'gzip of something else than a tar',
      { bytes: notTar, checksum: bundleVersionOf(notTar) },
      'not a tar archive',
    ),
    await bundleDeploy(
      'bundle that is not gzip',
      {
        bytes: Buffer.from('plain text'),
        checksum: bundleVersionOf(Buffer.from('plain text')),
      },
      'not gzip',
    ),
    {
      what: 'bundle with a wrong checksum',
      method: 'post',
      path: `${DEPLOYS}?checksum=${ZERO}`,
      body: valid.bytes,
      headers: GZIP,
      mentions: 'checksum',
    },
    {
      what: 'bundle without a checksum',
      method: 'post',
      path: DEPLOYS,
      body: valid.bytes,
      headers: GZIP,
      mentions: 'checksum',
    },
    {
      what: 'malformed checksum',
      method: 'post',
      path: `${DEPLOYS}?checksum=md5:abc`,
      body: valid.bytes,
      headers: GZIP,
      mentions: 'query.checksum',
    },
    {
      what: 'bundle over the size limit',
      method: 'post',
      path: `${DEPLOYS}?checksum=${bundleVersionOf(random)}`,
      body: random,
      headers: GZIP,
      mentions: 'limit of 1 MiB',
    },
    await bundleDeploy(
      'DAG deploy with an image',
      valid,
      'query.image',
      '&image=etl:1',
    ),
    await bundleDeploy(
      'IMAGE_AND_DAG without an image',
      valid,
      'query.image',
      '&type=IMAGE_AND_DAG',
    ),
    await bundleDeploy(
      'IMAGE_AND_DAG with an invalid image',
      valid,
      'image',
      '&type=IMAGE_AND_DAG&image=NOT%20AN%20IMAGE',
    ),
    await bundleDeploy(
      'unknown deploy type',
      valid,
      'query.type',
      '&type=HELM',
    ),
    await bundleDeploy('unknown origin', valid, 'query.origin', '&origin=FAX'),
    {
      what: 'bundle sent as JSON',
      method: 'post',
      path: DEPLOYS,
      body: { type: 'DAG' },
      mentions: 'image',
    },
    {
      what: 'image deploy with a query parameter',
      method: 'post',
      path: `${DEPLOYS}?checksum=${ZERO}`,
      body: { type: 'IMAGE', image: 'etl:1' },
      mentions: 'query.checksum',
    },
    {
      what: 'image deploy without an image',
      method: 'post',
      path: DEPLOYS,
      body: { type: 'IMAGE' },
      mentions: 'image',
    },
    {
      what: 'image with a shell command',
      method: 'post',
      path: DEPLOYS,
      body: { type: 'IMAGE', image: 'etl:1;rm -rf /' },
      mentions: 'image',
    },
    {
      what: 'image without a tag',
      method: 'post',
      path: DEPLOYS,
      body: { type: 'IMAGE', image: 'registry.example.com/etl' },
      mentions: 'image: "registry.example.com/etl" has neither a tag',
    },
    {
      what: 'Airflow version outside the catalog',
      method: 'post',
      path: DEPLOYS,
      body: { type: 'IMAGE', image: 'etl:1', airflowVersion: '9.9.9' },
      mentions: 'airflowVersion',
    },
    {
      what: 'registry credentials without a password',
      method: 'post',
      path: DEPLOYS,
      body: {
        type: 'IMAGE',
        image: 'etl:1',
        registryCredentials: { username: 'ci' },
      },
      mentions: 'registryCredentials.password',
    },
    {
      what: 'unknown field in an image deploy',
      method: 'post',
      path: DEPLOYS,
      body: { type: 'IMAGE', image: 'etl:1', replicas: 2 },
      mentions: 'replicas',
    },
    {
      what: 'rollback of a malformed deploy id',
      method: 'post',
      path: `${DEPLOYS}/not-a-uuid/rollback`,
      body: {},
      mentions: 'deploy',
    },
    {
      what: 'rollback with an unknown field',
      method: 'post',
      path: `${DEPLOYS}/00000000-0000-4000-8000-000000000000/rollback`,
      body: { image: 'etl:1' },
      mentions: 'image',
    },
    {
      what: 'deploy list with a bad cursor',
      method: 'get',
      path: `${DEPLOYS}?cursor=nope`,
      mentions: 'cursor',
    },
    // API tokens
    {
      what: 'token without a name',
      method: 'post',
      path: `${DEP}/tokens`,
      body: {},
      mentions: 'name',
    },
    {
      what: 'token of a workspace role on a Deployment',
      method: 'post',
      path: `${DEP}/tokens`,
      body: { name: 'x', role: 'WORKSPACE_OWNER' },
      mentions: 'role',
    },
    {
      what: 'workspace token without a role',
      method: 'post',
      path: `${ORG}/acme/workspaces/data-eng/tokens`,
      body: { name: 'x' },
      mentions: 'role',
    },
    {
      what: 'token that never starts',
      method: 'post',
      path: `${DEP}/tokens`,
      body: { name: 'x', expiresInDays: 0 },
      mentions: 'expiresInDays',
    },
    {
      what: 'rotate of a malformed token id',
      method: 'post',
      path: `${DEP}/tokens/nope/rotate`,
      mentions: 'token',
    },
    // The DAG sync's reports (with the right bundle token)
    {
      what: 'report of a malformed version',
      method: 'put',
      path: '/api/astro/bundles/{etl}/pods/scheduler-0',
      body: { version: 'latest' },
      headers: { Authorization: `Bearer ${token}` },
      mentions: 'version',
    },
    {
      what: 'report for a malformed pod name',
      method: 'put',
      path: '/api/astro/bundles/{etl}/pods/Scheduler_0',
      body: { version: ZERO },
      headers: { Authorization: `Bearer ${token}` },
      mentions: 'pod',
    },
    {
      what: 'download of a malformed version',
      method: 'get',
      path: '/api/astro/bundles/{etl}/versions/latest',
      headers: { Authorization: `Bearer ${token}` },
      mentions: 'version',
    },
  ];
}

describe.each(databases.eachSupportedId())('bad input on %s', databaseId => {
  it(`answers each of ${badRequests.length} malformed requests with a 4xx and changes nothing`, async () => {
    const encryptionKey = randomBytes(32).toString('base64');
    const backend = await startAstroTestBackend({
      databases,
      databaseId,
      encryptionKey,
      config: {
        // The default catalog, with 2.10.5 past end of life.
        runtimes: DEFAULT_RUNTIME_RELEASES.map(r => ({
          airflowVersion: r.airflowVersion,
          image: r.image,
          default: r.isDefault,
          ...(r.migrationRevision
            ? { migrationRevision: r.migrationRevision }
            : {}),
          ...(r.airflowVersion === '2.10.5' ? { endOfLife: '2026-06-01' } : {}),
        })),
        deploys: {
          maxBundleBytes: 1024 * 1024,
          maxBundleExpandedBytes: 16 * 1024 * 1024,
        },
      },
    });
    const api = request(backend.server);
    await api.post(ORG).send({ name: 'acme' }).expect(201);
    await api
      .post(`${ORG}/acme/workspaces`)
      .send({ name: 'data-eng' })
      .expect(201);
    await api
      .post(DEPS)
      .send({ name: 'etl', workspace: 'data-eng' })
      .expect(201);
    await api
      .post(DEPS)
      .send({
        name: 'critical',
        workspace: 'data-eng',
        settings: { highAvailability: true },
      })
      .expect(201);
    // etl hibernates by hand: high availability is refused for it.
    await api
      .post(`${DEP}/hibernation-override`)
      .send({ isHibernating: true })
      .expect(200);

    const etl = await backend
      .knex('deployments')
      .where({ name: 'etl' })
      .first();
    // The bundle token is created with the Deployment.
    const bundleToken = async () => {
      const row = await backend
        .knex('deployment_credentials')
        .where({ deployment_id: etl.id, name: 'bundleToken' })
        .first();
      return SecretBox.fromBase64Key(encryptionKey).decrypt(
        row.value_ciphertext,
      );
    };
    const requests = [
      ...badRequests,
      ...(await codeDeployBadRequests(bundleToken)),
    ].map(bad => ({ ...bad, path: bad.path.replace('{etl}', etl.id) }));
    expect(requests.length).toBeGreaterThanOrEqual(80);
    const before = await snapshotTables(backend.knex);
    const failures: string[] = [];
    for (const bad of requests) {
      let call = (api as any)[bad.method](bad.path);
      for (const [name, value] of Object.entries(bad.headers ?? {})) {
        call = call.set(name, value);
      }
      const response = await (bad.body === undefined
        ? call
        : call.send(bad.body));
      const message: string =
        response.body?.error?.message ?? response.text ?? '';
      if (response.status < 400 || response.status >= 500) {
        failures.push(`${bad.what}: status ${response.status} ${message}`);
      } else if (!message.toLowerCase().includes(bad.mentions.toLowerCase())) {
        failures.push(
          `${bad.what}: message "${message}" does not mention "${bad.mentions}"`,
        );
      }
      if ((await snapshotTables(backend.knex)) !== before) {
        failures.push(`${bad.what}: changed the database`);
        break;
      }
    }
    expect(failures).toEqual([]);
  });
});
