import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** `ui:field: AstroWorkspacePicker` for the new frontend system. */
export const astroWorkspacePickerFormFieldExtension = FormFieldBlueprint.make({
  name: 'astro-workspace-picker',
  params: {
    field: () =>
      import('./formFields').then(m => m.astroWorkspacePickerFormField),
  },
});

/** `ui:field: AstroDeploymentNamePicker` for the new frontend system. */
export const astroDeploymentNamePickerFormFieldExtension =
  FormFieldBlueprint.make({
    name: 'astro-deployment-name-picker',
    params: {
      field: () =>
        import('./formFields').then(m => m.astroDeploymentNamePickerFormField),
    },
  });

/** `ui:field: AstroDeploymentSettingsPicker` for the new frontend system. */
export const astroDeploymentSettingsPickerFormFieldExtension =
  FormFieldBlueprint.make({
    name: 'astro-deployment-settings-picker',
    params: {
      field: () =>
        import('./formFields').then(
          m => m.astroDeploymentSettingsPickerFormField,
        ),
    },
  });

/**
 * The Astro form fields of software templates for the new frontend system.
 * They attach to the scaffolder plugin's form fields and load with the
 * template form.
 */
export const astroScaffolderFormFields = [
  astroWorkspacePickerFormFieldExtension,
  astroDeploymentNamePickerFormFieldExtension,
  astroDeploymentSettingsPickerFormFieldExtension,
];
