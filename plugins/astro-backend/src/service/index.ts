import { ClusterService } from './ClusterService';
import { DeploymentFileService } from './DeploymentFileService';
import { DeploymentService } from './DeploymentService';
import { OrganizationService } from './OrganizationService';
import { WorkspaceService } from './WorkspaceService';

export { ChangeFeed } from './ChangeFeed';
export { MutationRunner } from './MutationRunner';
export { SYSTEM_ACTOR, actorOf } from './actor';
export type { Actor } from './actor';
export {
  ClusterService,
  DeploymentFileService,
  DeploymentService,
  OrganizationService,
  WorkspaceService,
};

/** The control plane's services, one per resource. */
export interface AstroServices {
  organizations: OrganizationService;
  workspaces: WorkspaceService;
  clusters: ClusterService;
  deployments: DeploymentService;
  deploymentFiles: DeploymentFileService;
}
