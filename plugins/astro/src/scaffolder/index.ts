export { astroScaffolderFormFields } from './alpha';
export {
  AstroWorkspacePickerFieldExtension,
  AstroDeploymentNamePickerFieldExtension,
  AstroDeploymentSettingsPickerFieldExtension,
} from './legacy';
