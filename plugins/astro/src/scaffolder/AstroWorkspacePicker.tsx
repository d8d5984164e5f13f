import { useEffect } from 'react';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { Workspace } from '@airflow-portal/plugin-astro-common';
import { AstroApi, astroApiRef } from '../api';
import {
  AstroWorkspacePickerFieldSchema,
  AstroWorkspacePickerProps,
} from './schemas';

/** The workspaces of every organization the user may see, by organization. */
async function loadWorkspaces(api: AstroApi, onlyOrganization?: string) {
  const organizations = (await api.listOrganizations()).items.filter(
    o => !onlyOrganization || o.name === onlyOrganization,
  );
  return Promise.all(
    organizations.map(async organization => ({
      organization,
      workspaces: (
        await api.listWorkspaces({ path: { org: organization.name } })
      ).items,
    })),
  );
}

const valueOf = (workspace: Workspace) =>
  `${workspace.organization}/${workspace.name}`;

/**
 * Picks the workspace a new Deployment goes to, from the workspaces the
 * Astro API lists for the user. Its value is
 * `{ organization, workspace }`.
 */
export function AstroWorkspacePicker(props: AstroWorkspacePickerProps) {
  const {
    onChange,
    required,
    formData,
    rawErrors,
    idSchema,
    schema: { title = 'Workspace', description },
    uiSchema,
  } = props;
  const api = useApi(astroApiRef);
  const onlyOrganization = uiSchema?.['ui:options']?.organization;
  const {
    value: groups,
    loading,
    error,
  } = useAsync(
    () => loadWorkspaces(api, onlyOrganization),
    [api, onlyOrganization],
  );

  // With only one workspace to choose, choose it.
  const all = groups?.flatMap(g => g.workspaces) ?? [];
  const only = all.length === 1 ? all[0] : undefined;
  useEffect(() => {
    if (only && !formData?.workspace) {
      onChange({ organization: only.organization, workspace: only.name });
    }
  }, [only, formData?.workspace, onChange]);

  const selected = formData?.workspace
    ? `${formData.organization}/${formData.workspace}`
    : '';
  const helperText = error
    ? `Could not list workspaces: ${error.message}`
    : description ?? 'The workspace the Deployment belongs to';

  return (
    <TextField
      id={idSchema?.$id}
      select
      SelectProps={{ native: true }}
      label={title}
      required={required}
      disabled={loading}
      value={selected}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      helperText={loading ? 'Loading workspaces…' : helperText}
      margin="normal"
      fullWidth
      InputLabelProps={{ shrink: true }}
      onChange={event => {
        const [organization, workspace] = String(event.target.value).split('/');
        onChange(workspace ? { organization, workspace } : undefined);
      }}
    >
      <option value="" disabled>
        {all.length === 0 && !loading ? 'No workspaces' : 'Choose a workspace'}
      </option>
      {groups?.map(({ organization, workspaces }) => (
        <optgroup key={organization.name} label={organization.title}>
          {workspaces.map(workspace => (
            <option key={valueOf(workspace)} value={valueOf(workspace)}>
              {workspace.title}
            </option>
          ))}
        </optgroup>
      ))}
    </TextField>
  );
}

/** Requires a workspace to be chosen. */
export const astroWorkspacePickerValidation: CustomFieldValidator<
  typeof AstroWorkspacePickerFieldSchema.TOutput,
  typeof AstroWorkspacePickerFieldSchema.uiOptionsType
> = (value, validation) => {
  if (!value?.organization || !value?.workspace) {
    validation.addError('Choose a workspace');
  }
};
