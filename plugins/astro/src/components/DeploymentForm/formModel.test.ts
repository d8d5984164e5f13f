import { options, deployment } from '../../__testUtils__/fixtures';
import { diffDeployment } from './diff';
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
      { field: 'Queue "default": max workers', before: '10', after: '12' },
      {
        field: 'Variable API_TOKEN',
        before: '•••••••• (secret)',
        after: '•••••••• (new secret value)',
      },
      { field: 'Variable REGION', before: undefined, after: 'eu' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('new-token-value');
  });
});
