import { useEffect } from 'react';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import {
  DeploymentOptions,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';
import {
  AstroDeploymentSettingsPickerFieldSchema,
  AstroDeploymentSettingsPickerProps,
  AstroDeploymentSettingsValue,
} from './schemas';

const EXECUTOR_LABELS: Record<string, string> = {
  CELERY: 'Celery: workers scale with queued tasks',
  KUBERNETES: 'Kubernetes: one pod per task',
};

const SIZE_LABELS: Record<string, string> = {
  SMALL: 'Small',
  MEDIUM: 'Medium',
  LARGE: 'Large',
  EXTRA_LARGE: 'Extra large',
};

/** The settings of a new Deployment with every default of the platform. */
export function defaultSettings(
  options: DeploymentOptions,
): AstroDeploymentSettingsValue {
  const release =
    options.runtimeReleases.find(r => r.isDefault) ??
    options.runtimeReleases[0];
  return {
    airflowVersion: release?.airflowVersion ?? '',
    executor: options.defaultExecutor,
    schedulerSize: options.defaultSchedulerSize,
    workerQueues:
      options.defaultExecutor === 'CELERY' ? [defaultQueue(options)] : [],
  };
}

function defaultQueue(options: DeploymentOptions) {
  const queues = options.workerQueues;
  return {
    name: queues.defaultQueueName,
    isDefault: true,
    workerSize: queues.defaultWorkerMachine,
    minWorkers: queues.minWorkers.default,
    maxWorkers: queues.maxWorkers.default,
  };
}

/** Problems of the settings by field path, as the backend would name them. */
export function settingsProblems(
  options: DeploymentOptions,
  value: AstroDeploymentSettingsValue | undefined,
): Record<string, string> {
  const result = validateDeploymentSettings(options, value ?? {});
  if (result.success) {
    return {};
  }
  return Object.fromEntries(result.issues.map(i => [i.path, i.message]));
}

/**
 * The settings of a new Deployment: Airflow version, executor, scheduler
 * size and the worker bounds of its default queue. Every choice, default and
 * range comes from the Astro API's `/deployment-options`.
 */
export function AstroDeploymentSettingsPicker(
  props: AstroDeploymentSettingsPickerProps,
) {
  const { onChange, formData, idSchema, schema } = props;
  const api = useApi(astroApiRef);
  const { value: options, error } = useAsync(
    () => api.getDeploymentOptions(),
    [api],
  );

  useEffect(() => {
    if (options && !formData?.airflowVersion) {
      onChange(defaultSettings(options));
    }
  }, [options, formData?.airflowVersion, onChange]);

  if (error) {
    return (
      <Typography color="error">
        Could not load the Deployment options: {error.message}
      </Typography>
    );
  }
  if (!options || !formData?.airflowVersion) {
    return <Typography>Loading the Deployment options…</Typography>;
  }

  const value = formData;
  const problems = settingsProblems(options, value);
  const queue = value.workerQueues?.[0] ?? defaultQueue(options);
  const id = (name: string) => `${idSchema?.$id ?? 'settings'}-${name}`;
  const set = (change: Partial<AstroDeploymentSettingsValue>) =>
    onChange({ ...value, ...change });
  const setQueue = (change: Partial<typeof queue>) =>
    set({ workerQueues: [{ ...queue, ...change }] });
  const bounds = options.workerQueues;
  const problem = (path: string) => problems[`settings.${path}`];

  return (
    <>
      {schema.title && (
        <Typography variant="h6" component="h3">
          {schema.title}
        </Typography>
      )}
      {schema.description && (
        <Typography variant="body2">{schema.description}</Typography>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <TextField
            id={id('airflowVersion')}
            select
            SelectProps={{ native: true }}
            label="Airflow version"
            value={value.airflowVersion}
            onChange={e => set({ airflowVersion: String(e.target.value) })}
            error={!!problem('airflowVersion')}
            helperText={problem('airflowVersion')}
            margin="normal"
            fullWidth
          >
            {options.runtimeReleases.map(release => (
              <option
                key={release.airflowVersion}
                value={release.airflowVersion}
                // New Deployments cannot choose an end-of-life release.
                disabled={release.endOfLife}
              >
                {release.airflowVersion}
                {release.isDefault ? ' (default)' : ''}
                {release.endOfLife ? ' (end of life)' : ''}
                {release.deprecated && !release.endOfLife
                  ? ' (deprecated)'
                  : ''}
              </option>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={4}>
          <TextField
            id={id('executor')}
            select
            SelectProps={{ native: true }}
            label="Executor"
            value={value.executor}
            onChange={e => {
              const executor = options.executors.find(
                x => x === e.target.value,
              );
              if (!executor) {
                return;
              }
              set({
                executor,
                workerQueues:
                  executor === 'CELERY' ? [defaultQueue(options)] : [],
              });
            }}
            error={!!problem('executor')}
            helperText={problem('executor')}
            margin="normal"
            fullWidth
          >
            {options.executors.map(executor => (
              <option key={executor} value={executor}>
                {EXECUTOR_LABELS[executor] ?? executor}
              </option>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={4}>
          <TextField
            id={id('schedulerSize')}
            select
            SelectProps={{ native: true }}
            label="Scheduler size"
            value={value.schedulerSize}
            onChange={e => {
              const size = options.schedulerSizes.find(
                x => x.size === e.target.value,
              );
              if (size) {
                set({ schedulerSize: size.size });
              }
            }}
            error={!!problem('schedulerSize')}
            helperText={problem('schedulerSize')}
            margin="normal"
            fullWidth
          >
            {options.schedulerSizes.map(size => (
              <option key={size.size} value={size.size}>
                {SIZE_LABELS[size.size] ?? size.size} ({size.cpu} CPU,{' '}
                {size.memory})
              </option>
            ))}
          </TextField>
        </Grid>
        {value.executor === 'CELERY' && (
          <>
            <Grid item xs={12} md={4}>
              <TextField
                id={id('workerSize')}
                select
                SelectProps={{ native: true }}
                label="Worker type"
                value={queue.workerSize}
                onChange={e => setQueue({ workerSize: String(e.target.value) })}
                margin="normal"
                fullWidth
              >
                {options.workerMachines.map(machine => (
                  <option key={machine.name} value={machine.name}>
                    {machine.name} ({machine.cpu} CPU, {machine.memory})
                  </option>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={6} md={4}>
              <TextField
                id={id('minWorkers')}
                type="number"
                label="Minimum workers"
                value={queue.minWorkers}
                inputProps={{
                  min: bounds.minWorkers.floor,
                  max: bounds.minWorkers.ceiling,
                }}
                onChange={e => setQueue({ minWorkers: Number(e.target.value) })}
                error={!!problem('workerQueues[0].minWorkers')}
                helperText={
                  problem('workerQueues[0].minWorkers') ??
                  `${bounds.minWorkers.floor} to ${bounds.minWorkers.ceiling}`
                }
                margin="normal"
                fullWidth
              />
            </Grid>
            <Grid item xs={6} md={4}>
              <TextField
                id={id('maxWorkers')}
                type="number"
                label="Maximum workers"
                value={queue.maxWorkers}
                inputProps={{
                  min: bounds.maxWorkers.floor,
                  max: bounds.maxWorkers.ceiling,
                }}
                onChange={e => setQueue({ maxWorkers: Number(e.target.value) })}
                error={!!problem('workerQueues[0].maxWorkers')}
                helperText={
                  problem('workerQueues[0].maxWorkers') ??
                  problem('workerQueues[0]') ??
                  `${bounds.maxWorkers.floor} to ${bounds.maxWorkers.ceiling}`
                }
                margin="normal"
                fullWidth
              />
            </Grid>
          </>
        )}
      </Grid>
    </>
  );
}

/** Checks the settings with the platform's rules when the user moves on. */
export const astroDeploymentSettingsPickerValidation: CustomFieldValidator<
  AstroDeploymentSettingsValue,
  typeof AstroDeploymentSettingsPickerFieldSchema.uiOptionsType
> = async (value, validation, context) => {
  const api = context.apiHolder.get(astroApiRef);
  if (!api) {
    return;
  }
  const problems = settingsProblems(await api.getDeploymentOptions(), value);
  for (const [path, message] of Object.entries(problems)) {
    validation.addError(`${path.replace(/^settings\./, '')}: ${message}`);
  }
};
