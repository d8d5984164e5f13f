import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Deployment,
  DeploymentOptions,
  EnvironmentVariable,
  astroDeploymentVariablesUpdatePermission,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  useAstroPermission,
  deploymentResourceRef,
} from '../../hooks/useAstroPermission';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { fieldErrorsOf, messageOf, statusOf } from '../common/errors';
import {
  FieldErrors,
  VariableRow,
  newSecretErrors,
  variableRowsOf,
  variablesInputOf,
} from '../DeploymentForm/formModel';
import { EnvironmentVariablesEditor } from './EnvironmentVariablesEditor';

/** Variables are validated at this path, as the variables endpoint does. */
const PATH = 'environmentVariables';

/**
 * Checks variables with the shared schema the way `PUT …/variables` does:
 * the Deployment's settings with these variables in place.
 */
export function validateVariables(
  options: DeploymentOptions,
  deployment: Deployment,
  rows: VariableRow[],
): FieldErrors {
  const errors = newSecretErrors(rows, PATH);
  const result = validateDeploymentSettings(
    options,
    { ...deployment.settings, environmentVariables: variablesInputOf(rows) },
    '',
  );
  if (!result.success) {
    for (const issue of result.issues) {
      errors[issue.path] ??= issue.message;
    }
  }
  return errors;
}

function VariablesForm(props: {
  deployment: Deployment;
  options: DeploymentOptions;
  variables: EnvironmentVariable[];
  version: number;
  onSaved: () => void;
  onReload: () => void;
  onEdit: () => void;
}) {
  const { deployment, options, version, onSaved, onReload, onEdit } = props;
  const astroApi = useApi(astroApiRef);
  const { allowed } = useAstroPermission(
    astroDeploymentVariablesUpdatePermission,
    deploymentResourceRef(deployment),
  );
  const [rows, setRows] = useState(() => variableRowsOf(props.variables));
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<{ conflict: boolean; text: string }>();
  const errors = dirty
    ? { ...serverErrors, ...validateVariables(options, deployment, rows) }
    : {};
  const valid =
    Object.keys(validateVariables(options, deployment, rows)).length === 0;

  const save = async () => {
    setSaving(true);
    setProblem(undefined);
    try {
      const saved = await astroApi.putDeploymentVariables({
        path: { org: deployment.organization, dep: deployment.name },
        body: { environmentVariables: variablesInputOf(rows), version },
      });
      // Secrets are stored now: show them as the backend returns them,
      // without values.
      setRows(variableRowsOf(saved.environmentVariables));
      setDirty(false);
      onSaved();
    } catch (error) {
      const status = statusOf(error);
      const message = messageOf(error);
      if (status === 400) {
        setServerErrors(fieldErrorsOf(message));
      }
      setProblem({
        conflict: status === 409,
        text:
          status === 409
            ? `These variables were changed by someone else after you opened them (${message}). Reload to see the current ones; reloading discards your edits.`
            : `The variables were not saved: ${message}`,
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {problem && (
        <Box mb={2}>
          <Alert
            severity={problem.conflict ? 'warning' : 'error'}
            role="alert"
            action={
              problem.conflict ? (
                <Button color="inherit" size="small" onClick={onReload}>
                  Reload
                </Button>
              ) : undefined
            }
          >
            {problem.text}
          </Alert>
        </Box>
      )}
      {!allowed && (
        <Typography variant="body2" color="textSecondary" paragraph>
          You may see these variables but not change them.
        </Typography>
      )}
      <EnvironmentVariablesEditor
        rows={rows}
        onChange={next => {
          onEdit();
          setRows(next);
          setDirty(true);
          setServerErrors({});
        }}
        errors={errors}
        pathPrefix={PATH}
        maxVariables={options.limits.maxEnvironmentVariables}
        disabled={!allowed || saving}
      />
      {allowed && (
        <Box display="flex" justifyContent="flex-end" mt={1}>
          <Button
            variant="contained"
            color="primary"
            disabled={!dirty || !valid || saving}
            onClick={save}
          >
            {saving ? 'Saving…' : 'Save variables'}
          </Button>
        </Box>
      )}
    </>
  );
}

/**
 * The environment variables of a Deployment with an editor. Secret values
 * are write-only: the API never returns them and the editor shows them
 * masked; an empty secret field keeps the stored value.
 */
export function VariablesCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const [saved, setSaved] = useState(false);
  const data = useAsyncRetry(async () => {
    const [options, variables] = await Promise.all([
      astroApi.getDeploymentOptions(),
      astroApi.getDeploymentVariables({
        path: { org: deployment.organization, dep: deployment.name },
      }),
    ]);
    return { options, ...variables };
  }, [astroApi, deployment.organization, deployment.name]);

  let body;
  if (data.error) {
    body = (
      <AstroErrorPanel
        error={data.error}
        what="the environment variables"
        onRetry={data.retry}
      />
    );
  } else if (!data.value) {
    body = <Progress aria-label="Loading environment variables" />;
  } else {
    body = (
      <>
        {saved && (
          <Box mb={2}>
            <Alert severity="success">
              Saved. The platform rolls the variables out to the Deployment.
            </Alert>
          </Box>
        )}
        <VariablesForm
          // Saving or reloading starts again from the stored variables.
          key={data.value.version}
          deployment={deployment}
          options={data.value.options}
          variables={data.value.environmentVariables}
          version={data.value.version}
          onSaved={() => {
            setSaved(true);
            data.retry();
          }}
          onReload={data.retry}
          onEdit={() => setSaved(false)}
        />
      </>
    );
  }
  return <InfoCard title="Environment variables">{body}</InfoCard>;
}
