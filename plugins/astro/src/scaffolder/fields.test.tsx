import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AstroWorkspacePicker,
  astroWorkspacePickerValidation,
  workspaceOptions,
} from './AstroWorkspacePicker';
import {
  AstroDeploymentNamePicker,
  astroDeploymentNamePickerValidation,
} from './AstroDeploymentNamePicker';
import {
  AstroDeploymentSettingsPicker,
  astroDeploymentSettingsPickerValidation,
  defaultSettings,
} from './AstroDeploymentSettingsPicker';
import {
  AstroDeploymentNamePickerProps,
  AstroDeploymentSettingsPickerProps,
  AstroDeploymentSettingsValue,
  AstroWorkspacePickerProps,
} from './schemas';
import {
  deploymentOptions,
  fakeAstroApi,
  organization,
  renderField,
  workspace,
  validatorContext,
} from './__testUtils__/fields';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  astroDeploymentNamePickerFormFieldExtension,
  astroDeploymentSettingsPickerFormFieldExtension,
  astroScaffolderFormFields,
  astroWorkspacePickerFormFieldExtension,
} from './alpha';
import {
  AstroDeploymentNamePickerFieldExtension,
  AstroDeploymentSettingsPickerFieldExtension,
  AstroWorkspacePickerFieldExtension,
} from './legacy';

/** The props the scaffler's form passes a field, for the parts we use. */
function fieldProps<P>(props: Record<string, unknown>): P {
  return {
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    rawErrors: [],
    required: true,
    formContext: {},
    ...props,
  } as unknown as P;
}

describe('AstroWorkspacePicker', () => {
  it('labels each workspace with its organization, grouped and searchable, and gives organization and workspace', async () => {
    const onChange = jest.fn();
    // "Analytics" in both organizations: only the organization tells them apart.
    const api = fakeAstroApi({
      workspaces: [
        workspace('globex', 'analytics', 'Analytics'),
        workspace('globex', 'ml', 'Machine Learning'),
        workspace('acme', 'data-eng', 'Data Engineering'),
        workspace('acme', 'analytics', 'Analytics'),
      ],
    });
    await renderField(
      <AstroWorkspacePicker
        {...fieldProps<AstroWorkspacePickerProps>({ onChange })}
      />,
      api,
    );
    const input = await screen.findByRole('textbox', { name: /Workspace/ });
    await waitFor(() => expect(input).toBeEnabled());
    await userEvent.click(input);
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'ACME / Analytics',
      'ACME / Data Engineering',
      'Globex / Analytics',
      'Globex / Machine Learning',
    ]);
    expect(within(listbox).getByText('ACME')).toBeInTheDocument();
    expect(within(listbox).getByText('Globex')).toBeInTheDocument();

    await userEvent.type(input, 'analytics');
    const hits = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(hits.map(o => o.textContent)).toEqual([
      'ACME / Analytics',
      'Globex / Analytics',
    ]);
    await userEvent.click(hits[1]);
    expect(onChange).toHaveBeenLastCalledWith({
      organization: 'globex',
      workspace: 'analytics',
      label: 'Globex / Analytics',
    });
  });

  it('shows the chosen workspace with its organization', async () => {
    await renderField(
      <AstroWorkspacePicker
        {...fieldProps<AstroWorkspacePickerProps>({
          onChange: jest.fn(),
          formData: { organization: 'globex', workspace: 'ml' },
        })}
      />,
    );
    const input = await screen.findByRole('textbox', { name: /Workspace/ });
    await waitFor(() => expect(input).toHaveValue('Globex / Machine Learning'));
  });

  it('labels by names where there are no titles', () => {
    expect(
      workspaceOptions([
        {
          organization: { ...organization('initech', ''), title: '' },
          workspaces: [workspace('initech', 'ops', '')],
        },
      ]).map(o => o.label),
    ).toEqual(['initech / ops']);
  });

  it('chooses the only workspace there is', async () => {
    const onChange = jest.fn();
    const api = fakeAstroApi();
    await renderField(
      <AstroWorkspacePicker
        {...fieldProps<AstroWorkspacePickerProps>({
          onChange,
          uiSchema: { 'ui:options': { organization: 'globex' } },
        })}
      />,
      api,
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({
        organization: 'globex',
        workspace: 'ml',
        label: 'Globex / Machine Learning',
      }),
    );
    expect(api.listWorkspaces).toHaveBeenCalledTimes(1);
  });

  it('requires a workspace', () => {
    const { validation, context, errors } = validatorContext(fakeAstroApi());
    astroWorkspacePickerValidation(
      undefined as any,
      validation as any,
      context,
    );
    expect(errors).toEqual(['Choose a workspace']);
  });
});

describe('AstroDeploymentNamePicker', () => {
  const formContext = {
    formData: { workspace: { organization: 'acme', workspace: 'data-eng' } },
  };

  it('explains a name that breaks the naming rule while it is typed', async () => {
    await renderField(
      <AstroDeploymentNamePicker
        {...fieldProps<AstroDeploymentNamePickerProps>({
          onChange: jest.fn(),
          formData: 'Prod_ETL',
          formContext,
        })}
      />,
    );
    expect(
      await screen.findByText(/The name must consist of lowercase letters/),
    ).toBeInTheDocument();
  });

  it('tells whether the name is free in the chosen organization', async () => {
    const api = fakeAstroApi();
    // The form keeps the value; this harness does what it does.
    function Harness() {
      const [name, setName] = useState<string | undefined>('prod-etl');
      return (
        <AstroDeploymentNamePicker
          {...fieldProps<AstroDeploymentNamePickerProps>({
            onChange: setName,
            formData: name,
            formContext,
            schema: { title: 'Name' },
          })}
        />
      );
    }
    await renderField(<Harness />, api);
    expect(
      await screen.findByText('acme already has a Deployment named prod-etl'),
    ).toBeInTheDocument();
    expect(api.listAllDeployments).toHaveBeenCalledWith({
      query: { organization: 'acme', name: 'prod-etl', limit: 1 },
    });

    const input = screen.getByRole('textbox', { name: /Name/ });
    await userEvent.clear(input);
    await userEvent.type(input, 'new-etl');
    expect(await screen.findByText('new-etl is available')).toBeInTheDocument();
    // Typing pauses before a lookup: one request for the finished name.
    expect(api.listAllDeployments).toHaveBeenCalledTimes(2);
  });

  it('passes what is typed on', async () => {
    const onChange = jest.fn();
    await renderField(
      <AstroDeploymentNamePicker
        {...fieldProps<AstroDeploymentNamePickerProps>({
          onChange,
          formContext,
          schema: { title: 'Deployment name' },
        })}
      />,
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Deployment name/ }),
      'e',
    );
    expect(onChange).toHaveBeenCalledWith('e');
  });

  it('refuses an invalid or taken name on submit', async () => {
    const api = fakeAstroApi();
    const taken = validatorContext(api, formContext.formData);
    await astroDeploymentNamePickerValidation(
      'prod-etl',
      taken.validation as any,
      taken.context,
    );
    expect(taken.errors).toEqual([
      'acme already has a Deployment named prod-etl',
    ]);

    const invalid = validatorContext(api, formContext.formData);
    await astroDeploymentNamePickerValidation(
      '-bad',
      invalid.validation as any,
      invalid.context,
    );
    expect(invalid.errors).toEqual([
      expect.stringMatching(/^The name must consist of lowercase letters/),
    ]);

    const free = validatorContext(
      api,
      { target: { organization: 'acme', workspace: 'x' } },
      { workspaceField: 'target' },
    );
    await astroDeploymentNamePickerValidation(
      'fresh',
      free.validation as any,
      free.context,
    );
    expect(free.errors).toEqual([]);
    expect(api.listAllDeployments).toHaveBeenLastCalledWith({
      query: { organization: 'acme', name: 'fresh', limit: 1 },
    });
  });
});

describe('AstroDeploymentSettingsPicker', () => {
  it('starts from the defaults the platform serves', async () => {
    const onChange = jest.fn();
    await renderField(
      <AstroDeploymentSettingsPicker
        {...fieldProps<AstroDeploymentSettingsPickerProps>({ onChange })}
      />,
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({
        airflowVersion: '3.1.3',
        executor: 'CELERY',
        schedulerSize: 'SMALL',
        workerQueues: [
          {
            name: 'default',
            isDefault: true,
            workerSize: 'A5',
            minWorkers: 0,
            maxWorkers: 10,
          },
        ],
      }),
    );
  });

  it('offers the choices of /deployment-options and drops workers for the Kubernetes executor', async () => {
    const onChange = jest.fn();
    await renderField(
      <AstroDeploymentSettingsPicker
        {...fieldProps<AstroDeploymentSettingsPickerProps>({
          onChange,
          formData: defaultSettings(deploymentOptions),
        })}
      />,
    );
    const versions = await screen.findByRole('combobox', {
      name: 'Airflow version',
    });
    expect(
      within(versions)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['3.1.3 (default)', '2.11.0']);
    expect(
      within(screen.getByRole('combobox', { name: 'Scheduler size' }))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'Small (1 CPU, 2Gi)',
      'Medium (2 CPU, 4Gi)',
      'Large (4 CPU, 8Gi)',
      'Extra large (8 CPU, 16Gi)',
    ]);
    expect(
      screen.getByRole('spinbutton', { name: 'Maximum workers' }),
    ).toHaveAttribute('max', '30');

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Executor' }),
      'KUBERNETES',
    );
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ executor: 'KUBERNETES', workerQueues: [] }),
    );
  });

  it('shows the rule a worker bound breaks', async () => {
    const value: AstroDeploymentSettingsValue = {
      ...defaultSettings(deploymentOptions),
      workerQueues: [
        {
          name: 'default',
          isDefault: true,
          workerSize: 'A5',
          minWorkers: 0,
          maxWorkers: 99,
        },
      ],
    };
    await renderField(
      <AstroDeploymentSettingsPicker
        {...fieldProps<AstroDeploymentSettingsPickerProps>({
          onChange: jest.fn(),
          formData: value,
        })}
      />,
    );
    expect(await screen.findByText(/at most 30/)).toBeInTheDocument();

    const { validation, context, errors } = validatorContext(fakeAstroApi());
    await astroDeploymentSettingsPickerValidation(
      value,
      validation as any,
      context,
    );
    expect(errors).toEqual([
      expect.stringMatching(/^workerQueues\[0\]\.maxWorkers: .*30/),
    ]);
  });
});

describe('the form field extensions', () => {
  it('load for the new frontend system', async () => {
    expect(astroScaffolderFormFields).toHaveLength(3);
    const loaders = [
      createExtensionTester(astroWorkspacePickerFormFieldExtension),
      createExtensionTester(astroDeploymentNamePickerFormFieldExtension),
      createExtensionTester(astroDeploymentSettingsPickerFormFieldExtension),
    ].map(tester => tester.get(FormFieldBlueprint.dataRefs.formFieldLoader));
    for (const load of loaders) {
      expect((await load()).$$type).toBe('@backstage/scaffolder/FormField');
    }
  });

  it('exist for legacy apps', () => {
    for (const extension of [
      AstroWorkspacePickerFieldExtension,
      AstroDeploymentNamePickerFieldExtension,
      AstroDeploymentSettingsPickerFieldExtension,
    ]) {
      expect(extension).toBeDefined();
    }
  });
});
