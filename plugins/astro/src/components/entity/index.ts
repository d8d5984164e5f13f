export {
  AstroDeploymentEntityContent,
  AstroDeploymentStatusEntityCard,
} from './AstroDeploymentEntity';
export {
  AstroWorkspaceDeploymentsEntityContent,
  AstroWorkspaceDeploymentsEntityCard,
} from './AstroWorkspaceEntity';
export { AstroOrganizationEntityCard } from './AstroOrganizationEntity';
export { AstroClusterEntityCard } from './AstroClusterEntity';
export { AstroClusterDeploymentsCard } from './AstroClusterDeploymentsCard';
