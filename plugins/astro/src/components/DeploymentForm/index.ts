export { CreateDeploymentPage } from './CreateDeploymentPage';
export { EditDeploymentPage } from './EditDeploymentPage';
