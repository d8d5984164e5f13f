export { DeploymentFileCard } from './DeploymentFileCard';
export { ImportDeploymentFileButton } from './ImportDeploymentFileButton';
export { ImportDeploymentFileDialog } from './ImportDeploymentFileDialog';
