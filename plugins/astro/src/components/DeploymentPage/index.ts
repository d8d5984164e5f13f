export {
  DeploymentPage,
  DeploymentDetails,
  OpenAirflowButton,
} from './DeploymentPage';
export { DeploymentStatusCard } from './DeploymentStatusCard';
export { SettingsCard } from './SettingsCard';
export { IncidentsCard } from './IncidentsCard';
