import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AstroWorkspacePicker,
  astroWorkspacePickerValidation,
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
  AstroDeploymentNamePickerFieldSchema,
  AstroDeploymentSettingsPickerFieldSchema,
  AstroWorkspacePickerFieldSchema,
} from './schemas';

/** `ui:field: AstroWorkspacePicker` for the new frontend system. */
export const astroWorkspacePickerFormField = createFormField({
  name: 'AstroWorkspacePicker',
  component: AstroWorkspacePicker,
  validation: astroWorkspacePickerValidation,
  schema: AstroWorkspacePickerFieldSchema,
});

/** `ui:field: AstroDeploymentNamePicker` for the new frontend system. */
export const astroDeploymentNamePickerFormField = createFormField({
  name: 'AstroDeploymentNamePicker',
  component: AstroDeploymentNamePicker,
  validation: astroDeploymentNamePickerValidation,
  schema: AstroDeploymentNamePickerFieldSchema,
});

/** `ui:field: AstroDeploymentSettingsPicker` for the new frontend system. */
export const astroDeploymentSettingsPickerFormField = createFormField({
  name: 'AstroDeploymentSettingsPicker',
  component: AstroDeploymentSettingsPicker,
  validation: astroDeploymentSettingsPickerValidation,
  schema: AstroDeploymentSettingsPickerFieldSchema,
});
