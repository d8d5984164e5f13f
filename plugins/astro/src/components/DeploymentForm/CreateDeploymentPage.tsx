import { FormEvent, useRef, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Cluster,
  DeploymentOptions,
  Workspace,
  describeInvalidDeploymentName,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { AstroContent } from '../common/AstroContent';
import { deploymentBreadcrumbs } from '../common/deploymentBreadcrumbs';
import { invalidSelectProps } from '../common/focusFirstInvalid';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import {
  fieldErrorsOf,
  messageOf,
  statusOf,
  unplacedPartsOf,
} from '../common/errors';
import { DeploymentSettingsFields } from './DeploymentSettingsFields';
import { FormErrorSummary } from './FormErrorSummary';
import {
  FieldErrors,
  SettingsFormValues,
  defaultSettings,
  formValuesOf,
  settingsInputOf,
  validateSettingsForm,
} from './formModel';
import { newIdempotencyKey } from './idempotency';
import { useSubmitFeedback } from './useSubmitFeedback';

interface Identity {
  name: string;
  title: string;
  description: string;
  workspace: string;
  /** Empty: the platform's default cluster. */
  cluster: string;
}

/** Clusters a workspace may use: standard ones and its granted dedicated ones. */
function clustersFor(clusters: Cluster[], workspace?: Workspace) {
  return clusters.filter(
    c =>
      c.type === 'standard' ||
      (workspace?.clusterGrants.includes(c.name) ?? false),
  );
}

function identityErrors(identity: Identity): FieldErrors {
  const errors: FieldErrors = {};
  const nameProblem = describeInvalidDeploymentName(identity.name);
  if (nameProblem) {
    errors.name = nameProblem;
  }
  if (!identity.workspace) {
    errors.workspace = 'must be chosen';
  }
  return errors;
}

/** The create form, once options, workspaces and clusters are loaded. */
export function CreateDeploymentForm(props: {
  organization: string;
  options: DeploymentOptions;
  workspaces: Workspace[];
  clusters: Cluster[];
  initialWorkspace?: string;
}) {
  const { organization, options, workspaces, clusters } = props;
  const astroApi = useApi(astroApiRef);
  const alertApi = useApi(alertApiRef);
  const links = useAstroLinks();
  const navigate = useNavigate();
  const idempotencyKey = useRef(newIdempotencyKey());
  const [identity, setIdentity] = useState<Identity>({
    name: '',
    title: '',
    description: '',
    workspace:
      workspaces.find(w => w.name === props.initialWorkspace)?.name ??
      (workspaces.length === 1 ? workspaces[0].name : ''),
    cluster: '',
  });
  const [values, setValues] = useState<SettingsFormValues>(() =>
    formValuesOf(defaultSettings(options)),
  );
  const [nameTouched, setNameTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  /** What a 400 said beyond its fields; goes with `serverErrors`. */
  const [serverNote, setServerNote] = useState<string>();
  /** A failure that is not about fields (403, 500, no answer). */
  const [submitError, setSubmitError] = useState<string>();

  const validation = validateSettingsForm(options, values);
  const ownErrors = identityErrors(identity);
  const errors: FieldErrors = {
    ...serverErrors,
    ...validation.errors,
    ...(nameTouched || submitted ? ownErrors : {}),
  };
  const feedback = useSubmitFeedback(errors);
  const workspace = workspaces.find(w => w.name === identity.workspace);
  const availableClusters = clustersFor(clusters, workspace);

  const clearServerErrors = () => {
    setServerErrors({});
    setServerNote(undefined);
  };

  const change = (update: Partial<Identity>) => {
    clearServerErrors();
    setIdentity({ ...identity, ...update });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setSubmitError(undefined);
    if (!validation.valid || Object.keys(ownErrors).length > 0) {
      feedback.reportInvalid();
      return;
    }
    setSaving(true);
    try {
      const created = await astroApi.createDeployment({
        path: { org: organization },
        header: { 'Idempotency-Key': idempotencyKey.current },
        body: {
          name: identity.name,
          workspace: identity.workspace,
          cluster: identity.cluster || undefined,
          title: identity.title || undefined,
          description: identity.description || undefined,
          settings: settingsInputOf(values),
        },
      });
      alertApi.post({
        message: `Deployment ${created.name} created; it is being provisioned on its cluster.`,
        severity: 'success',
        display: 'transient',
      });
      navigate(links.deployment(organization, created.name) ?? '/');
    } catch (error) {
      const status = statusOf(error);
      const message = messageOf(error);
      if (status !== undefined) {
        // The backend answered; a new attempt is a new request.
        idempotencyKey.current = newIdempotencyKey();
      }
      const fields =
        status === 409 ? { name: message } : fieldErrorsOf(message);
      if ((status === 400 || status === 409) && Object.keys(fields).length) {
        setServerErrors(fields);
        setServerNote(status === 400 ? unplacedPartsOf(message) : undefined);
        feedback.reportInvalid();
      } else {
        setSubmitError(
          status === 403
            ? `You are not allowed to create Deployments here: ${message}`
            : `The Deployment was not created: ${message}`,
        );
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper>
      <form
        ref={feedback.formRef}
        onSubmit={submit}
        noValidate
        aria-label="Create Deployment"
      >
        <Box p={3}>
          {submitError && (
            <Box mb={2}>
              <Alert severity="error" role="alert">
                {submitError}
              </Alert>
            </Box>
          )}
          {feedback.summaryShown && (
            <FormErrorSummary
              ref={feedback.summaryRef}
              title={
                Object.keys(serverErrors).length > 0
                  ? 'The Deployment was not created'
                  : 'Some fields need fixing'
              }
              errors={errors}
              values={values}
              note={serverNote}
            />
          )}
          <Grid container spacing={3}>
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-deployment-name"
                label="Name"
                required
                fullWidth
                variant="outlined"
                value={identity.name}
                error={Boolean(errors.name)}
                helperText={
                  errors.name ??
                  'Lowercase letters, digits and "-"; cannot be changed later'
                }
                onChange={e => change({ name: e.target.value })}
                onBlur={() => setNameTouched(true)}
              />
            </Grid>
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-deployment-title"
                label="Title"
                fullWidth
                variant="outlined"
                value={identity.title}
                helperText="A display name; the name when empty"
                onChange={e => change({ title: e.target.value })}
              />
            </Grid>
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-deployment-workspace"
                select
                label="Workspace"
                required
                fullWidth
                variant="outlined"
                value={identity.workspace}
                error={Boolean(errors.workspace)}
                helperText={errors.workspace}
                SelectProps={invalidSelectProps(errors.workspace)}
                onChange={e =>
                  change({ workspace: e.target.value, cluster: '' })
                }
              >
                {workspaces.map(w => (
                  <MenuItem key={w.name} value={w.name}>
                    {w.title || w.name}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-deployment-cluster"
                select
                label="Cluster"
                fullWidth
                variant="outlined"
                value={identity.cluster}
                error={Boolean(errors.cluster)}
                helperText={errors.cluster ?? 'Where the Deployment runs'}
                SelectProps={{
                  displayEmpty: true,
                  ...invalidSelectProps(errors.cluster),
                }}
                InputLabelProps={{ shrink: true }}
                onChange={e => change({ cluster: e.target.value })}
              >
                <MenuItem value="">Platform default</MenuItem>
                {availableClusters.map(c => (
                  <MenuItem key={c.name} value={c.name}>
                    {c.title || c.name}
                    {c.driver === 'simulator' ? ' (simulator)' : ''}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12}>
              <TextField
                id="astro-deployment-description"
                label="Description"
                fullWidth
                multiline
                minRows={2}
                variant="outlined"
                value={identity.description}
                onChange={e => change({ description: e.target.value })}
              />
            </Grid>
          </Grid>
          <DeploymentSettingsFields
            values={values}
            onChange={next => {
              clearServerErrors();
              setValues(next);
            }}
            errors={errors}
            options={options}
          />
          <Box mt={4} display="flex" justifyContent="flex-end" gridGap={8}>
            <Button
              onClick={() =>
                navigate(
                  (props.initialWorkspace &&
                    links.workspace(organization, props.initialWorkspace)) ||
                    links.overview() ||
                    '/',
                )
              }
            >
              Cancel
            </Button>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={saving}
            >
              {saving ? 'Creating…' : 'Create Deployment'}
            </Button>
          </Box>
        </Box>
      </form>
    </Paper>
  );
}

/**
 * Creates a Deployment in an organization: a form generated from the
 * backend's deployment options with the defaults filled in.
 */
export function CreateDeploymentPage() {
  const { org = '' } = useParams();
  const [search] = useSearchParams();
  const astroApi = useApi(astroApiRef);
  const links = useAstroLinks();
  const data = useAsyncRetry(async () => {
    const [options, workspaces, clusters] = await Promise.all([
      astroApi.getDeploymentOptions(),
      astroApi.listWorkspaces({ path: { org } }),
      astroApi.listClusters(),
    ]);
    return {
      options,
      workspaces: workspaces.items,
      clusters: clusters.items,
    };
  }, [astroApi, org]);
  const initialWorkspace = search.get('workspace') ?? undefined;

  let body;
  if (data.error) {
    body = (
      <AstroErrorPanel
        error={data.error}
        what="what a new Deployment needs"
        onRetry={data.retry}
      />
    );
  } else if (!data.value) {
    body = <Progress aria-label="Loading the form" />;
  } else {
    body = (
      <CreateDeploymentForm
        organization={org}
        initialWorkspace={initialWorkspace}
        {...data.value}
      />
    );
  }
  return (
    <AstroContent
      title="Create Deployment"
      description="A new Apache Airflow environment; the platform provisions it on its cluster."
      breadcrumbs={deploymentBreadcrumbs(
        links,
        { organization: org, workspace: initialWorkspace },
        'New Deployment',
      )}
    >
      {body}
    </AstroContent>
  );
}
