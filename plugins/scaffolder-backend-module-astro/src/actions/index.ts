export { createAstroDeploymentCreateAction } from './deploymentCreate';
export { createAstroDeploymentUpdateAction } from './deploymentUpdate';
export { createAstroDeploymentVariablesSetAction } from './deploymentVariablesSet';
export { createAstroWorkspaceCreateAction } from './workspaceCreate';
export {
  createAstroDeploymentWaitAction,
  DeploymentNotReadyError,
} from './deploymentWait';
export type { AstroActionOptions } from './context';
