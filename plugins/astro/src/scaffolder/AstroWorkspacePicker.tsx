import { useEffect, useMemo } from 'react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { Organization, Workspace } from '@airflow-portal/plugin-astro-common';
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

/** A workspace the picker offers, with the titles it is shown by. */
interface WorkspaceOption {
  organization: string;
  workspace: string;
  organizationLabel: string;
  label: string;
}

/**
 * The options, sorted by organization then workspace. Workspace titles
 * repeat across organizations ("Analytics" in each), so every label names
 * its organization: "Organization / Workspace", titles or else names.
 */
export function workspaceOptions(
  groups: Array<{ organization: Organization; workspaces: Workspace[] }>,
): WorkspaceOption[] {
  const byLabel = (a: { label: string }, b: { label: string }) =>
    a.label.localeCompare(b.label, undefined, { sensitivity: 'base' });
  return groups
    .map(({ organization, workspaces }) => ({
      label: organization.title || organization.name,
      organization,
      workspaces,
    }))
    .sort(byLabel)
    .flatMap(({ label: organizationLabel, organization, workspaces }) =>
      workspaces
        .map(w => ({
          organization: organization.name,
          workspace: w.name,
          organizationLabel,
          label: `${organizationLabel} / ${w.title || w.name}`,
        }))
        .sort(byLabel),
    );
}

/**
 * Picks the workspace a new Deployment goes to, from the workspaces the
 * Astro API lists for the user, grouped by organization and searchable by
 * either title. Its value is `{ organization, workspace, label }`; `label`
 * ("Organization / Workspace") is what the template's review step shows.
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
  const options = useMemo(() => workspaceOptions(groups ?? []), [groups]);

  // With only one workspace to choose, choose it.
  const only = options.length === 1 ? options[0] : undefined;
  useEffect(() => {
    if (only && !formData?.workspace) {
      onChange({
        organization: only.organization,
        workspace: only.workspace,
        label: only.label,
      });
    }
  }, [only, formData?.workspace, onChange]);

  const selected =
    options.find(
      o =>
        o.organization === formData?.organization &&
        o.workspace === formData?.workspace,
    ) ?? null;
  let helperText = description ?? 'The workspace the Deployment belongs to';
  if (loading) {
    helperText = 'Loading workspaces…';
  } else if (error) {
    helperText = `Could not list workspaces: ${error.message}`;
  } else if (options.length === 0) {
    helperText = 'No workspaces you may create Deployments in';
  }

  return (
    <Autocomplete
      id={idSchema?.$id}
      options={options}
      value={selected}
      loading={loading}
      disabled={loading}
      groupBy={o => o.organizationLabel}
      getOptionLabel={o => o.label}
      getOptionSelected={(o, v) =>
        o.organization === v.organization && o.workspace === v.workspace
      }
      onChange={(_event, option) =>
        onChange(
          option
            ? {
                organization: option.organization,
                workspace: option.workspace,
                label: option.label,
              }
            : undefined,
        )
      }
      renderInput={params => (
        <TextField
          {...params}
          label={title}
          placeholder="Search by organization or workspace"
          required={required}
          error={!!error || (rawErrors?.length ?? 0) > 0}
          helperText={helperText}
          margin="normal"
          InputLabelProps={{ ...params.InputLabelProps, shrink: true }}
        />
      )}
      fullWidth
    />
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
