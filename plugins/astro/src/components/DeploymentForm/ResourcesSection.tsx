import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { DeploymentOptions } from '@airflow-portal/plugin-astro-common';
import { Section } from './Section';
import { FieldErrors, ResourceFields } from './formModel';

type Range = DeploymentOptions['resourceQuota'];

/** One CPU and memory pair: a row of two fields with the option's range. */
function ResourceRow(props: {
  id: string;
  path: string;
  noun: string;
  fields: ResourceFields;
  range: Range;
  errors: FieldErrors;
  onChange: (fields: ResourceFields) => void;
}) {
  const { id, path, noun, fields, range, errors, onChange } = props;
  const cpuError = errors[`${path}.cpu`];
  const memoryError = errors[`${path}.memory`];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <TextField
          id={`${id}-cpu`}
          label={`${noun} CPU`}
          fullWidth
          variant="outlined"
          value={fields.cpu}
          inputProps={{ spellCheck: false }}
          error={Boolean(cpuError)}
          helperText={
            cpuError ??
            `Cores or millicores, e.g. 2 or 500m; default ${range.default.cpu}, at most ${range.max.cpu}`
          }
          onChange={e => onChange({ ...fields, cpu: e.target.value })}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <TextField
          id={`${id}-memory`}
          label={`${noun} memory`}
          fullWidth
          variant="outlined"
          value={fields.memory}
          inputProps={{ spellCheck: false }}
          error={Boolean(memoryError)}
          helperText={
            memoryError ??
            `A Kubernetes quantity, e.g. 4Gi or 512Mi; default ${range.default.memory}, at most ${range.max.memory}`
          }
          onChange={e => onChange({ ...fields, memory: e.target.value })}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The namespace quota and the default size of task pods. Defaults and
 * maxima come from the deployment options; whether the quota holds the
 * rest of the settings at full scale only the backend knows, and its
 * answer shows at the quota fields.
 */
export function ResourcesSection(props: {
  resourceQuota: ResourceFields;
  defaultTaskPodSize: ResourceFields;
  onChange: (
    key: 'resourceQuota' | 'defaultTaskPodSize',
    fields: ResourceFields,
  ) => void;
  errors: FieldErrors;
  options: DeploymentOptions;
}) {
  const { resourceQuota, defaultTaskPodSize, onChange, errors, options } =
    props;
  return (
    <Section title="Resources">
      <Typography variant="body2" color="textSecondary" paragraph>
        The quota caps what all pods of the Deployment may use together, workers
        at their maximum and rollouts included; settings that need more are
        refused when saved.
      </Typography>
      <ResourceRow
        id="astro-quota"
        path="settings.resourceQuota"
        noun="Quota"
        fields={resourceQuota}
        range={options.resourceQuota}
        errors={errors}
        onChange={fields => onChange('resourceQuota', fields)}
      />
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ marginTop: 24 }}
        paragraph
      >
        Task pods (Kubernetes executor) and containers that ask for nothing get
        this size.
      </Typography>
      <ResourceRow
        id="astro-task-pod"
        path="settings.defaultTaskPodSize"
        noun="Task pod"
        fields={defaultTaskPodSize}
        range={options.defaultTaskPodSize}
        errors={errors}
        onChange={fields => onChange('defaultTaskPodSize', fields)}
      />
    </Section>
  );
}
