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
} from './AstroDeploymentSettingsPicker';
import {
  SecretsContextProvider,
  useTemplateSecrets,
} from '@backstage/plugin-scaffolder-react';
import {
  AstroDeploymentNamePickerProps,
  AstroDeploymentSettingsPickerProps,
  AstroDeploymentSettingsValue,
  AstroWorkspacePickerProps,
} from './schemas';
import {
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
  /**
   * The picker as the template form holds it: its value kept between
   * renders, the template's secrets in their context.
   */
  function Harness(props: {
    onValue: (value: AstroDeploymentSettingsValue) => void;
    onSecrets: (secrets: Record<string, string>) => void;
    initial?: AstroDeploymentSettingsValue;
  }) {
    const [value, setValue] = useState(props.initial);
    const { secrets } = useTemplateSecrets();
    props.onSecrets(secrets);
    return (
      <AstroDeploymentSettingsPicker
        {...fieldProps<AstroDeploymentSettingsPickerProps>({
          name: 'airflow',
          formData: value,
          onChange: (next: AstroDeploymentSettingsValue) => {
            setValue(next);
            props.onValue(next);
          },
        })}
      />
    );
  }

  async function renderPicker(
    initial?: AstroDeploymentSettingsValue,
    initialSecrets?: Record<string, string>,
  ) {
    const values: AstroDeploymentSettingsValue[] = [];
    let secrets: Record<string, string> = {};
    await renderField(
      <SecretsContextProvider initialSecrets={initialSecrets}>
        <Harness
          initial={initial}
          onValue={v => values.push(v)}
          onSecrets={s => {
            secrets = s;
          }}
        />
      </SecretsContextProvider>,
    );
    await waitFor(() => expect(values.length).toBeGreaterThan(0));
    return { last: () => values[values.length - 1], secrets: () => secrets };
  }

  it('starts from the defaults the platform serves, with readable review lines', async () => {
    const { last } = await renderPicker();
    expect(last()).toEqual({
      settings: {
        airflowVersion: '3.1.3',
        executor: 'CELERY',
        schedulerSize: 'SMALL',
        highAvailability: false,
        workerQueues: [
          {
            name: 'default',
            isDefault: true,
            workerSize: 'A5',
            minWorkers: 0,
            maxWorkers: 10,
          },
        ],
        environmentVariables: [],
      },
      review: [
        'Airflow version: 3.1.3',
        'Executor: Celery',
        'Scheduler size: Small (1 CPU, 2Gi memory)',
        'High availability: Off',
        'Worker queues: default (A5, 0–10 workers)',
        'Environment variables: None',
      ],
      secretKeysWithValue: [],
    });
    // JSON, not `undefined` for a field left empty: the scaffolder's step
    // validation fails on an `undefined` property of the form data.
    expect(last().settings!.workerQueues![0]).not.toHaveProperty('concurrency');
  });

  it('offers the choices of /deployment-options and drops worker queues for the Kubernetes executor', async () => {
    const { last } = await renderPicker();
    const versions = await screen.findByRole('combobox', {
      name: 'Airflow version',
    });
    expect(
      within(versions)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['3.1.3 (newest, default)', '2.11.0']);
    expect(
      within(screen.getByRole('combobox', { name: 'Scheduler size' }))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'Small (1 CPU, 2Gi memory)',
      'Medium (2 CPU, 4Gi memory)',
      'Large (4 CPU, 8Gi memory)',
      'Extra large (8 CPU, 16Gi memory)',
    ]);
    expect(
      screen.getByRole('spinbutton', { name: 'Maximum workers' }),
    ).toHaveAttribute('max', '30');

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Executor' }),
      'KUBERNETES',
    );
    expect(last().settings).toMatchObject({
      executor: 'KUBERNETES',
      workerQueues: [],
    });
    expect(last().review).toContain('Executor: Kubernetes');
    expect(last().review.join('\n')).not.toContain('Worker queues');
    expect(
      screen.queryByRole('button', { name: 'Add worker queue' }),
    ).not.toBeInTheDocument();
  });

  it('asks for high availability, worker queues and variables, keeping secret values in the template secrets', async () => {
    const SECRET = 's3cr3t-value';
    const { last, secrets } = await renderPicker();
    await screen.findByRole('combobox', { name: 'Executor' });

    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'High availability (two schedulers)',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Add worker queue' }),
    );
    const etl = screen.getByRole('group', { name: 'Worker queue 2' });
    await userEvent.type(
      within(etl).getByRole('textbox', { name: /Queue name/ }),
      'etl',
    );
    const queue = screen.getByRole('group', { name: 'Worker queue etl' });
    await userEvent.clear(
      within(queue).getByRole('spinbutton', { name: 'Maximum workers' }),
    );
    await userEvent.type(
      within(queue).getByRole('spinbutton', { name: 'Maximum workers' }),
      '4',
    );
    await userEvent.type(
      within(queue).getByRole('spinbutton', { name: 'Concurrency' }),
      '8',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    const [plain, secret] = [
      screen.getByRole('group', { name: 'Variable 1' }),
      screen.getByRole('group', { name: 'Variable 2' }),
    ];
    await userEvent.type(
      within(plain).getByRole('textbox', { name: 'Key' }),
      'LOG_LEVEL',
    );
    await userEvent.type(
      within(plain).getByRole('textbox', { name: 'Value' }),
      'debug',
    );
    await userEvent.type(
      within(secret).getByRole('textbox', { name: 'Key' }),
      'API_TOKEN',
    );
    await userEvent.click(
      within(secret).getByRole('checkbox', { name: 'Secret' }),
    );
    await userEvent.type(within(secret).getByLabelText('Value'), SECRET);

    expect(last().settings).toMatchObject({
      highAvailability: true,
      workerQueues: [
        expect.objectContaining({ name: 'default', isDefault: true }),
        expect.objectContaining({
          name: 'etl',
          isDefault: false,
          maxWorkers: 4,
          concurrency: 8,
        }),
      ],
      environmentVariables: [
        { key: 'LOG_LEVEL', value: 'debug', secret: false },
        { key: 'API_TOKEN', secret: true },
      ],
    });
    expect(last().review).toEqual(
      expect.arrayContaining([
        'High availability: On (two schedulers)',
        'Worker queues: default (A5, 0–10 workers, default queue); etl (A5, 0–4 workers, 8 tasks each)',
        'Environment variables: LOG_LEVEL=debug, API_TOKEN (secret)',
      ]),
    );
    expect(last().secretKeysWithValue).toEqual(['API_TOKEN']);
    // The value goes to the template's secrets only.
    expect(JSON.stringify(last())).not.toContain(SECRET);
    expect(JSON.parse(secrets().airflow)).toEqual({ API_TOKEN: SECRET });
  });

  it('shows what it was given when the user comes back, secret values from the template secrets', async () => {
    await renderPicker(
      {
        settings: {
          airflowVersion: '2.11.0',
          executor: 'CELERY',
          schedulerSize: 'MEDIUM',
          highAvailability: true,
          workerQueues: [
            { name: 'etl', isDefault: true, minWorkers: 1, maxWorkers: 3 },
          ],
          environmentVariables: [{ key: 'API_TOKEN', secret: true }],
        },
        review: [],
        secretKeysWithValue: ['API_TOKEN'],
      },
      { airflow: JSON.stringify({ API_TOKEN: 'kept' }) },
    );
    expect(
      await screen.findByRole('combobox', { name: 'Airflow version' }),
    ).toHaveValue('2.11.0');
    expect(
      screen.getByRole('checkbox', {
        name: 'High availability (two schedulers)',
      }),
    ).toBeChecked();
    expect(screen.getByRole('textbox', { name: /Queue name/ })).toHaveValue(
      'etl',
    );
    expect(screen.getByLabelText('Value')).toHaveValue('kept');
  });

  it('shows each broken rule once at its field, in the form words, and names the fields for the step', async () => {
    await renderPicker({
      settings: {
        airflowVersion: '3.1.3',
        executor: 'CELERY',
        workerQueues: [
          { name: 'default', isDefault: true, minWorkers: 0, maxWorkers: 99 },
        ],
      },
      review: [],
      secretKeysWithValue: [],
    });
    expect(await screen.findAllByText('must be at most 30')).toHaveLength(1);

    const { validation, context, errors } = validatorContext(fakeAstroApi());
    await astroDeploymentSettingsPickerValidation(
      {
        settings: {
          workerQueues: [{ name: 'default', isDefault: true, maxWorkers: 99 }],
          environmentVariables: [
            { key: 'LOG_LEVEL', value: 'debug', secret: false },
            { key: 'API_TOKEN', secret: true },
          ],
        },
        review: [],
        secretKeysWithValue: [],
      },
      validation as any,
      context,
    );
    expect(errors).toEqual([
      'need fixing: Worker queue default, Maximum workers; Variable API_TOKEN, Value',
    ]);
  });

  it('lets valid settings pass', async () => {
    const { validation, context, errors } = validatorContext(fakeAstroApi());
    await astroDeploymentSettingsPickerValidation(
      {
        settings: {
          environmentVariables: [{ key: 'API_TOKEN', secret: true }],
        },
        review: [],
        secretKeysWithValue: ['API_TOKEN'],
      },
      validation as any,
      context,
    );
    expect(errors).toEqual([]);
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
