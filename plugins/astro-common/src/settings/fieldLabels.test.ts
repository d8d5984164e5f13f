import { testDeploymentOptions } from '../testUtils/deploymentOptions';
import { describeSettingsIssues, settingsFieldLabel } from './fieldLabels';
import { validateDeploymentSettings } from './schema';

describe('settingsFieldLabel', () => {
  const settings = {
    workerQueues: [{ name: 'default' }, { name: '' }],
    environmentVariables: [{ key: 'API_TOKEN' }],
  };

  it('names fields as the forms label them', () => {
    expect(settingsFieldLabel('settings.schedulerSize')).toBe('Scheduler size');
    expect(settingsFieldLabel('settings.workerGracePeriodSeconds')).toBe(
      'Grace period for running tasks',
    );
    expect(settingsFieldLabel('settings.gitDagBundle.repositoryUrl')).toBe(
      'DAGs from Git, Repository URL',
    );
    expect(settingsFieldLabel('settings.hibernation.schedules[1].wakeAt')).toBe(
      'Hibernation schedule 2, Wake at',
    );
  });

  it('names rows by their queue name or variable key, else by position', () => {
    expect(
      settingsFieldLabel('settings.workerQueues[0].maxWorkers', settings),
    ).toBe('Worker queue default, Maximum workers');
    expect(settingsFieldLabel('settings.workerQueues[1].name', settings)).toBe(
      'Worker queue 2, Queue name',
    );
    expect(
      settingsFieldLabel('settings.environmentVariables[0].value', settings),
    ).toBe('Variable API_TOKEN, Value');
    expect(settingsFieldLabel('settings.environmentVariables[3].key')).toBe(
      'Variable 4, Key',
    );
  });

  it('keeps a path it does not know, without the settings prefix', () => {
    expect(settingsFieldLabel('settings.somethingNew')).toBe('somethingNew');
  });
});

describe('describeSettingsIssues', () => {
  it('words the issues of the shared schema without paths', () => {
    const input = {
      workerQueues: [
        { name: 'default', isDefault: true, minWorkers: 3, maxWorkers: 2 },
      ],
    };
    const result = validateDeploymentSettings(testDeploymentOptions, input);
    expect(result.success).toBe(false);
    const text = describeSettingsIssues(
      result.success ? [] : result.issues,
      input,
    );
    expect(text).toBe(
      'Worker queue default, Maximum workers: must be at least the minimum workers (3)',
    );
    expect(text).not.toContain('settings.');
  });

  it('keeps paths outside the settings', () => {
    expect(
      describeSettingsIssues([{ path: 'name', message: 'is taken' }]),
    ).toBe('name: is taken');
  });
});
