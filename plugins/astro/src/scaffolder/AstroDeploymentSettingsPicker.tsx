import { useCallback, useEffect, useState } from 'react';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  CustomFieldValidator,
  useTemplateSecrets,
} from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import {
  DeploymentOptions,
  Executor,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../api';
import { EnvironmentVariablesEditor } from '../components/EnvironmentVariables/EnvironmentVariablesEditor';
import { WorkerQueuesEditor } from '../components/DeploymentForm/WorkerQueuesEditor';
import {
  AstroDeploymentSettingsPickerFieldSchema,
  AstroDeploymentSettingsPickerProps,
} from './schemas';
import {
  EXECUTOR_HELP,
  EXECUTOR_LABELS,
  PickerFields,
  SIZE_LABELS,
  defaultQueueRow,
  fieldProblems,
  pickerFieldsOf,
  pickerValueOf,
  problemSummary,
  secretValuesOf,
  valueProblems,
} from './settingsPickerModel';

/**
 * A ref for a container whose fields show their own messages: the
 * browser's bubble for a field outside its `min`/`max` would repeat the
 * message, so it is suppressed and the field focused instead. The step
 * still cannot move on.
 */
function ownValidationMessages(element: HTMLElement | null) {
  let focusing = false;
  element?.addEventListener(
    'invalid',
    event => {
      event.preventDefault();
      // One submit fires an event per invalid field: focus the first.
      if (!focusing) {
        focusing = true;
        (event.target as HTMLElement).focus();
        setTimeout(() => {
          focusing = false;
        });
      }
    },
    true,
  );
}

/** The secret values the picker keeps in the template's secrets, by key. */
function parseSecretValues(text: string | undefined): Record<string, string> {
  try {
    const parsed = text ? JSON.parse(text) : {};
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function PickerFieldsEditor(props: {
  options: DeploymentOptions;
  fields: PickerFields;
  onChange: (fields: PickerFields) => void;
  id: (name: string) => string;
}) {
  const { options, fields, onChange, id } = props;
  const errors = fieldProblems(options, fields);
  const set = (change: Partial<PickerFields>) =>
    onChange({ ...fields, ...change });
  const scheduler = options.schedulerSizes.find(
    s => s.size === fields.schedulerSize,
  );

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <TextField
          id={id('airflowVersion')}
          select
          SelectProps={{ native: true }}
          label="Airflow version"
          value={fields.airflowVersion}
          onChange={e => set({ airflowVersion: String(e.target.value) })}
          error={Boolean(errors['settings.airflowVersion'])}
          helperText={errors['settings.airflowVersion']}
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
              {release.isDefault ? ' (newest, default)' : ''}
              {release.endOfLife ? ' (end of life)' : ''}
              {release.deprecated && !release.endOfLife ? ' (deprecated)' : ''}
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
          value={fields.executor}
          onChange={e => {
            const executor = options.executors.find(
              x => x === e.target.value,
            ) as Executor | undefined;
            if (!executor) {
              return;
            }
            set({
              executor,
              workerQueues:
                executor === 'CELERY' && fields.workerQueues.length === 0
                  ? [
                      defaultQueueRow(
                        options,
                        options.workerQueues.defaultQueueName,
                        true,
                      ),
                    ]
                  : fields.workerQueues,
            });
          }}
          error={Boolean(errors['settings.executor'])}
          helperText={
            errors['settings.executor'] ?? EXECUTOR_HELP[fields.executor]
          }
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
          value={fields.schedulerSize}
          onChange={e => {
            const size = options.schedulerSizes.find(
              x => x.size === e.target.value,
            );
            if (size) {
              set({ schedulerSize: size.size });
            }
          }}
          error={Boolean(errors['settings.schedulerSize'])}
          helperText={
            errors['settings.schedulerSize'] ??
            (scheduler &&
              `${scheduler.cpu} CPU and ${scheduler.memory} memory per scheduler`)
          }
          margin="normal"
          fullWidth
        >
          {options.schedulerSizes.map(size => (
            <option key={size.size} value={size.size}>
              {SIZE_LABELS[size.size] ?? size.size} ({size.cpu} CPU,{' '}
              {size.memory} memory)
            </option>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Switch
              checked={fields.highAvailability}
              onChange={e => set({ highAvailability: e.target.checked })}
            />
          }
          label="High availability (two schedulers)"
        />
      </Grid>
      {fields.executor === 'CELERY' && (
        <Grid item xs={12}>
          <Typography variant="subtitle1" component="h4" gutterBottom>
            Worker queues
          </Typography>
          <WorkerQueuesEditor
            rows={fields.workerQueues}
            onChange={workerQueues => set({ workerQueues })}
            errors={errors}
            options={options}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Typography variant="subtitle1" component="h4" gutterBottom>
          Environment variables
        </Typography>
        <EnvironmentVariablesEditor
          rows={fields.environmentVariables}
          onChange={environmentVariables => set({ environmentVariables })}
          errors={errors}
          pathPrefix="settings.environmentVariables"
          maxVariables={options.limits.maxEnvironmentVariables}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The settings of a new Deployment, as the create form asks for them:
 * Airflow version, executor, scheduler size, high availability, Celery
 * worker queues and environment variables. Every choice, default and range
 * comes from the Astro API's `/deployment-options`. The values of secret
 * variables go to the template's secrets under the field's name (a JSON
 * object by key), never into its parameters; the value holds the settings
 * and the lines the review step shows.
 */
export function AstroDeploymentSettingsPicker(
  props: AstroDeploymentSettingsPickerProps,
) {
  const { onChange, formData, idSchema, schema, name } = props;
  const api = useApi(astroApiRef);
  const { secrets, setSecrets } = useTemplateSecrets();
  const { value: options, error } = useAsync(
    () => api.getDeploymentOptions(),
    [api],
  );
  const [fields, setFields] = useState<PickerFields>();

  const emit = useCallback(
    (loaded: DeploymentOptions, next: PickerFields) => {
      setFields(next);
      onChange(pickerValueOf(loaded, next));
      const values = secretValuesOf(next);
      if (Object.keys(values).length > 0 || secrets[name] !== undefined) {
        setSecrets({ [name]: JSON.stringify(values) });
      }
    },
    [onChange, setSecrets, secrets, name],
  );

  useEffect(() => {
    if (options && !fields) {
      emit(
        options,
        pickerFieldsOf(
          options,
          formData?.settings,
          parseSecretValues(secrets[name]),
        ),
      );
    }
  }, [options, fields, formData, secrets, name, emit]);

  if (error) {
    return (
      <Typography color="error">
        Could not load the Deployment options: {error.message}
      </Typography>
    );
  }
  if (!options || !fields) {
    return <Typography>Loading the Deployment options…</Typography>;
  }

  return (
    <div ref={ownValidationMessages}>
      {schema.title && (
        <Typography variant="h6" component="h3">
          {schema.title}
        </Typography>
      )}
      {schema.description && (
        <Typography variant="body2">{schema.description}</Typography>
      )}
      <PickerFieldsEditor
        options={options}
        fields={fields}
        onChange={next => emit(options, next)}
        id={part => `${idSchema?.$id ?? name}-${part}`}
      />
    </div>
  );
}

/**
 * Checks the settings with the platform's rules when the user moves on.
 * Each field shows its own message; the step's error list gets one line
 * naming the fields to fix.
 */
export const astroDeploymentSettingsPickerValidation: CustomFieldValidator<
  typeof AstroDeploymentSettingsPickerFieldSchema.TOutput,
  typeof AstroDeploymentSettingsPickerFieldSchema.uiOptionsType
> = async (value, validation, context) => {
  const api = context.apiHolder.get(astroApiRef);
  if (!api) {
    return;
  }
  const summary = problemSummary(
    valueProblems(await api.getDeploymentOptions(), value),
    value?.settings,
  );
  if (summary) {
    validation.addError(summary);
  }
};
