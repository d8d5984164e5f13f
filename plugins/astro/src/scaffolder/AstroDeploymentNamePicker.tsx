import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { describeInvalidDeploymentName } from '@airflow-portal/plugin-astro-common';
import { AstroApi, astroApiRef } from '../api';
import {
  AstroDeploymentNamePickerFieldSchema,
  AstroDeploymentNamePickerProps,
} from './schemas';

/** How long typing must pause before the name is looked up. */
export const NAME_CHECK_DELAY_MS = 400;

/** The organization chosen in the form's workspace field. */
function organizationOf(
  formData: unknown,
  workspaceField: string | undefined,
): string | undefined {
  if (typeof formData !== 'object' || formData === null) {
    return undefined;
  }
  const value = (formData as Record<string, unknown>)[
    workspaceField ?? 'workspace'
  ];
  if (typeof value === 'object' && value !== null && 'organization' in value) {
    const organization = (value as { organization: unknown }).organization;
    return typeof organization === 'string' ? organization : undefined;
  }
  return undefined;
}

/**
 * Whether a Deployment of this name exists in the organization: `true`,
 * `false`, or a thrown error when the API cannot tell. A filtered list
 * rather than a read of the Deployment, whose 404 for a free name the
 * browser would log as an error on every pause in typing.
 */
export async function isDeploymentNameTaken(
  api: AstroApi,
  organization: string,
  name: string,
): Promise<boolean> {
  const page = await api.listAllDeployments({
    query: { organization, name, limit: 1 },
  });
  return page.totalCount > 0;
}

type Check =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'free' }
  | { state: 'problem'; message: string };

/**
 * The name of a new Deployment, checked while it is typed: the naming rule
 * of the Astro API (a lowercase DNS label of at most 40 characters) and that
 * no Deployment of the chosen organization has it.
 */
export function AstroDeploymentNamePicker(
  props: AstroDeploymentNamePickerProps,
) {
  const {
    onChange,
    required,
    formData,
    rawErrors,
    idSchema,
    schema: { title = 'Name', description },
    uiSchema,
    formContext,
  } = props;
  const api = useApi(astroApiRef);
  const organization = organizationOf(
    formContext?.formData,
    uiSchema?.['ui:options']?.workspaceField,
  );
  const name = formData ?? '';
  const [check, setCheck] = useState<Check>({ state: 'idle' });

  useEffect(() => {
    if (!name) {
      setCheck({ state: 'idle' });
      return undefined;
    }
    const invalid = describeInvalidDeploymentName(name);
    if (invalid) {
      setCheck({ state: 'problem', message: `The name ${invalid}` });
      return undefined;
    }
    if (!organization) {
      setCheck({ state: 'idle' });
      return undefined;
    }
    let current = true;
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      isDeploymentNameTaken(api, organization, name).then(
        taken => {
          if (current) {
            setCheck(
              taken
                ? {
                    state: 'problem',
                    message: `${organization} already has a Deployment named ${name}`,
                  }
                : { state: 'free' },
            );
          }
        },
        () => current && setCheck({ state: 'idle' }),
      );
    }, NAME_CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, organization, name]);

  let helperText =
    description ??
    'Lowercase letters, digits and "-"; it names the Kubernetes namespace too';
  if (check.state === 'checking') {
    helperText = 'Checking the name…';
  } else if (check.state === 'free') {
    helperText = `${name} is available`;
  } else if (check.state === 'problem') {
    helperText = check.message;
  }

  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      required={required}
      value={name}
      onChange={event => onChange(event.target.value || undefined)}
      error={check.state === 'problem' || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      margin="normal"
      fullWidth
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}

/**
 * Checks the name when the user moves on: the naming rule, and that the
 * organization has no Deployment of that name.
 */
export const astroDeploymentNamePickerValidation: CustomFieldValidator<
  typeof AstroDeploymentNamePickerFieldSchema.TOutput,
  typeof AstroDeploymentNamePickerFieldSchema.uiOptionsType
> = async (value, validation, context) => {
  if (!value) {
    return;
  }
  const invalid = describeInvalidDeploymentName(value);
  if (invalid) {
    validation.addError(`The name ${invalid}`);
    return;
  }
  const organization = organizationOf(
    context.formData,
    context.uiSchema?.['ui:options']?.workspaceField,
  );
  const api = context.apiHolder.get(astroApiRef);
  if (organization && api) {
    try {
      if (await isDeploymentNameTaken(api, organization, value)) {
        validation.addError(
          `${organization} already has a Deployment named ${value}`,
        );
      }
    } catch {
      // The backend checks the name again when the Deployment is created.
    }
  }
};
