import { options, deployment } from '../../__testUtils__/fixtures';
import { diffDeployment } from './diff';
import { describeFieldErrors } from './fieldLabels';
import {
  NEW_SECRET_NEEDS_VALUE,
  defaultSettings,
  formValuesOf,
  settingsInputOf,
  validateSettingsForm,
  variableRowsOf,
} from './formModel';

describe('the deployment form model', () => {
  // Defaults must come from /deployment-options through the shared schema,
  // never from constants of the UI.
  it('pre-fills the defaults the options describe', () => {
    const values = formValuesOf(
      defaultSettings({
        ...options,
        defaultSchedulerSize: 'MEDIUM',
        workerQueues: {
          ...options.workerQueues,
          maxWorkers: { default: 4, floor: 1, ceiling: 8 },
        },
      }),
    );
    expect(values).toMatchObject({
      airflowVersion: '3.1.3',
      executor: 'CELERY',
      schedulerSize: 'MEDIUM',
      workerGracePeriodSeconds: '86400',
      workerQueues: [
        expect.objectContaining({
          name: 'default',
          isDefault: true,
          maxWorkers: '4',
          concurrency: '5',
        }),
      ],
    });
  });

  it('reports problems at the API field paths with the API messages', () => {
    const values = formValuesOf(defaultSettings(options));
    values.workerQueues[0].maxWorkers = '31';
    values.contactEmails = 'ops@example.com, nobody';
    const result = validateSettingsForm(options, values);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual({
      'settings.workerQueues[0].maxWorkers': 'must be at most 30',
      'settings.contactEmails[1]': 'must be an email address',
    });
  });

  it('requires a value for a new secret but not for a stored one', () => {
    const values = formValuesOf(defaultSettings(options));
    values.environmentVariables = [
      ...variableRowsOf([{ key: 'STORED', secret: true }]),
      { id: 'x', key: 'NEW', value: '', secret: true, stored: false },
    ];
    expect(validateSettingsForm(options, values).errors).toEqual({
      'settings.environmentVariables[1].value': NEW_SECRET_NEEDS_VALUE,
    });
  });

  it('sends stored secrets without a value, so the backend keeps them', () => {
    const values = formValuesOf(deployment().settings);
    expect(settingsInputOf(values).environmentVariables).toEqual([
      { key: 'LOG_LEVEL', value: 'info', secret: false },
      { key: 'API_TOKEN', secret: true },
    ]);
  });

  it('sends no worker queues for the Kubernetes executor', () => {
    const values = formValuesOf(defaultSettings(options));
    values.executor = 'KUBERNETES';
    expect(settingsInputOf(values).workerQueues).toEqual([]);
    expect(validateSettingsForm(options, values).valid).toBe(true);
  });

  // The diff is what the user approves before saving: it must name every
  // changed field and never show a secret value.
  it('previews changed fields and masks secret values', () => {
    const before = deployment();
    const values = formValuesOf(before.settings);
    values.workerQueues[0].maxWorkers = '12';
    values.environmentVariables[1].value = 'new-token-value';
    values.environmentVariables.push({
      id: 'y',
      key: 'REGION',
      value: 'eu',
      secret: false,
      stored: false,
    });
    const result = validateSettingsForm(options, values, before.settings);
    if (!result.valid) {
      throw new Error(JSON.stringify(result.errors));
    }
    const changes = diffDeployment(
      before,
      {
        title: before.title,
        description: 'changed',
        settings: result.settings,
      },
      values.environmentVariables,
    );
    expect(changes).toEqual([
      { field: 'Description', before: '', after: 'changed' },
      { field: 'Queue "default": maximum workers', before: '10', after: '12' },
      {
        field: 'Variable API_TOKEN',
        before: '•••••••• (secret)',
        after: '•••••••• (new secret value)',
      },
      { field: 'Variable REGION', before: undefined, after: 'eu' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('new-token-value');
  });

  // Settings the form does not round-trip would be lost on every edit.
  it('round-trips the deploy settings: CI/CD enforcement, pod launching and the Git DAG bundle', () => {
    const settings = {
      ...deployment().settings,
      isCicdEnforced: true,
      kubernetesPodOperator: true,
      gitDagBundle: {
        repositoryUrl: 'git@github.com:acme/dags.git',
        ref: 'release',
        subdirectory: 'airflow/dags',
        credentialsVariable: 'API_TOKEN',
      },
    };
    const values = formValuesOf(settings);
    expect(values.isCicdEnforced).toBe(true);
    expect(values.gitDagBundle).toEqual({
      enabled: true,
      repositoryUrl: 'git@github.com:acme/dags.git',
      ref: 'release',
      subdirectory: 'airflow/dags',
      credentialsVariable: 'API_TOKEN',
    });
    const input = settingsInputOf(values);
    expect(input.isCicdEnforced).toBe(true);
    expect(input.kubernetesPodOperator).toBe(true);
    expect(input.gitDagBundle).toEqual(settings.gitDagBundle);
    const result = validateSettingsForm(options, values, settings);
    expect(result.valid && result.settings.gitDagBundle).toEqual(
      settings.gitDagBundle,
    );

    // A public repository sends no credentials.
    values.gitDagBundle.credentialsVariable = '';
    expect(settingsInputOf(values).gitDagBundle).not.toHaveProperty(
      'credentialsVariable',
    );
  });

  it('removes the Git DAG bundle when it is switched off', () => {
    const settings = {
      ...deployment().settings,
      gitDagBundle: {
        repositoryUrl: 'https://github.com/acme/dags.git',
        ref: 'main',
        subdirectory: '',
      },
    };
    const values = formValuesOf(settings);
    values.gitDagBundle.enabled = false;
    expect(settingsInputOf(values).gitDagBundle).toBeNull();
    const result = validateSettingsForm(options, values, settings);
    expect(result.valid).toBe(true);
    expect(result.valid && result.settings.gitDagBundle).toBeUndefined();
  });

  it('checks the Git DAG bundle with the shared schema', () => {
    const values = formValuesOf(deployment().settings);
    values.gitDagBundle = {
      enabled: true,
      repositoryUrl: 'ftp://example.com/dags',
      ref: 'main',
      subdirectory: '../dags',
      credentialsVariable: 'LOG_LEVEL',
    };
    const result = validateSettingsForm(options, values, deployment().settings);
    expect(result.errors).toEqual({
      'settings.gitDagBundle.repositoryUrl':
        expect.stringContaining('must be a Git URL'),
      'settings.gitDagBundle.subdirectory': expect.stringContaining(
        'must be a relative path',
      ),
      'settings.gitDagBundle.credentialsVariable': expect.stringContaining(
        'must name a secret environment variable',
      ),
    });
  });

  it('previews changes of the deploy settings', () => {
    const before = deployment();
    const values = formValuesOf(before.settings);
    values.isCicdEnforced = true;
    values.gitDagBundle = {
      enabled: true,
      repositoryUrl: 'https://github.com/acme/dags.git',
      ref: 'main',
      subdirectory: 'dags',
      credentialsVariable: 'API_TOKEN',
    };
    const result = validateSettingsForm(options, values, before.settings);
    if (!result.valid) {
      throw new Error(JSON.stringify(result.errors));
    }
    expect(
      diffDeployment(
        before,
        { ...before, settings: result.settings },
        values.environmentVariables,
      ),
    ).toEqual([
      { field: 'Deploys only from CI/CD', before: 'off', after: 'on' },
      {
        field: 'DAGs from Git',
        before: undefined,
        after:
          'https://github.com/acme/dags.git at main, folder dags, credentials from API_TOKEN',
      },
    ]);
  });

  it('round-trips the resource quota and the default task pod size', () => {
    const settings = deployment().settings;
    const values = formValuesOf(settings);
    expect(values.resourceQuota).toEqual({ cpu: '20', memory: '40Gi' });
    expect(values.defaultTaskPodSize).toEqual({ cpu: '500m', memory: '1Gi' });
    values.resourceQuota = { cpu: ' 64 ', memory: '128Gi' };
    expect(settingsInputOf(values).resourceQuota).toEqual({
      cpu: '64',
      memory: '128Gi',
    });
    const result = validateSettingsForm(options, values, settings);
    if (!result.valid) {
      throw new Error(JSON.stringify(result.errors));
    }
    expect(
      diffDeployment(
        deployment(),
        { ...deployment(), settings: result.settings },
        values.environmentVariables,
      ),
    ).toEqual([
      { field: 'Quota CPU', before: '20', after: '64' },
      { field: 'Quota memory', before: '40Gi', after: '128Gi' },
    ]);
  });

  it('checks resource quantities and their maxima with the shared schema', () => {
    const values = formValuesOf(defaultSettings(options));
    values.resourceQuota = { cpu: 'lots', memory: '500Gi' };
    values.defaultTaskPodSize = { cpu: '9', memory: '' };
    expect(validateSettingsForm(options, values).errors).toEqual({
      'settings.resourceQuota.cpu':
        'must be a positive CPU quantity such as "1" or "500m"',
      'settings.resourceQuota.memory': 'must be at most 400Gi',
      'settings.defaultTaskPodSize.cpu': 'must be at most 8',
      'settings.defaultTaskPodSize.memory':
        'must be a positive memory quantity such as "2Gi"',
    });
  });

  it('says "minimum workers", not the JSON name, once, at the maximum', () => {
    const values = formValuesOf(defaultSettings(options));
    values.workerQueues[0].minWorkers = '8';
    values.workerQueues[0].maxWorkers = '5';
    const { errors } = validateSettingsForm(options, values);
    expect(errors).toEqual({
      'settings.workerQueues[0].maxWorkers':
        'must be at least the minimum workers (8)',
    });
    expect(describeFieldErrors(errors, values)).toEqual([
      'Queue “default”: Maximum workers must be at least the minimum workers (8)',
    ]);
  });

  it('names fields by their labels in the order of the form', () => {
    const values = formValuesOf(deployment().settings);
    values.contactEmails = 'ops@example.com, nobody';
    values.workerQueues.push({ ...values.workerQueues[0], name: '' });
    expect(
      describeFieldErrors(
        {
          'settings.contactEmails[1]': 'must be an email address',
          'settings.resourceQuota.cpu':
            '20 is less than the 30850m CPU the settings need at full scale',
          'settings.workerQueues[1].name': 'must not be empty',
          'settings.environmentVariables[1].value': NEW_SECRET_NEEDS_VALUE,
          'settings.workerQueues[0].concurrency': 'must be at most 64',
          'settings.workerQueues[0].minWorkers': 'must be at most 30',
          name: 'Deployment etl already exists',
          'settings.somethingNew': 'is not a known field',
        },
        values,
      ),
    ).toEqual([
      'Name: Deployment etl already exists',
      'Queue “default”: Minimum workers must be at most 30',
      'Queue “default”: Concurrency must be at most 64',
      'Worker queue 2: Queue name must not be empty',
      'Quota CPU: 20 is less than the 30850m CPU the settings need at full scale',
      `Variable “API_TOKEN”: Value ${NEW_SECRET_NEEDS_VALUE}`,
      'Contact email “nobody” must be an email address',
      'settings.somethingNew is not a known field',
    ]);
  });
});
