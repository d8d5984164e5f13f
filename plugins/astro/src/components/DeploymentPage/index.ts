export { DeploymentPage, DeploymentDetails } from './DeploymentPage';
export { OpenAirflowButton } from './OpenAirflowButton';
export { DeploymentStatusCard } from './DeploymentStatusCard';
export { SettingsCard } from './SettingsCard';
export { IncidentsCard } from './IncidentsCard';
