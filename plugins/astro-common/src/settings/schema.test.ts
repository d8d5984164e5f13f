import { validateDeploymentSettings } from './schema';
import { testDeploymentOptions as options } from '../testUtils/deploymentOptions';

function issuesOf(input: unknown) {
  const result = validateDeploymentSettings(options, input);
  if (result.success) {
    throw new Error('expected validation to fail');
  }
  return result.issues;
}

describe('deployment settings', () => {
  it('fills every default of the product from an empty object', () => {
    const result = validateDeploymentSettings(options, {});
    expect(result).toEqual({
      success: true,
      settings: {
        airflowVersion: '3.1.3',
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
        environmentVariables: [],
        resourceQuota: { cpu: '20', memory: '40Gi' },
        defaultTaskPodSize: { cpu: '500m', memory: '1Gi' },
        workerGracePeriodSeconds: 86400,
        hibernation: { schedules: [] },
        contactEmails: [],
        isCicdEnforced: false,
        kubernetesPodOperator: false,
      },
    });
  });

  it('gives the Kubernetes executor no worker queues', () => {
    const result = validateDeploymentSettings(options, {
      executor: 'KUBERNETES',
    });
    expect(result.success && result.settings.workerQueues).toEqual([]);
  });

  it('takes the queue named default as the default when none is marked', () => {
    const result = validateDeploymentSettings(options, {
      workerQueues: [{ name: 'heavy' }, { name: 'default' }],
    });
    expect(
      result.success &&
        result.settings.workerQueues.map(q => [q.name, q.isDefault]),
    ).toEqual([
      ['heavy', false],
      ['default', true],
    ]);
  });

  it('keeps an explicit default over the queue named default', () => {
    const result = validateDeploymentSettings(options, {
      workerQueues: [{ name: 'heavy', isDefault: true }, { name: 'default' }],
    });
    expect(
      result.success &&
        result.settings.workerQueues.map(q => [q.name, q.isDefault]),
    ).toEqual([
      ['heavy', true],
      ['default', false],
    ]);
  });

  it('says how to mark a default queue when none is marked or named default', () => {
    expect(issuesOf({ workerQueues: [{ name: 'a' }] })).toEqual([
      {
        path: 'settings.workerQueues',
        message:
          'must have exactly one default queue (found 0): mark one as the default or name one "default"',
      },
    ]);
  });

  it('takes a queue concurrency default from its machine type', () => {
    const result = validateDeploymentSettings(options, {
      workerQueues: [{ name: 'heavy', isDefault: true, workerSize: 'A20' }],
    });
    expect(result.success && result.settings.workerQueues[0]).toMatchObject({
      workerSize: 'A20',
      concurrency: 20,
    });
  });

  it.each([
    [{ executor: 'SEQUENTIAL' }, 'settings.executor', 'must be one of'],
    [
      { airflowVersion: '1.10.15' },
      'settings.airflowVersion',
      'must be one of',
    ],
    [{ schedulerSize: 'HUGE' }, 'settings.schedulerSize', 'must be one of'],
    [{ highAvailability: 'yes' }, 'settings.highAvailability', 'true or false'],
    [
      { workerQueues: [{ name: 'q', isDefault: true, maxWorkers: 31 }] },
      'settings.workerQueues[0].maxWorkers',
      'at most 30',
    ],
    [
      {
        workerQueues: [
          { name: 'q', isDefault: true, minWorkers: 5, maxWorkers: 2 },
        ],
      },
      'settings.workerQueues[0].maxWorkers',
      'at least the minimum workers (5)',
    ],
    [
      { workerQueues: [{ name: 'q', isDefault: true, concurrency: 65 }] },
      'settings.workerQueues[0].concurrency',
      'at most 64',
    ],
    [
      { workerQueues: [{ name: 'Q!', isDefault: true }] },
      'settings.workerQueues[0].name',
      'lowercase',
    ],
    [
      { workerQueues: [{ name: 'a' }, { name: 'b' }] },
      'settings.workerQueues',
      'exactly one default queue (found 0)',
    ],
    [
      {
        workerQueues: [
          { name: 'a', isDefault: true },
          { name: 'a', isDefault: false },
        ],
      },
      'settings.workerQueues[1].name',
      'duplicates queue',
    ],
    [
      {
        executor: 'KUBERNETES',
        workerQueues: [{ name: 'a', isDefault: true }],
      },
      'settings.workerQueues',
      'only available with the CELERY executor',
    ],
    [
      {
        environmentVariables: [
          { key: 'AIRFLOW__CORE__FERNET_KEY', value: 'x' },
        ],
      },
      'settings.environmentVariables[0].key',
      'set by the platform',
    ],
    [
      { environmentVariables: [{ key: '1BAD', value: 'x' }] },
      'settings.environmentVariables[0].key',
      'must start with a letter',
    ],
    [
      { environmentVariables: [{ key: 'PLAIN' }] },
      'settings.environmentVariables[0].value',
      'required unless the variable is secret',
    ],
    [
      {
        environmentVariables: [
          { key: 'A', value: '1' },
          { key: 'A', value: '2' },
        ],
      },
      'settings.environmentVariables[1].key',
      'duplicates variable',
    ],
    [
      { resourceQuota: { cpu: 'lots', memory: '1Gi' } },
      'settings.resourceQuota.cpu',
      'CPU quantity',
    ],
    [
      { resourceQuota: { cpu: '1', memory: '1Pi' } },
      'settings.resourceQuota.memory',
      'memory quantity',
    ],
    [
      { defaultTaskPodSize: { cpu: '9', memory: '1Gi' } },
      'settings.defaultTaskPodSize.cpu',
      'at most 8',
    ],
    [
      { workerGracePeriodSeconds: -1 },
      'settings.workerGracePeriodSeconds',
      'at least 0',
    ],
    [
      {
        hibernation: {
          schedules: [{ hibernateAt: 'never', wakeAt: '0 8 * * *' }],
        },
      },
      'settings.hibernation.schedules[0].hibernateAt',
      'cron expression',
    ],
    [
      {
        hibernation: {
          schedules: [{ hibernateAt: '99 * * * *', wakeAt: '0 8 * * *' }],
        },
      },
      'settings.hibernation.schedules[0].hibernateAt',
      'must be a valid cron expression (Field value (99) is out of range)',
    ],
    [
      {
        hibernation: {
          schedules: [{ hibernateAt: '0 20 * * *', wakeAt: '0 8 * *' }],
        },
      },
      'settings.hibernation.schedules[0].wakeAt',
      'five fields',
    ],
    [
      {
        hibernation: {
          schedules: [{ hibernateAt: '0 0 31 2 *', wakeAt: '0 8 * * *' }],
        },
      },
      'settings.hibernation.schedules[0].hibernateAt',
      'never does',
    ],
    [
      {
        hibernation: {
          schedules: [
            {
              hibernateAt: '0 20 * * *',
              wakeAt: '0 8 * * *',
              timeZone: 'Mars/Olympus_Mons',
            },
          ],
        },
      },
      'settings.hibernation.schedules[0].timeZone',
      'IANA time zone',
    ],
    [
      {
        highAvailability: true,
        hibernation: {
          schedules: [
            { hibernateAt: '0 20 * * *', wakeAt: '0 8 * * *', enabled: false },
            { hibernateAt: '0 20 * * *', wakeAt: '0 8 * * *' },
          ],
        },
      },
      'settings.hibernation.schedules[1]',
      'cannot be enabled together with high availability',
    ],
    [
      { contactEmails: ['not-an-email'] },
      'settings.contactEmails[0]',
      'email address',
    ],
    [{ replicas: 3 }, 'settings.replicas', 'not a known field'],
    [
      { gitDagBundle: { repositoryUrl: 'ftp://example.com/dags' } },
      'settings.gitDagBundle.repositoryUrl',
      'must be a Git URL',
    ],
    [
      {
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          subdirectory: 'dags/../../etc',
        },
      },
      'settings.gitDagBundle.subdirectory',
      'without ".." segments',
    ],
    [
      {
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          ref: '../main',
        },
      },
      'settings.gitDagBundle.ref',
      'branch or tag name',
    ],
    [
      {
        environmentVariables: [{ key: 'GIT_TOKEN', value: 'plain' }],
        gitDagBundle: {
          repositoryUrl: 'https://github.com/acme/dags.git',
          credentialsVariable: 'GIT_TOKEN',
        },
      },
      'settings.gitDagBundle.credentialsVariable',
      'must name a secret environment variable',
    ],
    [{ isCicdEnforced: 'yes' }, 'settings.isCicdEnforced', 'true or false'],
    [
      { kubernetesPodOperator: 1 },
      'settings.kubernetesPodOperator',
      'true or false',
    ],
  ])('rejects %j at its field path', (input, path, message) => {
    expect(issuesOf(input)).toContainEqual({
      path,
      message: expect.stringContaining(message),
    });
  });

  it('takes a Git DAG bundle with its defaults, and null as none', () => {
    const result = validateDeploymentSettings(options, {
      environmentVariables: [{ key: 'GIT_TOKEN', secret: true }],
      gitDagBundle: {
        repositoryUrl: 'git@github.com:acme/dags.git',
        credentialsVariable: 'GIT_TOKEN',
      },
    });
    expect(result.success && result.settings.gitDagBundle).toEqual({
      repositoryUrl: 'git@github.com:acme/dags.git',
      ref: 'main',
      subdirectory: '',
      credentialsVariable: 'GIT_TOKEN',
    });
    const none = validateDeploymentSettings(options, { gitDagBundle: null });
    expect(none.success && 'gitDagBundle' in none.settings).toBe(false);
  });

  it('accepts a secret variable without a value (kept from before)', () => {
    const result = validateDeploymentSettings(options, {
      environmentVariables: [{ key: 'TOKEN', secret: true }],
    });
    expect(result.success).toBe(true);
  });
});

describe('hibernation schedules', () => {
  it('default to UTC and accept IANA zones, names and steps', () => {
    const result = validateDeploymentSettings(options, {
      hibernation: {
        schedules: [
          { hibernateAt: '*/30 20-23 * * MON-FRI', wakeAt: '0 7 * * 1-5' },
          {
            hibernateAt: '0 18 * * 5',
            wakeAt: '0 6 * * 1',
            timeZone: 'America/New_York',
          },
        ],
      },
    });
    expect(result.success && result.settings.hibernation.schedules).toEqual([
      {
        hibernateAt: '*/30 20-23 * * MON-FRI',
        wakeAt: '0 7 * * 1-5',
        timeZone: 'UTC',
        enabled: true,
      },
      {
        hibernateAt: '0 18 * * 5',
        wakeAt: '0 6 * * 1',
        timeZone: 'America/New_York',
        enabled: true,
      },
    ]);
  });

  it('may be kept, disabled, with high availability', () => {
    const result = validateDeploymentSettings(options, {
      highAvailability: true,
      hibernation: {
        schedules: [
          { hibernateAt: '0 20 * * *', wakeAt: '0 8 * * *', enabled: false },
        ],
      },
    });
    expect(result.success).toBe(true);
  });
});
