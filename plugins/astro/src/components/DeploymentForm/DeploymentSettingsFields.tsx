import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import {
  DeploymentOptions,
  RuntimeRelease,
  Executor,
  HibernationState,
  SchedulerSize,
} from '@airflow-portal/plugin-astro-common';
import { invalidSelectProps } from '../common/focusFirstInvalid';
import { EnvironmentVariablesEditor } from '../EnvironmentVariables/EnvironmentVariablesEditor';
import { WorkerQueuesEditor } from './WorkerQueuesEditor';
import { GitDagBundleSection } from './GitDagBundleSection';
import { HibernationSchedulesEditor } from './HibernationSchedulesEditor';
import { ResourcesSection } from './ResourcesSection';
import { Section } from './Section';
import {
  FieldErrors,
  SettingsFormValues,
  errorWithin,
  newRowId,
} from './formModel';

const EXECUTOR_TEXT: Record<Executor, { label: string; help: string }> = {
  CELERY: {
    label: 'Celery',
    help: 'Tasks run on worker queues that scale with the number of queued tasks.',
  },
  KUBERNETES: {
    label: 'Kubernetes',
    help: 'Every task runs in its own pod; no workers wait idle.',
  },
};

const SIZE_LABEL: Record<SchedulerSize, string> = {
  SMALL: 'Small',
  MEDIUM: 'Medium',
  LARGE: 'Large',
  EXTRA_LARGE: 'Extra large',
};

/** The first problem with the contact emails, naming the address. */
function contactEmailsError(
  errors: FieldErrors,
  text: string,
): string | undefined {
  const addresses = text.split(/[\s,;]+/).filter(a => a !== '');
  const nested = errorWithin(errors, 'settings.contactEmails');
  const match = nested && /^\[(\d+)\]: (.*)$/.exec(nested);
  return match ? `"${addresses[Number(match[1])]}" ${match[2]}` : nested;
}

function hours(seconds: string) {
  const value = Number(seconds);
  return Number.isFinite(value) && seconds.trim() !== ''
    ? ` (${Math.round((value / 3600) * 10) / 10} h)`
    : '';
}

/** How the version picker marks a release: default, deprecated, end of life. */
function releaseNote(release: RuntimeRelease): string {
  if (release.endOfLife) {
    return ' (end of life)';
  }
  if (release.deprecated) {
    return release.isDefault ? ' (default, deprecated)' : ' (deprecated)';
  }
  return release.isDefault ? ' (newest, default)' : '';
}

/** The image of the chosen release and, when deprecated, since when. */
function releaseHelp(release: RuntimeRelease): string {
  const image = `Image ${release.image}`;
  if (release.endOfLife) {
    return `${image}. Past end of life: it keeps running, but choose a newer version.`;
  }
  if (release.deprecated) {
    return `${image}. Deprecated${
      release.deprecatedSince ? ` since ${release.deprecatedSince}` : ''
    }: plan an upgrade.`;
  }
  return image;
}

/**
 * The settings part of the create and edit forms, generated from the
 * deployment options: choices, ranges and defaults all come from the
 * backend.
 */
export function DeploymentSettingsFields(props: {
  values: SettingsFormValues;
  onChange: (values: SettingsFormValues) => void;
  errors: FieldErrors;
  options: DeploymentOptions;
  /** The Airflow version the Deployment runs now (edit form); it stays selectable at end of life. */
  currentAirflowVersion?: string;
  /** The backend's hibernation plan of the saved settings, when editing. */
  hibernation?: HibernationState;
}) {
  const {
    values,
    onChange,
    errors,
    options,
    currentAirflowVersion,
    hibernation,
  } = props;
  const set = <K extends keyof SettingsFormValues>(
    key: K,
    value: SettingsFormValues[K],
  ) => onChange({ ...values, [key]: value });
  const scheduler = options.schedulerSizes.find(
    s => s.size === values.schedulerSize,
  );
  const release = options.runtimeReleases.find(
    r => r.airflowVersion === values.airflowVersion,
  );
  const grace = options.workerGracePeriodSeconds;
  const emailsError = contactEmailsError(errors, values.contactEmails);

  const setExecutor = (executor: Executor) => {
    let queues = values.workerQueues;
    if (executor === 'CELERY' && queues.length === 0) {
      const limits = options.workerQueues;
      queues = [
        {
          id: newRowId(),
          name: limits.defaultQueueName,
          isDefault: true,
          workerSize: limits.defaultWorkerMachine,
          minWorkers: String(limits.minWorkers.default),
          maxWorkers: String(limits.maxWorkers.default),
          concurrency: '',
        },
      ];
    }
    onChange({ ...values, executor, workerQueues: queues });
  };

  return (
    <>
      <Section title="Airflow">
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            <TextField
              id="astro-airflow-version"
              select
              fullWidth
              variant="outlined"
              label="Airflow version"
              value={values.airflowVersion}
              error={Boolean(errors['settings.airflowVersion'])}
              SelectProps={invalidSelectProps(
                errors['settings.airflowVersion'],
              )}
              helperText={
                errors['settings.airflowVersion'] ??
                (release ? releaseHelp(release) : undefined)
              }
              onChange={e => set('airflowVersion', e.target.value)}
            >
              {options.runtimeReleases.map(r => (
                <MenuItem
                  key={r.airflowVersion}
                  value={r.airflowVersion}
                  // End of life: only a Deployment already on it keeps it.
                  disabled={
                    r.endOfLife && r.airflowVersion !== currentAirflowVersion
                  }
                >
                  {r.airflowVersion}
                  {releaseNote(r)}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} md={6}>
            <FormControl
              component="fieldset"
              error={Boolean(errors['settings.executor'])}
            >
              <FormLabel component="legend">Executor</FormLabel>
              <RadioGroup
                row
                aria-label="Executor"
                name="executor"
                value={values.executor}
                onChange={e => setExecutor(e.target.value as Executor)}
              >
                {options.executors.map(executor => (
                  <FormControlLabel
                    key={executor}
                    value={executor}
                    control={<Radio />}
                    label={EXECUTOR_TEXT[executor]?.label ?? executor}
                  />
                ))}
              </RadioGroup>
              <FormHelperText>
                {errors['settings.executor'] ??
                  EXECUTOR_TEXT[values.executor]?.help}
              </FormHelperText>
            </FormControl>
          </Grid>
        </Grid>
      </Section>

      <Section title="Scheduler">
        <Grid container spacing={3} alignItems="center">
          <Grid item xs={12} md={6}>
            <TextField
              id="astro-scheduler-size"
              select
              fullWidth
              variant="outlined"
              label="Scheduler size"
              value={values.schedulerSize}
              error={Boolean(errors['settings.schedulerSize'])}
              SelectProps={invalidSelectProps(errors['settings.schedulerSize'])}
              helperText={
                errors['settings.schedulerSize'] ??
                (scheduler &&
                  `${scheduler.cpu} CPU and ${scheduler.memory} memory per scheduler`)
              }
              onChange={e =>
                set('schedulerSize', e.target.value as SchedulerSize)
              }
            >
              {options.schedulerSizes.map(s => (
                <MenuItem key={s.size} value={s.size}>
                  {SIZE_LABEL[s.size] ?? s.size} ({s.cpu} CPU, {s.memory}{' '}
                  memory)
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} md={6}>
            <FormControlLabel
              control={
                <Switch
                  checked={values.highAvailability}
                  onChange={e => set('highAvailability', e.target.checked)}
                />
              }
              label="High availability (two schedulers)"
            />
          </Grid>
        </Grid>
      </Section>

      {values.executor === 'CELERY' && (
        <Section title="Worker queues">
          <WorkerQueuesEditor
            rows={values.workerQueues}
            onChange={rows => set('workerQueues', rows)}
            errors={errors}
            options={options}
          />
        </Section>
      )}

      <Section title="Workers">
        <TextField
          id="astro-grace-period"
          label="Grace period for running tasks (seconds)"
          type="number"
          variant="outlined"
          inputProps={{ min: grace.floor, max: grace.ceiling }}
          value={values.workerGracePeriodSeconds}
          error={Boolean(errors['settings.workerGracePeriodSeconds'])}
          helperText={
            errors['settings.workerGracePeriodSeconds'] ??
            `How long a stopping worker lets its tasks finish${hours(
              values.workerGracePeriodSeconds,
            )}; ${grace.floor}–${grace.ceiling}, default ${grace.default}`
          }
          onChange={e => set('workerGracePeriodSeconds', e.target.value)}
        />
        <FormControl
          fullWidth
          margin="normal"
          error={Boolean(errors['settings.kubernetesPodOperator'])}
        >
          <FormControlLabel
            control={
              <Switch
                checked={values.kubernetesPodOperator}
                onChange={e => set('kubernetesPodOperator', e.target.checked)}
                inputProps={{ 'aria-describedby': 'astro-kpo-help' }}
              />
            }
            label="Tasks may launch pods (KubernetesPodOperator)"
          />
          <FormHelperText id="astro-kpo-help">
            {errors['settings.kubernetesPodOperator'] ??
              'When on, workers and task pods get a Kubernetes token allowed to create, watch and delete pods in the Deployment namespace. Off, they have no Kubernetes API access.'}
          </FormHelperText>
        </FormControl>
      </Section>

      <ResourcesSection
        resourceQuota={values.resourceQuota}
        defaultTaskPodSize={values.defaultTaskPodSize}
        onChange={set}
        errors={errors}
        options={options}
      />

      <Section title="Environment variables">
        <EnvironmentVariablesEditor
          rows={values.environmentVariables}
          onChange={rows => set('environmentVariables', rows)}
          errors={errors}
          pathPrefix="settings.environmentVariables"
          maxVariables={options.limits.maxEnvironmentVariables}
        />
      </Section>

      <Section title="Deploys">
        <FormControl error={Boolean(errors['settings.isCicdEnforced'])}>
          <FormControlLabel
            control={
              <Switch
                checked={values.isCicdEnforced}
                onChange={e => set('isCicdEnforced', e.target.checked)}
                inputProps={{ 'aria-describedby': 'astro-cicd-help' }}
              />
            }
            label="Deploys only from CI/CD"
          />
          <FormHelperText id="astro-cicd-help">
            {errors['settings.isCicdEnforced'] ??
              'When on, the platform accepts deploys made with an API token only: people cannot deploy from the portal or with their own CLI login, so every change goes through your pipeline.'}
          </FormHelperText>
        </FormControl>
      </Section>

      <GitDagBundleSection
        fields={values.gitDagBundle}
        onChange={gitDagBundle => set('gitDagBundle', gitDagBundle)}
        errors={errors}
        variables={values.environmentVariables}
        airflowVersion={values.airflowVersion}
      />

      <Section title="Hibernation">
        <HibernationSchedulesEditor
          rows={values.hibernationSchedules}
          onChange={rows => set('hibernationSchedules', rows)}
          errors={errors}
          maxSchedules={options.limits.maxHibernationSchedules}
          state={hibernation}
        />
      </Section>

      <Section title="Contacts">
        <TextField
          id="astro-contact-emails"
          label="Contact emails"
          fullWidth
          variant="outlined"
          value={values.contactEmails}
          error={Boolean(emailsError)}
          helperText={
            emailsError ??
            `Who hears about incidents; separate addresses with commas (at most ${options.limits.maxContactEmails})`
          }
          onChange={e => set('contactEmails', e.target.value)}
        />
      </Section>
    </>
  );
}
