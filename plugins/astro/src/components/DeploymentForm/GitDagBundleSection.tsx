import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { invalidSelectProps } from '../common/focusFirstInvalid';
import { Section } from './Section';
import {
  FieldErrors,
  GitDagBundleFields,
  VariableRow,
  secretVariableKeys,
} from './formModel';

const PATH = 'settings.gitDagBundle';
const NO_CREDENTIALS = '';

/** Whether an Airflow version reads DAG bundles from Git (Airflow 3 does). */
function readsGitBundles(airflowVersion: string): boolean {
  const major = Number(airflowVersion.split('.')[0]);
  return !Number.isFinite(major) || major >= 3;
}

/**
 * The optional Git DAG bundle of the settings form: the repository, the
 * branch or tag and the folder the Deployment takes its DAGs from, and the
 * secret variable holding the credentials to clone with. The credentials
 * are chosen among the form's own secret variables, so the choice follows
 * what the variables editor above holds.
 */
export function GitDagBundleSection(props: {
  fields: GitDagBundleFields;
  onChange: (fields: GitDagBundleFields) => void;
  errors: FieldErrors;
  variables: VariableRow[];
  airflowVersion: string;
}) {
  const { fields, onChange, errors, variables, airflowVersion } = props;
  const set = <K extends keyof GitDagBundleFields>(
    key: K,
    value: GitDagBundleFields[K],
  ) => onChange({ ...fields, [key]: value });
  const secrets = secretVariableKeys(variables);
  // A chosen variable that is no longer a secret stays listed, so that the
  // schema's message about it shows at the field.
  const choices =
    fields.credentialsVariable && !secrets.includes(fields.credentialsVariable)
      ? [...secrets, fields.credentialsVariable]
      : secrets;
  const error = (field: string) => errors[`${PATH}.${field}`];

  return (
    <Section title="DAGs from Git">
      <FormControlLabel
        control={
          <Switch
            checked={fields.enabled}
            onChange={e => set('enabled', e.target.checked)}
            inputProps={{ 'aria-describedby': 'astro-git-help' }}
          />
        }
        label="Take the DAGs from a Git repository"
      />
      <FormHelperText id="astro-git-help">
        {errors[PATH] ??
          'Airflow reads the DAGs from a branch or tag of the repository instead of from DAG deploys; while it does, DAG deploys are refused (image deploys still work).'}
      </FormHelperText>
      {fields.enabled && (
        <>
          {!readsGitBundles(airflowVersion) && (
            <Alert severity="warning" style={{ marginTop: 16 }}>
              Airflow {airflowVersion} cannot read DAGs from Git: DAG bundles
              are an Airflow 3 feature. Choose Airflow 3 above.
            </Alert>
          )}
          <Grid container spacing={3} style={{ marginTop: 8 }}>
            <Grid item xs={12}>
              <TextField
                id="astro-git-repository-url"
                label="Repository URL"
                required
                fullWidth
                variant="outlined"
                placeholder="https://github.com/acme/airflow-dags.git"
                value={fields.repositoryUrl}
                error={Boolean(error('repositoryUrl'))}
                helperText={
                  error('repositoryUrl') ??
                  'HTTPS (https://…) or SSH (ssh://… or git@…)'
                }
                onChange={e => set('repositoryUrl', e.target.value)}
              />
            </Grid>
            <Grid item xs={12} md={4}>
              <TextField
                id="astro-git-ref"
                label="Branch or tag"
                fullWidth
                variant="outlined"
                value={fields.ref}
                error={Boolean(error('ref'))}
                helperText={error('ref') ?? 'Airflow follows its latest commit'}
                onChange={e => set('ref', e.target.value)}
              />
            </Grid>
            <Grid item xs={12} md={4}>
              <TextField
                id="astro-git-subdirectory"
                label="Folder of the DAGs"
                fullWidth
                variant="outlined"
                placeholder="dags"
                value={fields.subdirectory}
                error={Boolean(error('subdirectory'))}
                helperText={
                  error('subdirectory') ??
                  'Relative to the repository; empty for its root'
                }
                onChange={e => set('subdirectory', e.target.value)}
              />
            </Grid>
            <Grid item xs={12} md={4}>
              <TextField
                id="astro-git-credentials"
                select
                fullWidth
                variant="outlined"
                label="Credentials"
                value={fields.credentialsVariable}
                error={Boolean(error('credentialsVariable'))}
                SelectProps={invalidSelectProps(error('credentialsVariable'))}
                helperText={
                  error('credentialsVariable') ??
                  (secrets.length === 0
                    ? 'A private repository needs a secret variable (above) holding a token or SSH key'
                    : 'The secret variable holding a token (HTTPS) or private key (SSH)')
                }
                onChange={e => set('credentialsVariable', e.target.value)}
              >
                <MenuItem value={NO_CREDENTIALS}>
                  None (public repository)
                </MenuItem>
                {choices.map(key => (
                  <MenuItem key={key} value={key}>
                    {key}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
          </Grid>
        </>
      )}
    </Section>
  );
}
