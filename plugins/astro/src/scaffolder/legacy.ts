import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { astroPlugin } from '../plugin';
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

/**
 * `ui:field: AstroWorkspacePicker` for apps on the legacy frontend system:
 * the workspace a new Deployment goes to, as `{ organization, workspace }`.
 *
 * @public
 */
export const AstroWorkspacePickerFieldExtension = astroPlugin.provide(
  createScaffolderFieldExtension({
    name: 'AstroWorkspacePicker',
    component: AstroWorkspacePicker,
    validation: astroWorkspacePickerValidation,
    schema: AstroWorkspacePickerFieldSchema.schema,
  }),
);

/**
 * `ui:field: AstroDeploymentNamePicker` for apps on the legacy frontend
 * system: a Deployment name, checked while typed.
 *
 * @public
 */
export const AstroDeploymentNamePickerFieldExtension = astroPlugin.provide(
  createScaffolderFieldExtension({
    name: 'AstroDeploymentNamePicker',
    component: AstroDeploymentNamePicker,
    validation: astroDeploymentNamePickerValidation,
    schema: AstroDeploymentNamePickerFieldSchema.schema,
  }),
);

/**
 * `ui:field: AstroDeploymentSettingsPicker` for apps on the legacy frontend
 * system: Deployment settings from the platform's `/deployment-options`.
 *
 * @public
 */
export const AstroDeploymentSettingsPickerFieldExtension = astroPlugin.provide(
  createScaffolderFieldExtension({
    name: 'AstroDeploymentSettingsPicker',
    component: AstroDeploymentSettingsPicker,
    validation: astroDeploymentSettingsPickerValidation,
    schema: AstroDeploymentSettingsPickerFieldSchema.schema,
  }),
);
