import { FormEvent, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Deployment,
  DeploymentOptions,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { deploymentBreadcrumbs } from '../common/deploymentBreadcrumbs';
import {
  fieldErrorsOf,
  messageOf,
  statusOf,
  unplacedPartsOf,
} from '../common/errors';
import { ChangePreviewDialog } from './ChangePreviewDialog';
import { DeploymentSettingsFields } from './DeploymentSettingsFields';
import { FormErrorSummary } from './FormErrorSummary';
import { FieldChange, diffDeployment } from './diff';
import {
  FieldErrors,
  SettingsFormValues,
  formValuesOf,
  settingsInputOf,
  validateSettingsForm,
} from './formModel';
import { useSubmitFeedback } from './useSubmitFeedback';

/**
 * The edit form of one Deployment as read at `deployment.version`. Saving
 * sends that version, so a change someone else made meanwhile is reported
 * (409) instead of overwritten.
 */
export function EditDeploymentForm(props: {
  deployment: Deployment;
  options: DeploymentOptions;
  onReload: () => void;
}) {
  const { deployment, options, onReload } = props;
  const astroApi = useApi(astroApiRef);
  const alertApi = useApi(alertApiRef);
  const links = useAstroLinks();
  const navigate = useNavigate();
  const [title, setTitle] = useState(deployment.title);
  const [description, setDescription] = useState(deployment.description);
  const [values, setValues] = useState<SettingsFormValues>(() =>
    formValuesOf(deployment.settings),
  );
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  /** What a 400 said beyond its fields; goes with `serverErrors`. */
  const [serverNote, setServerNote] = useState<string>();
  /** A failure that is not about fields (403, 500, no answer). */
  const [submitError, setSubmitError] = useState<string>();
  const [conflict, setConflict] = useState<string>();
  const [preview, setPreview] = useState<FieldChange[]>();
  const [saving, setSaving] = useState(false);

  const validation = validateSettingsForm(options, values, deployment.settings);
  const errors = { ...serverErrors, ...validation.errors };
  const feedback = useSubmitFeedback(errors);
  const deploymentPage = links.deployment(
    deployment.organization,
    deployment.name,
  );

  const review = (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(undefined);
    if (!validation.valid) {
      feedback.reportInvalid();
      return;
    }
    setPreview(
      diffDeployment(
        {
          title: deployment.title,
          description: deployment.description,
          settings: deployment.settings,
        },
        { title, description, settings: validation.settings },
        values.environmentVariables,
      ),
    );
  };

  const save = async () => {
    setSaving(true);
    try {
      await astroApi.updateDeployment({
        path: { org: deployment.organization, dep: deployment.name },
        body: {
          title,
          description,
          settings: settingsInputOf(values),
          version: deployment.version,
        },
      });
      alertApi.post({
        message: `Settings of ${deployment.name} saved; the change is being rolled out.`,
        severity: 'success',
        display: 'transient',
      });
      navigate(deploymentPage ?? '/');
    } catch (error) {
      const status = statusOf(error);
      const message = messageOf(error);
      setPreview(undefined);
      if (status === 409) {
        setConflict(message);
      } else if (status === 400 && Object.keys(fieldErrorsOf(message)).length) {
        setServerErrors(fieldErrorsOf(message));
        setServerNote(unplacedPartsOf(message));
        feedback.reportInvalid();
      } else if (status === 403) {
        setSubmitError(
          `You are not allowed to change this Deployment: ${message}`,
        );
      } else {
        setSubmitError(`The change was not saved: ${message}`);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper>
      <form
        ref={feedback.formRef}
        onSubmit={review}
        noValidate
        aria-label="Edit Deployment"
      >
        <Box p={3}>
          {conflict && (
            <Box mb={2}>
              <Alert
                severity="warning"
                role="alert"
                action={
                  <Button color="inherit" size="small" onClick={onReload}>
                    Reload
                  </Button>
                }
              >
                <AlertTitle>Changed by someone else</AlertTitle>
                This Deployment was changed by someone else after you opened it,
                so your change was not saved ({conflict}). Reload to see the
                current settings, then make your change again; reloading
                discards your edits.
              </Alert>
            </Box>
          )}
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
                  ? 'The change was not saved'
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
                id="astro-deployment-title"
                label="Title"
                fullWidth
                variant="outlined"
                value={title}
                onChange={e => setTitle(e.target.value)}
              />
            </Grid>
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-deployment-description"
                label="Description"
                fullWidth
                variant="outlined"
                value={description}
                onChange={e => setDescription(e.target.value)}
              />
            </Grid>
          </Grid>
          <DeploymentSettingsFields
            values={values}
            onChange={next => {
              setServerErrors({});
              setServerNote(undefined);
              setValues(next);
            }}
            errors={errors}
            options={options}
            currentAirflowVersion={deployment.settings.airflowVersion}
            hibernation={deployment.hibernation}
          />
          <Box mt={4} display="flex" justifyContent="flex-end" gridGap={8}>
            {deploymentPage && (
              <Button onClick={() => navigate(deploymentPage)}>Cancel</Button>
            )}
            <Button type="submit" variant="contained" color="primary">
              Review changes
            </Button>
          </Box>
        </Box>
      </form>
      <ChangePreviewDialog
        open={preview !== undefined}
        changes={preview ?? []}
        saving={saving}
        onCancel={() => setPreview(undefined)}
        onConfirm={save}
      />
    </Paper>
  );
}

/** Changes a Deployment's settings, with a preview and conflict detection. */
export function EditDeploymentPage() {
  const { org = '', dep = '' } = useParams();
  const astroApi = useApi(astroApiRef);
  const links = useAstroLinks();
  const data = useAsyncRetry(async () => {
    const [options, deployment] = await Promise.all([
      astroApi.getDeploymentOptions(),
      astroApi.getDeployment({ path: { org, dep } }),
    ]);
    return { options, deployment };
  }, [astroApi, org, dep]);

  let body;
  if (data.error) {
    body = (
      <AstroErrorPanel
        error={data.error}
        what={`Deployment ${dep}`}
        onRetry={data.retry}
      />
    );
  } else if (!data.value) {
    body = <Progress aria-label="Loading the Deployment" />;
  } else {
    body = (
      <EditDeploymentForm
        // A reload starts the form again from the current version.
        key={data.value.deployment.version}
        deployment={data.value.deployment}
        options={data.value.options}
        onReload={data.retry}
      />
    );
  }
  return (
    <AstroContent
      title={`Edit ${data.value?.deployment.title || dep}`}
      breadcrumbs={deploymentBreadcrumbs(
        links,
        {
          organization: org,
          workspace: data.value?.deployment.workspace,
          deployment: dep,
        },
        'Edit settings',
      )}
    >
      {body}
    </AstroContent>
  );
}
