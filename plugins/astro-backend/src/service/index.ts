import { ClusterService } from './ClusterService';
import { DeploymentFileService } from './DeploymentFileService';
import { DeploymentService } from './DeploymentService';
import { OrganizationService } from './OrganizationService';
import { WorkspaceService } from './WorkspaceService';
import { RoleBindingService } from './RoleBindingService';
import { PermissionResources } from './PermissionResources';
import { HibernationService } from './HibernationService';
import type { AlertRuleService } from './AlertRuleService';

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
  RoleBindingService,
  PermissionResources,
  HibernationService,
};
export type { PrincipalDirectory, RoleTarget } from './RoleBindingService';

/** The control plane's services, one per resource. */
export interface AstroServices {
  organizations: OrganizationService;
  workspaces: WorkspaceService;
  clusters: ClusterService;
  deployments: DeploymentService;
  deploymentFiles: DeploymentFileService;
  roleBindings: RoleBindingService;
  /** What permission rules see of each resource. */
  permissionResources: PermissionResources;
  /** Hibernation overrides and state of Deployments. */
  hibernation: HibernationService;
  /** Alert rules on workspaces and Deployments, and their deliveries. */
  alertRules: AlertRuleService;
}
