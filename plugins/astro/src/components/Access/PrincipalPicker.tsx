import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';

/** A user or group of the catalog, as the picker offers it. */
export interface PrincipalOption {
  /** The entity ref, `user:default/alice`. */
  ref: string;
  /** Its display name, or its name. */
  title: string;
  kind: 'user' | 'group';
}

/**
 * The entity ref a typed text names, when it is one of a user or group
 * with its kind spelled out (`group:x`, `user:default/alice`); the
 * namespace defaults to `default`.
 */
export function principalRefOf(text: string): string | undefined {
  try {
    const ref = parseEntityRef(text.trim(), { defaultNamespace: 'default' });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group') {
      return undefined;
    }
    return stringifyEntityRef({ ...ref, kind });
  } catch {
    return undefined;
  }
}

function optionOf(entity: Entity): PrincipalOption {
  const kind = entity.kind.toLocaleLowerCase('en-US') as 'user' | 'group';
  const spec = entity.spec as
    | { profile?: { displayName?: string } }
    | undefined;
  return {
    ref: stringifyEntityRef(entity),
    title:
      spec?.profile?.displayName ||
      entity.metadata.title ||
      entity.metadata.name,
    kind,
  };
}

function labelOf(option: PrincipalOption | string): string {
  return typeof option === 'string'
    ? option
    : `${option.title} (${option.ref})`;
}

/**
 * Picks a user or group of the catalog by display name or ref; a typed
 * entity ref (`group:default/data-eng`) is taken as well, so people the
 * catalog does not list yet can be granted a role. `onChange` gets the
 * normalized ref, or `undefined` while the text names no user or group.
 */
export function PrincipalPicker(props: {
  onChange: (ref: string | undefined) => void;
  error?: string;
  disabled?: boolean;
}) {
  const { onChange, error, disabled } = props;
  const catalogApi = useApi(catalogApiRef);
  const entities = useAsync(async () => {
    const response = await catalogApi.getEntities({
      filter: { kind: ['User', 'Group'] },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return response.items
      .map(optionOf)
      .sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) || a.title.localeCompare(b.title),
      );
  }, [catalogApi]);

  let helperText =
    error ??
    'A user or group of the catalog, or an entity ref such as group:default/data-eng';
  if (entities.error) {
    helperText = `The catalog could not be read (${entities.error.message}); type an entity ref such as group:default/data-eng`;
  }

  return (
    <Autocomplete<PrincipalOption, false, false, true>
      freeSolo
      disabled={disabled}
      options={entities.value ?? []}
      loading={entities.loading}
      getOptionLabel={labelOf}
      groupBy={option => (option.kind === 'group' ? 'Groups' : 'Users')}
      onChange={(_event, value) => {
        if (value === null) {
          onChange(undefined);
        } else {
          onChange(
            typeof value === 'string' ? principalRefOf(value) : value.ref,
          );
        }
      }}
      onInputChange={(_event, text, reason) => {
        if (reason === 'input') {
          const picked = entities.value?.find(
            option => labelOf(option) === text,
          );
          onChange(picked ? picked.ref : principalRefOf(text));
        }
      }}
      renderInput={params => (
        <TextField
          {...params}
          label="User or group"
          required
          margin="normal"
          error={Boolean(error)}
          helperText={helperText}
        />
      )}
    />
  );
}
